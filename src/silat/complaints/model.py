"""A complaint handled by the SOP, and filing one."""
import hmac
import secrets

from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent.list import PersistentList
from zope.interface import Interface, implementer

from silat.resources.complaint import Complaint
from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow


class ISopComplaint(Interface):
    """A complaint handled step by step along the SOP."""


@implementer(ISopComplaint)
class SopComplaint(Complaint):
    """Channel, category, tracking code, the step log, the linked dossier,
    the letters and the complainant's rating."""

    workflow_name = "complaint_sop"
    category = None
    referral = ""
    reply_text = ""
    reply_number = None
    invitation_number = None
    invited = ()
    rating = None
    survey_token = None

    def __init__(self, number, subject, body, reporter, owner=None, channel="anonim",
                 service_code="", dossier_number=""):
        super().__init__(number, subject, body, reporter, owner)
        self.channel = channel
        self.service_code = service_code
        self.dossier_number = dossier_number
        self.tracking_code = secrets.token_hex(4).upper()
        self.step_log = PersistentList()

    def code_matches(self, code):
        return isinstance(code, str) and hmac.compare_digest(code.strip().upper(), self.tracking_code)


def _ensure(folder):
    if getattr(folder, "by_dossier", None) is None:
        folder.by_dossier = OOBTree()     # dossier or permit number -> OOTreeSet of complaint numbers
        folder.counters = OOBTree()       # year -> last sequence
    return folder


def next_number(folder, prefix):
    """PREFIX-YYYY-NNNNN, counted per year on the folder."""
    _ensure(folder)
    year = local_date(utcnow()).year
    key = f"{prefix}:{year}"
    seq = folder.counters.get(key, 0) + 1
    folder.counters[key] = seq
    return f"{prefix}-{year}-{seq:05d}"


def letter_number(folder, kind):
    """The next number of a letter of ``kind`` (reply, invitation). The
    city's numbering format is to be configured; this one is sequential."""
    _ensure(folder)
    year = local_date(utcnow()).year
    key = f"letter-{kind}:{year}"
    seq = folder.counters.get(key, 0) + 1
    folder.counters[key] = seq
    return f"{seq:04d}/{kind.upper()}/DPMPTSP/{year}"


def link_dossier(folder, complaint):
    if complaint.dossier_number:
        _ensure(folder)
        folder.by_dossier.setdefault(complaint.dossier_number, OOTreeSet()).add(complaint.number)


def linked(folder, dossier_number):
    index = getattr(folder, "by_dossier", None)
    if index is None or dossier_number not in index:
        return []
    return [folder[n] for n in index[dossier_number] if n in folder]


def enter_step(complaint, step, actor, now=None):
    complaint.step_log.append({"step": step, "entered": now or utcnow(), "left": None, "actor": actor})


def leave_step(complaint, actor, now=None):
    if complaint.step_log and complaint.step_log[-1]["left"] is None:
        entry = dict(complaint.step_log[-1])
        entry["left"], entry["actor"] = now or utcnow(), actor
        complaint.step_log[-1] = entry
