"""PDFs with active content and HTML polyglots are refused at upload with
a clear message; documents are served with nosniff (issue 10)."""
import io
import json

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers, pdf_bytes


def _writer():
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes("Surat"))))
    return writer


def _bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_js():
    writer = _writer()
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('x');")})
    tree = DictionaryObject({NameObject("/Names"): ArrayObject(
        [TextStringObject("x"), writer._add_object(action)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)})
    return _bytes(writer)


def with_open_action(kind):
    writer = _writer()
    action = {NameObject("/S"): NameObject(kind)}
    if kind == "/JavaScript":
        action[NameObject("/JS")] = TextStringObject("app.alert(1)")
    else:
        action[NameObject("/F")] = TextStringObject("cmd.exe")
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    return _bytes(writer)


def with_attachment():
    writer = _writer()
    writer.add_attachment("virus.exe", b"MZ....")
    return _bytes(writer)


def with_escaped_name():
    data = with_js()
    assert b"/JavaScript" in data
    return data.replace(b"/JavaScript", b"/J#61vaScript")


def goto_open_action():
    writer = _writer()
    page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page, NameObject("/Fit")])
    return _bytes(writer)


def html_polyglot():
    return pdf_bytes("Surat") + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def png_with_html():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<svg onload=alert(1)>")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture
def dossier(testapp, service, make_user):
    password = make_user("pemohon1", "pemohon")
    headers = api_headers(testapp, "pemohon1", password)
    created = testapp.post("/api/v1/applications", json.dumps(
        {"service": service, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS}),
        headers=headers, content_type="application/json")
    return created.json["registration_number"], headers


ACTIVE = [("js.pdf", with_js), ("open-js.pdf", lambda: with_open_action("/JavaScript")),
          ("launch.pdf", lambda: with_open_action("/Launch")), ("lampiran.pdf", with_attachment),
          ("escaped.pdf", with_escaped_name), ("polyglot.pdf", html_polyglot),
          ("foto.png", png_with_html)]


def test_active_content_is_refused_and_nothing_stored(testapp, dossier):
    number, headers = dossier
    for name, make in ACTIVE:
        res = testapp.put(f"/api/v1/applications/{number}/documents/ktp", headers=headers,
                          upload_files=[("file", name, make())], status=422)
        assert res.json["error"]["code"] == "active_content", name
        assert "tidak dapat diterima" in res.json["error"]["message"]
        page = testapp.put(f"/api/v1/applications/{number}/documents/ktp", headers={
            **headers, "Accept-Language": "en"}, upload_files=[("file", name, make())], status=422)
        assert "cannot be accepted" in page.json["error"]["message"]
    shown = testapp.get(f"/api/v1/applications/{number}", headers=headers).json
    assert not [d for d in shown.get("documents", []) if d.get("versions") or d.get("filename")]


def test_plain_and_goto_pdfs_are_accepted_and_served_safely(testapp, dossier):
    number, headers = dossier
    for content in (pdf_bytes("Surat"), goto_open_action()):
        testapp.put(f"/api/v1/applications/{number}/documents/ktp", headers=headers,
                    upload_files=[("file", "surat.pdf", content)], status=201)
    # the web page link serves it with nosniff and a safe disposition
    from tests.web import login
    login(testapp, "pemohon1", "Rahasia-2026x")
    for path, disposition in (("", "attachment"), ("/pratinjau", "inline")):
        res = testapp.get(f"/berkas/{number}/dokumen/ktp{path}")
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        assert res.headers["Content-Disposition"].startswith(disposition)
        assert res.content_type == "application/pdf"


def test_html_page_upload_is_refused(testapp, dossier):
    number, headers = dossier
    res = testapp.put(f"/api/v1/applications/{number}/documents/ktp", headers=headers,
                      upload_files=[("file", "a.pdf", b"%PDF-1.4\n<!DOCTYPE html><p>x")],
                      expect_errors=True)
    assert res.status_int in (415, 422)
