"""A PPID request, its working-day dates, and the register figures."""
import hmac
import secrets

from zope.interface import Interface, implementer

from silat.resources.complaint import InformationRequest
from silat.workflow.calendar import local_date

ANSWER_DAYS, EXTENSION_DAYS, OBJECTION_FILING_DAYS, OBJECTION_ANSWER_DAYS = 10, 7, 30, 30
DELIVERY = ("email", "ambil", "pos")     # how the requester receives it


class IPpidRequest(Interface):
    """A public information request handled by the PPID workflow."""


@implementer(IPpidRequest)
class PpidRequest(InformationRequest):
    workflow_name = "ppid"
    decided_on = None
    decision = ""            # answer text or exemption reason
    outcome = None           # "grant" or "refuse"
    extension_reason = ""
    objection = None         # {"filed", "reason", "due", "answer", "answered"}
    survey_token = None
    holder_agency = None     # the agency (OPD) that holds the information

    def __init__(self, number, subject, body, reporter, owner=None, purpose="", delivery="email"):
        super().__init__(number, subject, body, reporter, owner)
        self.purpose = purpose
        self.delivery = delivery
        self.tracking_code = secrets.token_hex(4).upper()
        self.filed_on = local_date(self.created)
        self.answer_due = None

    def code_matches(self, code):
        return isinstance(code, str) and hmac.compare_digest(code.strip().upper(), self.tracking_code)

    def late(self, today):
        """Answered late, or still unanswered after the due date."""
        if self.decided_on is not None:
            return self.decided_on > self.answer_due
        return today > self.answer_due

    def objection_deadline(self, calendar):
        """The last day to object: 30 working days from the decision, or
        from the due date when no answer came."""
        start = self.decided_on or self.answer_due
        return calendar.add_working_days(start, OBJECTION_FILING_DAYS)
