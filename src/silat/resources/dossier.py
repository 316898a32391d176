"""The dossier (berkas): everything one application accumulates.

A persistent folder under ``/berkas/<registration number>`` holding its
documents, recommendations, dispositions, inspections and fees in
sub-folders, the issued permit, and the hash-chained history. A
sub-folder is stored with its first child: until then ``dossier[name]``
answers an empty, unstored ``Subfolder`` (most dossiers never get a
disposition or an inspection, and every stored object is a record in the
commit that creates the dossier). Dossiers made before this hold all five
sub-folders, which work the same. Its ACL comes from its workflow state (``silat.workflow``);
its local roles say who owns it and which agencies review it.
"""
import datetime as dt
import secrets

from zope.interface import implementer

from silat.interfaces import IDossier
from silat.resources.folder import Folder
from silat.resources.history import AuditLog

SUBFOLDERS = {
    "dokumen": "Dokumen persyaratan",
    "rekomendasi": "Rekomendasi teknis",
    "disposisi": "Disposisi",
    "inspeksi": "Peninjauan lapangan",
    "retribusi": "Retribusi",
}


# Tracking codes avoid lookalikes (no l, I, 1, O, 0) and read case-insensitively.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class Subfolder(Folder):
    """A dossier's sub-folder: few children, so no ``Length``. Made unstored
    by ``Dossier.__getitem__``; the first ``add`` stores it in the dossier."""

    counted = False

    def add(self, name, obj):
        dossier = self.__parent__
        stored = dossier._data.get(self.__name__)
        if stored is None:
            Folder.add(dossier, self.__name__, self)
        elif stored is not self:
            return stored.add(name, obj)
        return super().add(name, obj)


def new_tracking_code(length=8):
    """``length`` uniform characters of the alphabet from one draw of the
    system's randomness (``secrets.choice`` per character read the kernel's
    random source eight times: about 1 ms per dossier on a loaded machine)."""
    base = len(TRACKING_ALPHABET)
    value = secrets.randbelow(base ** length)
    chars = []
    for _ in range(length):
        value, digit = divmod(value, base)
        chars.append(TRACKING_ALPHABET[digit])
    return "".join(chars)


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


@implementer(IDossier)
class Dossier(Folder):
    """One application and its file. ``state`` is changed only by
    ``silat.workflow.transition``."""

    state = None
    workflow_name = "application"
    permit = None
    due_date = None    # set by silat.workflow.sla when submitted
    sla = None
    renews = None      # number of the permit this application renews (workflow.cases.renew)
    counted = False    # its children are the sub-folders

    def __init__(self, registration_number, service_code, service_revision, owner):
        super().__init__(registration_number)
        self.registration_number = registration_number
        self.service_code = service_code
        self.service_revision = service_revision
        self.owner = owner                 # username of the applicant's account
        self.filed_by = owner              # a front-office officer for walk-ins
        self.applicant = {}                # snapshot of the applicant at filing
        self.location = {}
        self.fields = {}
        self.created = utcnow()
        self.modified = self.created
        self.tracking_code = new_tracking_code()
        self.history = AuditLog()

    def __getitem__(self, name):
        found = self._data.get(name)
        if found is not None:
            return found
        if name not in SUBFOLDERS:
            raise KeyError(name)
        pending = self.__dict__.get("_v_subfolders")
        if pending is None:
            pending = self._v_subfolders = {}
        if name not in pending:      # one object per name, until the dossier is reloaded
            folder = pending[name] = Subfolder(SUBFOLDERS[name])
            folder.__name__, folder.__parent__ = name, self
        return pending[name]

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name):
        return name in SUBFOLDERS or name in self._data

    @property
    def __acl__(self):
        from silat.workflow import acl_for
        return acl_for(self)

    # -- what the workflow guards ask (each owner package fills the data) --

    checklist = {}     # requirement key -> {"valid", "reason", "by", "at"} (intake verification)

    def standard(self):
        """The service standard revision this application was filed under."""
        from pyramid.traversal import find_root
        return find_root(self)["layanan"][self.service_code].revision(self.service_revision)

    def requirements(self):
        return tuple(self.standard().requirements or ())

    def missing_requirements(self):
        """Mandatory requirements the applicant must upload and has not."""
        documents = self["dokumen"]
        return [r for r in self.requirements()
                if r.mandatory and r.provided_by == "applicant" and r.key not in documents]

    def unverified_requirements(self):
        """Mandatory requirements not (yet) checked as valid."""
        return [r for r in self.requirements()
                if r.mandatory and not self.checklist.get(r.key, {}).get("valid")]

    def invalid_requirements(self):
        return [r for r in self.requirements()
                if self.checklist.get(r.key, {}).get("valid") is False]

    def pending_recommendations(self):
        """Codes of the agencies asked for a recommendation that is not given."""
        return [code for code, rec in self["rekomendasi"].items()
                if getattr(rec, "decision", None) is None]

    def fee_outstanding(self):
        """Rupiah still to pay over every fee assessment (SKRD)."""
        return sum(assessment.outstanding() for assessment in self["retribusi"].values())
