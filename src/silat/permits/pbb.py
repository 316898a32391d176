"""PBB paid proof (bukti lunas PBB): records imported from Bapenda's CSV
and the officer's check of a dossier against them.

The seed (Instruksi 503/333/DPMPTSP, huruf e angka c) makes the PBB paid
proof a requirement for building permits (IMB); the service standard
lists it as the officer-checked requirement ``bukti_lunas_pbb``. The check
marks that requirement valid in the dossier's checklist and is required
again when the permit is issued.
"""
import datetime as dt
import re

from BTrees.OOBTree import OOBTree
from pyramid.traversal import find_root
from zope.interface import implementer

from silat.i18n import _
from silat.permits.csvfiles import ImportReport, parse_amount, parse_date, read_rows
from silat.permits.interfaces import IPbbRecords
from silat.permits.registry import registry
from silat.resources.folder import attached

PBB_REQUIREMENT = "bukti_lunas_pbb"
COLUMNS = ("nop", "tahun", "nama_wajib_pajak", "jumlah", "tanggal_bayar")


def normal_nop(text):
    """The 18 digits of a NOP (``32.75.010.001.002-0123.0`` or plain digits), or None."""
    digits = re.sub(r"[.\-\s]", "", text or "")
    return digits if re.fullmatch(r"[0-9]{18}", digits) else None


def _store(site):
    return attached(registry(site), "pbb", OOBTree)


@implementer(IPbbRecords)
class CsvPbbRecords:
    """Records imported from Bapenda CSV files, kept in ZODB."""

    def lookup(self, site, nop, year):
        record = _store(site).get(f"{nop}:{int(year)}")
        return dict(record) if record is not None else None


def import_records(site, data, actor, apply=True):
    """Import ``nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar`` (an empty
    date means not paid). A later file replaces a record of the same NOP and year."""
    report = ImportReport()
    seen = set()
    this_year = dt.date.today().year
    for line, row in read_rows(data, COLUMNS, report):
        nop = normal_nop(row["nop"])
        if nop is None:
            report.error(line, _("NOP harus 18 digit."))
            continue
        if not row["tahun"].isdigit() or not 1990 <= int(row["tahun"]) <= this_year + 1:
            report.error(line, _("Tahun pajak tidak sah."))
            continue
        if (nop, row["tahun"]) in seen:
            report.error(line, _("NOP dan tahun yang sama muncul dua kali dalam berkas."))
            continue
        if not row["nama_wajib_pajak"]:
            report.error(line, _("Nama wajib pajak wajib diisi."))
            continue
        amount = parse_amount(row["jumlah"])
        if amount is None:
            report.error(line, _("Jumlah pajak harus bilangan bulat rupiah lebih dari nol."))
            continue
        paid_on = None
        if row["tanggal_bayar"]:
            paid_on = parse_date(row["tanggal_bayar"])
            if paid_on is None or paid_on > dt.date.today():
                report.error(line, _("Tanggal bayar harus berformat TTTT-BB-HH dan tidak di masa depan."))
                continue
        seen.add((nop, row["tahun"]))
        report.rows.append({"nop": nop, "year": int(row["tahun"]), "taxpayer": row["nama_wajib_pajak"],
                            "amount": amount, "paid_on": paid_on.isoformat() if paid_on else None,
                            "imported_by": actor})
    if report.ok and apply:
        store = _store(site)
        for record in report.rows:
            store[f"{record['nop']}:{record['year']}"] = record
            report.applied += 1
    return report


def requires_pbb(dossier):
    return any(r.key == PBB_REQUIREMENT for r in dossier.requirements())


def check_dossier(dossier, records, nop_text, year, actor):
    """Check the PBB proof; return (ok, message). Marks the requirement."""
    site = find_root(dossier)
    nop = normal_nop(nop_text)
    if nop is None:
        return False, _("NOP harus 18 digit.")
    record = records.lookup(site, nop, year)
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    if record is None:
        message = _("Data PBB untuk NOP ${nop} tahun ${year} tidak ditemukan di Bapenda.",
                    mapping={"nop": nop, "year": year})
        ok = False
    elif not record.get("paid_on"):
        message = _("PBB NOP ${nop} tahun ${year} belum lunas.", mapping={"nop": nop, "year": year})
        ok = False
    else:
        message = _("PBB NOP ${nop} tahun ${year} lunas pada ${date}.",
                    mapping={"nop": nop, "year": year, "date": record["paid_on"]})
        ok = True
    reason = message.interpolate()
    dossier.pbb_check = {"nop": nop, "year": int(year), "paid": ok, "record": record,
                         "by": actor, "at": now}
    if PBB_REQUIREMENT in {r.key for r in dossier.requirements()}:
        checklist = dict(dossier.checklist or {})
        checklist[PBB_REQUIREMENT] = {"valid": ok, "reason": reason, "by": actor, "at": now}
        dossier.checklist = checklist
    dossier.history.append(actor, "pbb_check", reason, nop=nop, year=int(year), paid=ok)
    return ok, message


def pbb_settled(dossier):
    check = getattr(dossier, "pbb_check", None)
    return bool(check and check.get("paid"))
