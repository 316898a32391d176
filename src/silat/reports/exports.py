"""CSV and XLSX files of any table: Indonesian column titles, one sheet."""
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(header, rows):
    """UTF-8 with a byte-order mark (spreadsheets then read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(_safe(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title="Data"):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_safe(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(row):
    """Text that a spreadsheet would run as a formula is prefixed with '."""
    return [("'" + v) if isinstance(v, str) and len(v) > 1 and v[0] in "=+-@" else v for v in row]


def response(request, header, rows, name, fmt):
    """A download response for ``fmt`` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        body, ctype = to_xlsx(header, rows, name), XLSX_TYPE
    else:
        body, ctype, fmt = to_csv(header, rows), CSV_TYPE, "csv"
    res = request.response
    res.body = body
    res.content_type = ctype
    res.content_disposition = f'attachment; filename="{name}.{fmt}"'
    return res
