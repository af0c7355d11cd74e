"""The statistics chart, an SVG drawing: a bar per online level with its share of
the procedures and the targets marked, and one bar split into toàn trình, một
phần and not online.

Every text is XML-escaped; the drawing has ``role="img"``, a ``<title>`` and a
``<desc>`` saying every number, and each bar is labelled with its number and
share, so it reads without colours.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from core.i18n import _
from plugins.services.content import FULL, LEVEL_NAMES, ONLINE, PARTIAL
from plugins.services.statistics import LEVEL_VALUES, Counts, format_percent, share

WIDTH = 720
#: Where bars start, and their longest length (100 %).
LEFT, SPAN = 150, 380
BAR, GAP = 26, 14
COLOURS = {1: "#b0bec5", 2: "#78909c", 3: "#1e88e5", 4: "#0d47a1"}
KIND_COLOURS = {FULL: "#2e7d32", PARTIAL: "#81c784", "": "#eeeeee"}


#: How the kinds of text look, as presentation attributes: the chart sits inline in
#: pages whose Content-Security-Policy refuses <style> elements without its nonce.
TEXT_LOOKS = {"heading": ' font-weight="bold" font-size="15"', "target": ' fill="#c62828"'}


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "") -> str:
    klass = f' class="{css}"{TEXT_LOOKS[css]}' if css else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def chart_svg(request, counts: Counts, targets: dict[int, float], title: str) -> str:
    """The chart of ``counts`` (with ``targets``: level -> percent) titled ``title``."""
    translate = request.localizer.translate
    level_names = {value: translate(name) for value, name in LEVEL_NAMES.items()}
    kind_names = {k: translate(label) for k, label in ONLINE}
    kind_names[""] = translate(_("Chưa trực tuyến"))
    target_word = translate(_("Mục tiêu"))
    unit = translate(_("thủ tục"))

    def amount(count: int) -> str:
        return f"{count} {unit} ({format_percent(share(count, counts.total))})"

    parts = []
    y = 40
    parts.append(_text(0, 20, translate(_("Tỷ lệ thủ tục theo mức độ")), css="heading"))
    for level in LEVEL_VALUES:
        count = counts.level(level)
        length = SPAN * count / counts.total if counts.total else 0
        parts.append(_text(LEFT - 8, y + BAR * 0.7, level_names[level], "end"))
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{length:.1f}" height="{BAR}" '
            f'fill="{COLOURS[level]}" stroke="#263238"/>'
        )
        parts.append(_text(LEFT + length + 6, y + BAR * 0.7, amount(count)))
        if level in targets:
            x = LEFT + SPAN * targets[level] / 100
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{y + BAR + 4}" '
                'stroke="#c62828" stroke-width="3" stroke-dasharray="4 2"/>'
            )
            label = f"{target_word} {format_percent(targets[level])}"
            parts.append(_text(x, y + BAR + 15, label, "middle", "target"))
        y += BAR + GAP + (12 if level in targets else 0)
    y += 16
    parts.append(_text(0, y, translate(_("Dịch vụ công trực tuyến")), css="heading"))
    y += 12
    x = float(LEFT)
    legend_y = y + BAR + 22
    for index, (kind, count) in enumerate(
        ((FULL, counts.kind(FULL)), (PARTIAL, counts.kind(PARTIAL)), ("", counts.offline))
    ):
        length = (SPAN + 150) * count / counts.total if counts.total else 0
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR}" '
            f'fill="{KIND_COLOURS[kind]}" stroke="#263238"/>'
        )
        x += length
        swatch_y = legend_y + index * 20
        parts.append(
            f'<rect x="{LEFT}" y="{swatch_y - 11}" width="12" height="12" '
            f'fill="{KIND_COLOURS[kind]}" stroke="#263238"/>'
        )
        parts.append(_text(LEFT + 18, swatch_y, f"{kind_names[kind]}: {amount(count)}"))
    height = legend_y + 3 * 20
    described = "; ".join(
        [f"{level_names[v]}: {amount(counts.level(v))}" for v in LEVEL_VALUES]
        + [f"{target_word} {level_names[v]}: {format_percent(p)}" for v, p in targets.items()]
        + [f"{kind_names[FULL]}: {amount(counts.kind(FULL))}"]
        + [f"{kind_names[PARTIAL]}: {amount(counts.kind(PARTIAL))}"]
        + [f"{kind_names['']}: {amount(counts.offline)}"]
    )
    label = translate(_("Biểu đồ: ${title}", mapping={"title": title}))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="services-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-label={quoteattr(label)} font-family="sans-serif" font-size="13">'
        f"<title>{escape(label)}</title><desc>{escape(described)}</desc>"
        + "".join(parts)
        + "</svg>"
    )
