"""Upload safety: size limit while streaming, content sniffing, PDF and
image checks, filename sanitising. Nothing of a refused upload is stored.

The request body of a multipart POST/PUT is limited before Pyramid reads
it: ``limit_body`` runs as pyramid_retry's activate hook, i.e. before the
body is buffered for retries, refuses on ``Content-Length`` at once and
otherwise wraps the input stream so reading stops past the limit. A
NewRequest subscriber then raises ``UploadTooLarge``, which the
exception views turn into a 413 page or API error. Each file is then
copied in chunks into a temporary file (hashing as it goes), stopping as
soon as it passes ``silat.upload_max_bytes``.

A body of at most ``MEMORY_BODY`` bytes stays in memory: the copy made
seekable for retries and the form parser's file parts
(``keep_small_parts_in_memory``) are ``BytesIO`` objects, not temporary
files written and read back; only the inspected copy, which becomes the
blob, goes to disk.
"""
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass

from webob import compat as webob_compat
from webob import request as webob_request

from silat.i18n import _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MULTIPART_SLACK = 256 * 1024          # form fields and multipart framing around the file
CHUNK = 64 * 1024
MEMORY_BODY = 2 * 1024 * 1024     # upload bodies up to this size are kept in memory, not a file
DEFAULT_TYPES = ("pdf", "jpg", "png")
MIME_BY_TYPE = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                "png": "image/png"}
EXTENSION = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
TOO_LARGE = "silat.upload_too_large"


class UploadRefused(ValueError):
    """``message`` is a translation string; ``status`` the HTTP status."""

    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


class UploadTooLarge(UploadRefused):
    def __init__(self, limit):
        super().__init__(413, "file_too_large", too_large_message(limit))


def too_large_message(limit):
    return _("Berkas terlalu besar: ukuran maksimum ${mb} MB.",
             mapping={"mb": f"{limit / (1024 * 1024):g}"})


def max_bytes(settings):
    return int(settings.get("silat.upload_max_bytes") or DEFAULT_MAX_BYTES)


# -- the request body -------------------------------------------------------

class _LimitedInput:
    """Reads at most ``limit`` bytes of ``stream``; past that, flags the
    environ and answers end-of-file."""

    def __init__(self, stream, limit, environ):
        self.stream, self.left, self.environ = stream, limit, environ

    def read(self, size=-1):
        if self.left <= 0:
            if self.stream.read(1):
                self.environ[TOO_LARGE] = True
            return b""
        want = self.left + 1 if size is None or size < 0 else min(size, self.left + 1)
        data = self.stream.read(want)
        self.left -= len(data)
        if self.left < 0:
            self.environ[TOO_LARGE] = True
            return b""
        return data

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else CHUNK)


UPLOAD_ATTEMPTS = 10


def limit_body(request):
    """pyramid_retry activate hook: refuse or cap an oversized upload body
    before it is buffered. Returns the attempts: None (the configured
    number) for other requests; for an upload at least ``UPLOAD_ATTEMPTS``,
    because uploads to one dossier append to its hash-chained history,
    which serialises them by design (the body is buffered once and
    rewound for each attempt, see ``rewind_uploads``)."""
    environ = request.environ
    if request.method not in ("POST", "PUT") or \
            not (request.content_type or "").startswith("multipart/"):
        return None
    limit = max_bytes(request.registry.settings) + MULTIPART_SLACK
    length = request.content_length
    if length is not None and length > limit:
        environ[TOO_LARGE] = True
        environ["wsgi.input"] = io.BytesIO(b"")
        environ["CONTENT_LENGTH"] = "0"
        return None
    if length is None:
        environ["wsgi.input"] = _LimitedInput(environ["wsgi.input"], limit, environ)
    # the copy made seekable for retries and for the form parser: in memory
    # when small (WebOb's default writes anything above 10 KB to a file)
    request.request_body_tempfile_limit = MEMORY_BODY
    configured = int(request.registry.settings.get("retry.attempts") or 1)
    return max(configured, UPLOAD_ATTEMPTS) if configured > 1 else None


class FieldStorage(webob_compat.cgi_FieldStorage):
    """WebOb's form parser, keeping the file parts of a small body in
    memory: a part is never larger than what is left of the body
    (``limit``), so at most ``MEMORY_BODY`` bytes."""

    def make_file(self):
        if self._binary_file and self.limit is not None and 0 <= self.limit <= MEMORY_BODY:
            return io.BytesIO()
        return super().make_file()


def keep_small_parts_in_memory():
    """Make WebOb's ``request.POST`` parse with ``FieldStorage`` (the parts
    are made with the class of the form, so the subclass reaches them)."""
    webob_request.cgi_FieldStorage = FieldStorage


def rewind_uploads(event):
    """pyramid_retry BeforeRetry: put every uploaded file of the request
    back at its start. WebOb keeps the parsed form in the environ, so a
    retried attempt sees the same file objects the failed one read to the
    end; without this the retry would store an empty file."""
    post = event.environ.get("webob._parsed_post_vars")
    if not post:
        return
    for value in post[0].values():
        rewind(getattr(value, "file", None))


def rewind(stream):
    """Seek ``stream`` to its start when it can seek."""
    seek = getattr(stream, "seek", None)
    if seek is not None:
        try:
            seek(0)
        except (OSError, ValueError):
            pass


def refuse_oversized(event):
    """NewRequest: the body was too large; refuse before anything reads it."""
    request = event.request
    if request.environ.get(TOO_LARGE):
        raise UploadTooLarge(max_bytes(request.registry.settings))


# -- one file ---------------------------------------------------------------

@dataclass
class Inspected:
    path: str            # temporary file holding the content (moved into a blob later)
    filename: str
    mime: str
    size: int
    sha256: str
    text: str | None = None   # a PDF's text, read from the checked reader (None: not read)

    def discard(self):
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)


_UNSAFE = re.compile(r"[^A-Za-z0-9._()-]+")


def sanitise_filename(name, mime):
    """A safe display/download name: no path, no control or odd
    characters, at most 120 characters, extension matching the content."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("_", os.path.splitext(name)[0]).strip(" ._") or "dokumen"
    return stem[:110] + EXTENSION.get(mime, "")


def sniff(head):
    """The MIME type from the first bytes, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def accepted_mimes(file_types):
    return {MIME_BY_TYPE[t.lower()] for t in (file_types or DEFAULT_TYPES)
            if t.lower() in MIME_BY_TYPE}


def _check_pdf(path):
    """The parsed PDF (``filecheck.check`` scans the same reader), or
    ``UploadRefused`` when it is encrypted, empty or unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise UploadRefused(422, "encrypted_pdf", _(
                "PDF terenkripsi atau dilindungi kata sandi tidak dapat diterima. "
                "Unggah PDF tanpa kata sandi."))
        if len(reader.pages) < 1:
            raise UploadRefused(422, "broken_pdf", _("PDF tidak memuat halaman."))
        reader.pages[0].mediabox    # the first page must be readable
        return reader
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:
        raise UploadRefused(422, "broken_pdf", _(
            "Berkas PDF rusak atau tidak dapat dibaca.")) from exc


def _check_image(path, mime):
    from PIL import Image, UnidentifiedImageError
    expected = {"image/png": "PNG", "image/jpeg": "JPEG"}[mime]
    try:
        with Image.open(path) as image:
            found = image.format
            image.verify()
        with Image.open(path) as image:
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError) as exc:
        raise UploadRefused(422, "broken_image", _(
            "Berkas gambar rusak atau bukan gambar.")) from exc
    if found != expected:
        raise UploadRefused(422, "broken_image", _("Berkas gambar rusak atau bukan gambar."))


def upload_text(reader):
    """The text of a checked PDF's reader, for the index (``search.extract``);
    None for other files and for PDFs longer than ``extract.UPLOAD_PAGES``
    (read when indexed, not while the applicant waits)."""
    from silat.search.extract import UPLOAD_PAGES, reader_text
    if reader is None or len(reader.pages) > UPLOAD_PAGES:
        return None
    return reader_text(reader)


def inspect(stream, filename, limit, file_types=None, tmp_dir=None):
    """Copy ``stream`` to a temporary file within ``limit`` bytes and check
    it. Returns an ``Inspected``; raises ``UploadRefused`` (the temporary
    file is then already removed)."""
    rewind(stream)      # a retried request reads the same upload again
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, path = tempfile.mkstemp(prefix="silat-upload-", dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(limit)
                if len(head) < 16:
                    head += chunk[:16]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefused(422, "empty_file", _("Berkas kosong."))
        mime = sniff(head)
        allowed = accepted_mimes(file_types)
        if mime is None or mime not in allowed:
            names = ", ".join(sorted({t.upper() for t in (file_types or DEFAULT_TYPES)}))
            raise UploadRefused(415, "unsupported_type", _(
                "Jenis berkas tidak diterima untuk persyaratan ini (isi berkas diperiksa, "
                "bukan namanya). Jenis yang diterima: ${types}.", mapping={"types": names}))
        reader = None
        if mime == "application/pdf":
            reader = _check_pdf(path)      # parsed once, for both checks
        else:
            _check_image(path, mime)
        from silat.intake import filecheck
        filecheck.check(path, mime, reader)
        return Inspected(path, sanitise_filename(filename, mime), mime, size, digest.hexdigest(),
                         upload_text(reader))
    except BaseException:
        if os.path.exists(path):
            os.unlink(path)
        raise
