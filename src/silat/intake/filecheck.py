"""Active content in uploads: refused at upload, with a clear message.

- PDF: JavaScript (``/JS``, ``/JavaScript`` actions or name trees),
  ``/Launch``, ``/ImportData``, ``/SubmitForm``, ``/RichMedia``, XFA
  forms and embedded files (``/EmbeddedFile(s)``) anywhere reachable from
  the document catalog, including ``/OpenAction`` and ``/AA``. A harmless
  ``/OpenAction`` (go to a page, a view) is accepted. Names are compared
  as pypdf decodes them, so ``#xx`` escapes do not hide them.
- Every type: an HTML polyglot, i.e. HTML or SVG markup (``<html``,
  ``<script``, ``<body``, ``<iframe``, ``<svg``, ``<!doctype html``)
  anywhere in the bytes, which a browser sniffing the content would run.

Documents are served with ``X-Content-Type-Options: nosniff`` and inline
only for PDF, PNG and JPEG (``silat.intake.views``).
"""
import re

from silat.i18n import _
from silat.intake.uploads import UploadRefused

DANGEROUS_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
                  "/RichMedia", "/XFA", "/ImportData", "/SubmitForm"}
DANGEROUS_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute",
                     "/Rendition"}
DANGEROUS_TYPES = {"/EmbeddedFile", "/Filespec"}
HTML = re.compile(rb"<(?:html|script|body|iframe|svg|!doctype\s+html)[\s>/]", re.IGNORECASE)
CHUNK = 1024 * 1024
OVERLAP = 32
MAX_OBJECTS = 200_000


def active_pdf_content(reader):
    """The first dangerous name found in the PDF, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
    seen, stack, visited = set(), [reader.trailer], 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            return "/TooManyObjects"
        if isinstance(obj, DictionaryObject):
            for name in obj.keys():
                if name in DANGEROUS_KEYS:
                    return name
            if obj.get("/S") in DANGEROUS_ACTIONS:
                return obj.get("/S")
            if obj.get("/Type") in DANGEROUS_TYPES and obj.get("/EF") is not None:
                return "/EmbeddedFile"
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def html_inside(path):
    """True when the file's bytes carry HTML/SVG markup a browser would run."""
    with open(path, "rb") as stream:
        tail = b""
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                return False
            if HTML.search(tail + chunk):
                return True
            tail = chunk[-OVERLAP:]


def check(path, mime, reader=None):
    """Raise ``UploadRefused`` (422) when the upload carries active content.
    ``reader``: the PDF already parsed by the caller (else it is read here)."""
    if html_inside(path):
        raise UploadRefused(422, "active_content", _(
            "Berkas memuat kode HTML atau skrip dan tidak dapat diterima. "
            "Simpan ulang dokumen sebagai PDF atau gambar biasa, lalu unggah kembali."))
    if mime == "application/pdf":
        from pypdf import PdfReader
        try:
            found = active_pdf_content(reader or PdfReader(path, strict=False))
        except RecursionError:
            found = "/Unreadable"
        if found:
            raise UploadRefused(422, "active_content", _(
                "PDF memuat JavaScript, tindakan otomatis, atau berkas sisipan dan tidak dapat "
                "diterima. Cetak ulang dokumen ke PDF biasa (Print to PDF), lalu unggah kembali."))
