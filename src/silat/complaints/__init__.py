"""Complaints (pengaduan) by the SOP of seed 003: channels,
classification, timed steps, letters, tracking and rating.
``complaints_for(dossier, request)`` lists a dossier's complaints."""
from silat.complaints.sop import COMPLAINT_SOP
from silat.workflow.engine import register_workflow

register_workflow(COMPLAINT_SOP)


def complaints_for(dossier, request):
    from silat.complaints.views import complaints_for as found
    return found(dossier, request)


def complaints_panel(dossier, request):
    from silat.complaints.views import complaints_panel as panel
    return panel(dossier, request)


def includeme(config):
    from silat.complaints.api import ROUTES
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.scan(__name__)
