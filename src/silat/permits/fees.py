"""Fees (retribusi): the assessment (SKRD) computed from the service's
fee rule, its PDF, payments recorded by an officer or imported from the
treasury's CSV, and settling the dossier when fully paid.

An SKRD is a ``FeeAssessment`` in ``dossier["retribusi"]``; the workflow's
guards read ``outstanding()``. The payment term (days from issue to the
SKRD's due date) is the setting ``silat.fees.due_days`` (default 30).
"""
import datetime as dt

from persistent import Persistent
from pyramid.traversal import find_root

from silat.catalog.fees import FeeError
from silat.present import rupiah
from silat.i18n import _
from silat.permits import numbering
from silat.permits.csvfiles import ImportReport, parse_amount, parse_date, read_rows
from silat.permits.files import StoredPdf
from silat.permits.registry import registry
from silat.workflow.calendar import WIB

PAYMENT_COLUMNS = ("nomor_skrd", "jumlah", "tanggal_bayar", "referensi")
ISSUER = "DPMPTSP"


def local_today():
    return dt.datetime.now(WIB).date()


class PaymentError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class FeeAssessment(Persistent):
    """Surat Ketetapan Retribusi Daerah (SKRD)."""

    __name__ = None
    __parent__ = None
    pdf = None

    def __init__(self, number, amount, rule, values, issued_by, due_date):
        self.number = number
        self.amount = int(amount)
        self.rule = dict(rule)
        self.values = {k: str(v) for k, v in (values or {}).items()}
        self.issued_by = issued_by
        self.issued_at = dt.datetime.now(dt.timezone.utc)
        self.due_date = due_date
        self.payments = ()     # dicts: amount, paid_on, reference, channel, by, at

    def paid(self):
        return sum(p["amount"] for p in self.payments)

    def outstanding(self):
        return max(0, self.amount - self.paid())

    @property
    def dossier(self):
        return self.__parent__.__parent__


def compute_fee(dossier):
    """(amount, rule) for the dossier's standard, or (None, None) when the
    fee is not configured."""
    rule = dossier.standard().fee
    if rule is None:
        return None, None
    return rule.compute(dossier.fields or {}), rule


def assess(dossier, settings, actor, request=None):
    """Create the SKRD when the fee is above zero; return it (or None)."""
    from silat.permits.pdfs import skrd_pdf
    if len(dossier["retribusi"]):
        return None
    try:
        amount, rule = compute_fee(dossier)
    except FeeError as exc:
        dossier.history.append(actor, "fee", "", step="not_computed", reason=str(exc))
        return None
    if not amount:
        dossier.history.append(actor, "fee", "", step="none",
                               reason="not configured" if rule is None else "zero")
        return None
    site = find_root(dossier)
    issuer = site["opd"][ISSUER]
    number = numbering.next_number(settings, "skrd", issuer, agency_code=ISSUER)
    due = local_today() + dt.timedelta(days=int(settings.get("silat.fees.due_days", 30)))
    item = FeeAssessment(number, amount, rule.plain(), dossier.fields, actor, due)
    dossier["retribusi"].add(f"skrd-{len(dossier['retribusi']) + 1}", item)
    item.pdf = StoredPdf(skrd_pdf(item, dossier, issuer), f"skrd-{dossier.registration_number}.pdf",
                         actor)
    registry(site).skrd[number] = dossier.registration_number
    dossier.history.append(actor, "fee", "", step="assessed", number=number, amount=amount,
                           sha256=item.pdf.sha256)
    return item


def find_assessment(site, number):
    reg = registry(site).skrd.get(number)
    dossier = site["berkas"].get(reg) if reg else None
    if dossier is None:
        return None
    return next((a for a in dossier["retribusi"].values() if a.number == number), None)


def check_payment(site, assessment, amount, paid_on, reference, pending=0):
    """A translation string saying why this payment cannot be booked, or None."""
    if amount is None:
        return _("Jumlah pembayaran harus bilangan bulat rupiah lebih dari nol.")
    if paid_on is None:
        return _("Tanggal bayar harus berformat TTTT-BB-HH.")
    if paid_on > local_today():
        return _("Tanggal bayar tidak boleh di masa depan.")
    if not reference or len(reference) > 64:
        return _("Nomor referensi pembayaran wajib diisi (paling banyak 64 karakter).")
    if reference in registry(site).payment_refs:
        return _("Referensi pembayaran ${ref} sudah pernah dicatat.", mapping={"ref": reference})
    if amount + pending > assessment.outstanding():
        return _("Jumlah melebihi sisa tagihan ${rest}.",
                 mapping={"rest": rupiah(max(0, assessment.outstanding() - pending))})
    return None


def record_payment(assessment, amount, paid_on, reference, channel, actor, request=None,
                   registry_=None):
    """Book a payment; when the dossier is then fully paid, take ``confirm_payment``."""
    from silat.workflow import transition
    dossier = assessment.dossier
    site = find_root(dossier)
    problem = check_payment(site, assessment, amount, paid_on, reference)
    if problem:
        raise PaymentError(problem)
    assessment.payments = assessment.payments + ({
        "amount": amount, "paid_on": paid_on.isoformat(), "reference": reference,
        "channel": channel, "by": actor, "at": dt.datetime.now(dt.timezone.utc).isoformat()},)
    registry(site).payment_refs[reference] = assessment.number
    dossier.history.append(actor, "payment", "", number=assessment.number, amount=amount,
                           paid_on=paid_on.isoformat(), reference=reference, channel=channel)
    if dossier.fee_outstanding() == 0 and dossier.state == "awaiting_payment":
        transition(dossier, "confirm_payment", request, actor=actor,
                   check_permission=request is not None and channel == "officer",
                   registry=registry_)
    return assessment


def import_payments(site, data, actor, request=None, registry_=None, apply=True):
    """Import a treasury CSV (``nomor_skrd,jumlah,tanggal_bayar,referensi``).
    All rows are checked first; any bad row means nothing is booked."""
    report = ImportReport()
    pending, refs = {}, set()
    for line, row in read_rows(data, PAYMENT_COLUMNS, report):
        assessment = find_assessment(site, row["nomor_skrd"])
        if assessment is None:
            report.error(line, _("Nomor SKRD ${number} tidak dikenal.", mapping={"number": row["nomor_skrd"]}))
            continue
        amount, paid_on = parse_amount(row["jumlah"]), parse_date(row["tanggal_bayar"])
        if row["referensi"] in refs:
            report.error(line, _("Referensi pembayaran ${ref} muncul dua kali dalam berkas.",
                                 mapping={"ref": row["referensi"]}))
            continue
        problem = check_payment(site, assessment, amount, paid_on, row["referensi"],
                                pending.get(assessment.number, 0))
        if problem:
            report.error(line, problem)
            continue
        refs.add(row["referensi"])
        pending[assessment.number] = pending.get(assessment.number, 0) + amount
        report.rows.append((assessment, amount, paid_on, row["referensi"]))
    if report.ok and apply:
        for assessment, amount, paid_on, reference in report.rows:
            record_payment(assessment, amount, paid_on, reference, "treasury_csv", actor,
                           request, registry_)
            report.applied += 1
    return report
