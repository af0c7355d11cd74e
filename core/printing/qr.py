"""QR codes for printed forms, as inline SVG (with ``segno``).

The same SVG serves the page and the PDF: WeasyPrint draws an inline ``<svg>`` as
vector paths, so the code prints sharp at any size. Its size comes from CSS (the
class ``qr-code``; ``print.css`` makes it 28 mm square).
"""

from __future__ import annotations

import segno

#: Error correction: ``m`` restores up to 15% of a code (a crease, a stamp).
ERROR_CORRECTION = "m"


def qr_svg(text: str, title: str | None = None) -> str:
    """An inline ``<svg class="qr-code">`` of a QR code holding ``text`` (an
    address, a dossier's code), with ``title`` (by default ``text``) as its name."""
    code = segno.make(text, error=ERROR_CORRECTION, micro=False)
    return code.svg_inline(
        omitsize=True, svgclass="qr-code", lineclass=None, title=text if title is None else title
    )
