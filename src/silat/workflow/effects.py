"""What follows every transition, in this order: the SLA clock, review
roles, then the notices (which read the new due date and reviewers).
The permits package renders the letter a transition declares."""
from pyramid.events import subscriber

from silat.interfaces import IWorkflowEvent
from silat.workflow import notices, review, sla


@subscriber(IWorkflowEvent)
def after_transition(event):
    registry = event.registry or event.request.registry
    sla.run_clock(event)
    review.open_review(event, registry.settings)
    notices.tell(event, registry)
