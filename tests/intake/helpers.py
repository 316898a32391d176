"""Files, applicants and page helpers for the intake tests."""
import io

import webtest
from PIL import Image
from pypdf import PdfWriter
from reportlab.pdfgen.canvas import Canvas

from tests.web import api_token, bearer, login

NIK = "3275010101900001"         # Jawa Barat / Kota Bekasi, born 01-01-1990
APPLICANT = {"kind": "person", "name": "Siti Aminah", "identity_number": NIK,
             "email": "siti@contoh.invalid", "phone": "081234567890",
             "address": "Jl. Melati No. 5, Bekasi", "business_name": "Warung Siti",
             "business_type": "Kuliner"}
LOCATION = {"address": "Jl. Ahmad Yani No. 1 RT 01/RW 02", "kecamatan": "KEC-BEKASI-SELATAN",
            "kelurahan": "Kayuringin Jaya"}
FIELDS = {"luas_bangunan": 120}


def pdf_bytes(text="Dokumen uji", pages=1):
    out = io.BytesIO()
    canvas = Canvas(out)
    for n in range(pages):
        canvas.drawString(72, 720, f"{text} {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def encrypted_pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt="PNG", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, format=fmt)
    return out.getvalue()


def upload(name, content, mime="application/octet-stream"):
    return webtest.Upload(name, content, mime)


def api_headers(testapp, username, password):
    return bearer(api_token(testapp, username, password))


def fill_application(form, applicant=None, location=None, fields=None):
    """Fill the wizard's first step (deform field names; ``address`` is in
    both the applicant and the location mapping)."""
    applicant = {**APPLICANT, **(applicant or {})}
    location = {**LOCATION, **(location or {})}
    radios(form, "person")[0].value = applicant["kind"]
    for key in ("name", "identity_number", "email", "phone", "business_name",
                "business_type"):
        form[key] = applicant[key]
    form.set("address", applicant["address"], index=0)
    form.set("address", location["address"], index=1)
    form["kecamatan"] = location["kecamatan"]
    form["kelurahan"] = location["kelurahan"]
    for key, value in {**FIELDS, **(fields or {})}.items():
        form[key] = str(value)
    return form


def radios(form, option):
    """The radio groups (deform names them by oid) offering ``option``, in order."""
    found = []
    for fields in form.fields.values():
        for field in fields:
            if isinstance(field, webtest.forms.Radio) and option in [o[0] for o in field.options] \
                    and field not in found:
                found.append(field)
    return found


def start_application(testapp, code):
    """Fill and save step 1; return the documents page and the dossier path."""
    page = testapp.get(f"/layanan/{code}/ajukan")
    response = fill_application(page.forms["deform"]).submit("simpan")
    assert response.status_int == 303, response.text[:2000]
    documents = response.follow()
    return documents, documents.request.path.rsplit("/", 1)[0]


def upload_document(testapp, path, key, name, content, mime="application/octet-stream"):
    page = testapp.get(f"{path}/unggah")
    form = page.forms[f"unggah-{key}"]
    form["upload"] = upload(name, content, mime)
    return form.submit("unggah", expect_errors=True)


def submit_with_declaration(testapp, path):
    page = testapp.get(f"{path}/ajukan")
    form = page.forms["deform"]
    form["declaration"] = True
    return form.submit("ajukan")


__all__ = ["login", "api_token", "bearer"]
