"""Reading the CSV files SILAT imports (treasury payments, Bapenda PBB
records): every row is checked before anything is stored; a file with
one bad row changes nothing and the report names every bad row."""
import csv
import io
from dataclasses import dataclass, field

from silat.i18n import _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50000


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)        # the parsed good rows
    errors: list = field(default_factory=list)      # (line number, translation string)
    applied: int = 0

    @property
    def ok(self):
        return not self.errors

    def error(self, line, message):
        self.errors.append((line, message))

    def messages(self, translate=lambda m: m.interpolate() if hasattr(m, "interpolate") else str(m)):
        return [f"{translate(_('Baris ${line}', mapping={'line': line})) if line else ''}"
                f"{': ' if line else ''}{translate(message)}" for line, message in self.errors]


def read_rows(data, columns, report):
    """Yield (line number, row dict) of a CSV with exactly ``columns`` as header."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            report.error(0, _("Berkas terlalu besar (maksimal 5 MB)."))
            return
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.error(0, _("Berkas bukan teks CSV UTF-8."))
            return
    sample = data[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(data), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        report.error(0, _("Berkas kosong."))
        return
    except csv.Error:
        report.error(1, _("Baris tidak dapat dibaca sebagai CSV."))
        return
    header = [h.strip().lower() for h in header]
    if header != list(columns):
        report.error(1, _("Kepala kolom harus: ${columns}.", mapping={"columns": ",".join(columns)}))
        return
    count = 0
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                report.error(line, _("Terlalu banyak baris."))
                return
            if len(values) != len(columns):
                report.error(line, _("Jumlah kolom harus ${n}.", mapping={"n": len(columns)}))
                continue
            yield line, {c: v.strip() for c, v in zip(columns, values)}
    except csv.Error:
        report.error(reader.line_num, _("Baris tidak dapat dibaca sebagai CSV."))
    if count == 0 and not report.errors:
        report.error(0, _("Berkas tidak memuat baris data."))


def parse_amount(text):
    """Whole rupiah from ``150000`` or ``150.000``; None if not a positive integer."""
    text = (text or "").replace(".", "").replace(" ", "")
    if not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value < 10 ** 15 else None


def parse_date(text):
    import datetime as dt
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
