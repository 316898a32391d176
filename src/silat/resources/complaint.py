"""Complaints (pengaduan) and public information requests (PPID).

Each is a small dossier of its own: a folder for its attachments and
answers, a workflow state (``silat.workflow.complaint``,
``silat.workflow.information``), an SLA budget and a hash-chained history.
"""
import datetime as dt

from zope.interface import implementer

from silat.catalog.model import Duration
from silat.interfaces import IComplaint, IInformationRequest
from silat.resources.folder import Folder
from silat.resources.history import AuditLog


class _Case(Folder):
    state = None
    due_date = None
    sla = None
    sla_budget = None
    sla_extension = None

    def __init__(self, number, subject, body, reporter, owner=None):
        super().__init__(subject)
        self.number = number
        self.subject = subject
        self.body = body
        self.reporter = dict(reporter)     # name, email, phone
        self.owner = owner                 # username when filed by a logged-in person
        self.created = dt.datetime.now(dt.timezone.utc)
        self.modified = self.created
        self.history = AuditLog()

    @property
    def __acl__(self):
        from silat.workflow import acl_for
        return acl_for(self)


@implementer(IComplaint)
class Complaint(_Case):
    """A complaint about a service; answered within five working days."""

    workflow_name = "complaint"
    sla_budget = Duration(5, "working_days")


@implementer(IInformationRequest)
class InformationRequest(_Case):
    """A request for public information (UU 14/2008 art. 22: answered within
    ten working days, extendable once by seven)."""

    workflow_name = "information_request"
    sla_budget = Duration(10, "working_days")
    sla_extension = Duration(7, "working_days")
