"""A rendered PDF (letter, SKRD, permit) kept as a ZODB blob with its hash."""
import datetime as dt
import hashlib

from persistent import Persistent
from ZODB.blob import Blob


class StoredPdf(Persistent):
    """An immutable generated document: the exact bytes that were issued."""

    mime = "application/pdf"
    text = None        # its text for the index when known at making (search.extract); None: read it

    def __init__(self, data, filename, by="", text=None):
        self.blob = Blob()
        with self.blob.open("w") as out:
            out.write(data)
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.size = len(data)
        self.filename = filename
        self.by = by
        self.at = dt.datetime.now(dt.timezone.utc)
        if text is not None:
            self.text = text

    def data(self):
        with self.blob.open("r") as inp:
            return inp.read()


def pdf_response(request, stored, inline=True):
    response = request.response
    response.content_type = "application/pdf"
    response.body = stored.data() if isinstance(stored, StoredPdf) else stored
    name = stored.filename if isinstance(stored, StoredPdf) else "dokumen.pdf"
    response.content_disposition = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control = "private, no-store"
    return response
