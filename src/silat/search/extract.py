"""Text of attached files, for the index.

PDFs are read with pypdf (maintained, pure Python). A PDF page without
a text layer, or an image file, is a scan: it is marked as such
(``scan_only``) and contributes no text. Text is capped per file so a
500-page annex cannot swell the index.

An upload's text is read once, when it is inspected (``reader_text`` on
the reader the checks parsed, for PDFs of at most ``UPLOAD_PAGES``
pages), and kept on its ``DocumentVersion``: indexing, done again at
every step of a dossier and by every rebuild, then parses no PDF. Older
versions, and longer PDFs, are read here when indexed.
"""
import logging

log = logging.getLogger(__name__)

MAX_CHARS = 100_000
MAX_PAGES = 200
UPLOAD_PAGES = 20           # an upload's text is read at inspection up to this many pages
IMAGE_TYPES = ("image/",)


def reader_text(reader, max_chars=MAX_CHARS):
    """Text of a parsed PDF (a pypdf ``PdfReader``); '' when it has no
    text layer, None when it cannot be read."""
    try:
        parts, size = [], 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES or size >= max_chars:
                break
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
        return " ".join(" ".join(parts).split())[:max_chars]
    except Exception as exc:   # a damaged upload must not stop indexing
        log.warning("could not read PDF text: %s", exc)
        return None


def pdf_text(fileobj, max_chars=MAX_CHARS):
    """Text of a PDF file object; '' when it has no text layer."""
    from pypdf import PdfReader
    try:
        reader = PdfReader(fileobj)
    except Exception as exc:
        log.warning("could not read PDF text: %s", exc)
        return ""
    return reader_text(reader, max_chars) or ""


def file_text(mime, opener, known=None):
    """``(text, is_scan)`` for one stored file; ``opener()`` opens it;
    ``known`` is its text read at upload (None: not read then)."""
    mime = (mime or "").lower()
    if mime.startswith(IMAGE_TYPES):
        return "", True
    if mime == "application/pdf":
        if known is None:
            with opener() as handle:
                known = pdf_text(handle)
        return known, not known.strip()
    if mime.startswith("text/"):
        with opener() as handle:
            return handle.read(MAX_CHARS).decode("utf-8", "replace"), False
    return "", False


def documents_text(dossier):
    """``(text, titles, scans)`` over the latest version of every document
    in ``dossier["dokumen"]``."""
    folder = dossier.get("dokumen") if hasattr(dossier, "get") else None
    texts, titles, scans = [], [], 0
    if folder is None:
        return "", [], 0
    for document in folder.values():
        latest = getattr(document, "latest", None)
        title = getattr(document, "title", "") or ""
        titles.append(title)
        if latest is None:
            continue
        text, scan = file_text(getattr(latest, "mime", ""), latest.open, getattr(latest, "text", None))
        if scan:
            scans += 1
            texts.append(f"{title} (pindaian tanpa teks)")
        elif text:
            texts.append(text)
    return "\n".join(texts), titles, scans
