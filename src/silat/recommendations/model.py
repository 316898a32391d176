"""Recommendation requests, dispositions and site inspections of a dossier.

- ``dossier["rekomendasi"][<AGENCY CODE>]``: one ``Recommendation`` per
  agency the service standard names, created when the dossier is
  forwarded to the agencies (``request_review``). ``decision`` stays None
  until the agency head (or an official with delegated authority) signs.
- ``dossier["disposisi"][<n>]``: ``Disposition`` records, the chain of
  work inside an agency (``parent`` names the disposition it continues).
- ``dossier["inspeksi"][<n>]``: ``Inspection`` (peninjauan lapangan) with
  its photos and the BAP PDF.
"""
import datetime as dt

from persistent import Persistent
from ZODB.blob import Blob
from zope.interface import Interface, implementer

from silat.i18n import _

DECISIONS = {
    "recommended": _("Direkomendasikan"),
    "conditional": _("Direkomendasikan dengan syarat"),
    "not_recommended": _("Tidak direkomendasikan"),
}
STATUSES = {
    "requested": _("Menunggu kajian"),
    "drafted": _("Draf rekomendasi"),
    "signed": _("Rekomendasi ditandatangani"),
}


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


class IRecommendation(Interface):
    """An agency's technical recommendation on one dossier."""


class IDisposition(Interface):
    """One step of the disposition chain inside an agency."""


class IInspection(Interface):
    """A site inspection (peninjauan lapangan)."""


@implementer(IRecommendation)
class Recommendation(Persistent):
    __name__ = None
    __parent__ = None
    decision = None
    conditions = ()
    reasons = ""
    notes = ""
    draft = None               # {"decision", "conditions", "reasons", "notes", "by", "at"}
    letter_number = None
    letter = None              # StoredPdf (signed)
    signed_by = None
    signed_by_title = ""
    signed_at = None

    def __init__(self, agency_code, requested_by, due_date=None):
        self.agency_code = agency_code
        self.requested_by = requested_by
        self.requested_at = utcnow()
        self.due_date = due_date

    @property
    def status(self):
        if self.decision is not None:
            return "signed"
        return "drafted" if self.draft else "requested"

    @property
    def dossier(self):
        return self.__parent__.__parent__ if self.__parent__ is not None else None


@implementer(IDisposition)
class Disposition(Persistent):
    __name__ = None
    __parent__ = None
    read_at = None
    done_at = None
    done_note = ""

    def __init__(self, agency_code, from_user, to_user, instruction, due, parent=None):
        self.agency_code = agency_code
        self.from_user = from_user
        self.to_user = to_user
        self.instruction = instruction
        self.due = due
        self.parent = parent
        self.created = utcnow()

    @property
    def open(self):
        return self.done_at is None


class Photo(Persistent):
    def __init__(self, path, filename, mime, size, sha256, by):
        self.blob = Blob()
        self.blob.consumeFile(path)
        self.filename, self.mime, self.size, self.sha256, self.by = filename, mime, size, sha256, by
        self.at = utcnow()

    def data(self):
        with self.blob.open("r") as inp:
            return inp.read()


@implementer(IInspection)
class Inspection(Persistent):
    __name__ = None
    __parent__ = None
    bap = None                 # StoredPdf

    def __init__(self, agency_code, date, team, findings, by):
        self.agency_code = agency_code
        self.date = date
        self.team = tuple(team)
        self.findings = findings
        self.photos = ()
        self.created_by = by
        self.created = utcnow()
