"""Opening uploaded images within a pixel limit (``cong.max_image_pixels``).

A small file can hold a huge image (13,000 × 13,000 pixels compress to 480 KB
and take 1.3 GB and 10 s to decode). :func:`open_image` reads only the header
and refuses an image above the limit before anything is decoded. The limit is set
once at start-up from the settings; Pillow's own decompression-bomb check is set
from it too, so that any other decoding in the process is bounded as well.
"""

from __future__ import annotations

import io

from PIL import Image

from core.settings import DEFAULT_MAX_IMAGE_PIXELS

_limit = DEFAULT_MAX_IMAGE_PIXELS


class ImageTooLarge(ValueError):
    """An image with more pixels than the limit (``limit``)."""

    def __init__(self, limit: int):
        super().__init__(f"an image of more than {limit} pixels")
        self.limit = limit


def set_pixel_limit(pixels: int) -> None:
    """Make ``pixels`` the limit of :func:`open_image`, and Pillow's (which warns
    above it and refuses twice as many, whoever decodes)."""
    global _limit
    _limit = pixels
    Image.MAX_IMAGE_PIXELS = pixels


def pixel_limit() -> int:
    """The most pixels an image may have."""
    return _limit


def open_image(data: bytes) -> Image.Image:
    """The image in ``data``, opened (its header read, nothing decoded yet); raise
    :class:`ImageTooLarge` above the pixel limit, and what ``Image.open`` raises for
    data that is not an image."""
    try:
        img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge(_limit) from None
    width, height = img.size
    if width * height > _limit:
        img.close()
        raise ImageTooLarge(_limit)
    return img


def includeme(config) -> None:
    """Set the limit from ``cong.max_image_pixels``."""
    set_pixel_limit(config.registry.settings["cong"].max_image_pixels)
