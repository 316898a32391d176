"""Documents of a dossier: one ``Document`` per requirement under
``dossier["dokumen"][<requirement key>]``, holding every uploaded version.

A version is a ZODB blob plus its metadata (sanitised original filename,
MIME type detected from the content, size, sha256, who and when). A
re-upload adds a version; earlier versions are kept. The Document exists
iff at least one version was uploaded (the workflow guards rely on that),
so it is created together with its first version.
"""
import datetime as dt

from BTrees.IOBTree import IOBTree
from persistent import Persistent
from ZODB.blob import Blob
from zope.interface import Attribute, Interface, implementer


class IDocument(Interface):
    """The uploaded versions of one requirement of a dossier."""

    requirement_key = Attribute("Key of the requirement in the service standard.")
    title = Attribute("Name of the requirement when it was first uploaded.")


class DocumentVersion(Persistent):
    """One uploaded file: the blob and what is known about it."""

    text = None        # its text for the index, read at upload (search.extract); None: not read

    def __init__(self, number, blob, filename, mime, size, sha256, by, at, text=None):
        self.number = number
        self.blob = blob
        self.filename = filename
        self.mime = mime
        self.size = size
        self.sha256 = sha256
        self.by = by
        self.at = at
        if text is not None:
            self.text = text

    def open(self):
        """A read-only file object of the content."""
        return self.blob.open("r")

    def metadata(self):
        return {"version": self.number, "filename": self.filename, "mime": self.mime,
                "size": self.size, "sha256": self.sha256, "uploaded_by": self.by,
                "uploaded_at": self.at.isoformat()}


@implementer(IDocument)
class Document(Persistent):
    """All versions of one requirement's document, newest last."""

    __name__ = None
    __parent__ = None

    def __init__(self, requirement_key, title=""):
        self.requirement_key = requirement_key
        self.title = title or requirement_key
        self.versions = IOBTree()

    _count = None      # a Length in documents made before version numbers counted them

    def __len__(self):
        """Versions are numbered 1, 2, 3, ... with no gap."""
        if self._count is not None:
            return self._count()
        return self.versions.maxKey() if self.versions else 0

    def __iter__(self):
        return iter(self.versions.values())

    @property
    def latest(self):
        return self.versions[self.versions.maxKey()] if len(self.versions) else None

    def version(self, number):
        return self.versions[int(number)]

    def add_version(self, path, filename, mime, size, sha256, by, at=None, text=None):
        """Store the file at ``path`` (moved into the blob storage) as the
        next version and return it; ``text``: its text, read at upload."""
        blob = Blob()
        blob.consumeFile(path)
        number = self.versions.maxKey() + 1 if len(self.versions) else 1
        version = DocumentVersion(number, blob, filename, mime, size, sha256, by,
                                  at or dt.datetime.now(dt.timezone.utc), text)
        self.versions[number] = version
        if self._count is not None:
            self._count.change(1)
        return version


def add_document_version(dossier, requirement, path, filename, mime, size, sha256, by, text=None):
    """Add a version of ``requirement``'s document to ``dossier``, creating
    the Document with its first version."""
    folder = dossier["dokumen"]
    document = folder.get(requirement.key)
    if document is None:
        document = Document(requirement.key, requirement.name)
        version = document.add_version(path, filename, mime, size, sha256, by, text=text)
        folder.add(requirement.key, document)
        return document, version
    return document, document.add_version(path, filename, mime, size, sha256, by, text=text)
