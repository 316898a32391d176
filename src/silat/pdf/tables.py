"""Tables with the house style: thin grid, shaded header, wrapping cells."""
from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from silat.pdf.text import para

HEADER_BG = colors.HexColor("#e9f5ee")
GRID = colors.HexColor("#888888")


def _cell(value, style="cell"):
    if isinstance(value, (Flowable, list)):
        return value
    return para("" if value is None else value, style)


def grid_table(header, rows, col_widths, repeat_header=True):
    """A full-width grid; ``header`` is a list of strings (or None)."""
    data = [[_cell(h, "cell_bold") for h in header]] if header else []
    data += [[_cell(v) for v in row] for row in rows]
    table = Table(data, colWidths=col_widths, repeatRows=1 if header and repeat_header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_BG))
    table.setStyle(TableStyle(commands))
    return table


def key_value_table(rows, col_widths, numbered=False):
    """Label/value rows (``[(label, value), ...]``); a value may be a Flowable.

    With ``numbered`` a first column counts the rows (1, 2, ...)."""
    data = []
    for i, (label, value) in enumerate(rows, 1):
        row = [_cell(label, "cell_bold"), _cell(value)]
        data.append([_cell(str(i), "cell_bold")] + row if numbered else row)
    table = Table(data, colWidths=col_widths)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (1 if numbered else 0, -1), HEADER_BG)]))
    return table
