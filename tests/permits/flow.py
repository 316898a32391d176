"""Shared steps of the recommendation-to-permit tests: a dossier filed
directly in ZODB (the intake wizard is tested by its own package), then
driven through the real pages and API."""
import datetime as dt
import io
import re

from pypdf import PdfReader

from silat.catalog.fees import make_rule
from silat.catalog.model import Duration
from silat.resources.dossier import Dossier
from silat.security import localroles
from silat.security.principals import user_principal
from silat.workflow import initialize, transition

NIK = "3275014101900001"
PHONE = "081234567890"
HOME = "Jl. Rumah Pribadi No. 9"
NOP = "32.75.010.001.002-0123.0"
NOP_DIGITS = "327501000100201230"


def configure_service(site, code="IMB", recommendations=("DISTARU", "DINKES"),
                      formula="luas_bangunan * 1000", validity=Duration(5, "years")):
    """A test revision of a seeded standard (the seeds leave fee and validity open)."""
    service = site["layanan"][code]
    fields = service.current.fields()
    fields["recommendations_from"] = tuple(recommendations)
    fields["fee"] = make_rule({"kind": "formula", "formula": formula}) if formula else None
    fields["validity"] = validity
    return service.add_revision(fields, dt.date.today(), "test", "test configuration")


def file_dossier(site, registry, number="SILAT-2026-900001", code="IMB", kecamatan="KEC-BEKASI-SELATAN",
                 kelurahan="Jakamulya", owner="pemohon", fields=None):
    """A submitted dossier, as the intake wizard leaves it."""
    service = site["layanan"][code]
    dossier = Dossier(number, code, service.current.number, owner)
    dossier.applicant = {"kind": "person", "name": "Siti Aminah", "identity_number": NIK,
                         "email": "siti@example.invalid", "phone": PHONE, "address": HOME,
                         "business_name": "CV Maju Bersama", "business_type": "Konstruksi"}
    dossier.location = {"address": "Jl. Ahmad Yani No. 1", "kecamatan": kecamatan, "kelurahan": kelurahan}
    dossier.fields = fields if fields is not None else {"luas_bangunan": "120"}
    initialize(dossier)
    site["berkas"].add(number, dossier)
    localroles.grant(dossier, user_principal(owner), "owner")
    transition(dossier, "submit", None, actor=owner, check_permission=False, registry=registry)
    return dossier


def advance(dossier, registry, steps, actor="verifikator"):
    """``dossier`` with every requirement checked valid and PBB paid, moved
    through the workflow ``steps`` by ``actor``."""
    dossier.checklist = {r.key: {"valid": True} for r in dossier.requirements()}
    dossier.pbb_check = {"paid": True}
    for step in steps:
        transition(dossier, step, None, actor=actor, check_permission=False, registry=registry)
    return dossier


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_qr_codes(data, first_page_only=False):
    """Decode every QR code the PDF shows, vector or raster: each page is
    rendered as a scanner would see it (PDFium, 216 dpi) and zxing-cpp
    reads the picture."""
    import pypdfium2
    import zxingcpp
    document = pypdfium2.PdfDocument(data)
    try:
        found = []
        for index in range(1 if first_page_only else len(document)):
            picture = document[index].render(scale=3).to_pil().convert("L")
            found += [r.text for r in zxingcpp.read_barcodes(picture)]
        return found
    finally:
        document.close()


def png_bytes(color="red"):
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, format="PNG")
    return out.getvalue()


def take_action(testapp, path, name, comment=""):
    """Take a workflow transition through the generic action page."""
    page = testapp.get(path + "/transisi")
    form = page.forms[f"transisi-{name}"]
    if comment and "comment" in form.fields:
        form["comment"] = comment
    return form.submit("jalankan").maybe_follow()


def roman_month():
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[
        dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).month - 1]


def year():
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).year


def number_re(pattern):
    return re.compile(pattern.replace("{R}", roman_month()).replace("{Y}", str(year())))
