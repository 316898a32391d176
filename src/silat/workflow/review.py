"""Technical review: entering ``in_review`` makes each agency the standard
names a reviewer of the dossier (a recorded local role) with its own
recommendation due date within the whole budget."""
from silat.interfaces import IDossier
from silat.security.principals import agency_principal
from silat.workflow import sla
from silat.workflow.guards import pending_agencies
from silat.workflow.history import grant_local_role


def open_review(event, settings):
    dossier = event.object
    if not IDossier.providedBy(dossier) or event.new_state != "in_review":
        return
    share = sla.recommendation_share(settings)
    for code in pending_agencies(dossier):
        grant_local_role(dossier, agency_principal(code), "reviewer", event.actor)
        sla.request_budget(dossier, code, share)
