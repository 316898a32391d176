"""Horizontal bar charts as inline SVG, drawn on the server (no JavaScript).

Each chart carries a <title> and the page shows the table behind it, so
the figures stay readable for screen readers and without images.
"""
from html import escape

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 190
BAR_WIDTH = 300
COLOR = "#1b6e3c"


class Markup(str):
    """Already-escaped markup: Chameleon inserts it as is (``__html__``)."""

    def __html__(self):
        return str(self)


def bar_chart(title, rows):
    """``rows``: [(label, value)] with numeric values; returns Markup."""
    rows = [(str(label), value or 0) for label, value in rows]
    top = max([v for _l, v in rows] + [1])
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="silat-chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * value / top) if top else 0
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
                     f"{escape(label[:30])}</text>")
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                     f'fill="{COLOR}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 13}" font-size="12">'
                     f"{escape(_number(value))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value):
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)
