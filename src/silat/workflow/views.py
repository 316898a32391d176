"""The officer UI of the workflow: the actions a user may take on a
dossier (``transisi``: GET shows them, POST takes one) and the history
tab (``riwayat``). The dossier page embeds the actions with
``transition_forms`` and the macro in ``templates/workflow/actions.pt``."""
import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.forms import CSRFSchema, make_form
from silat.i18n import _
from silat.interfaces import IComplaint, IDossier, IInformationRequest, IPermit
from silat.security.permissions import VIEW_DOSSIER
from silat.security.views import safe_came_from
from silat.workflow.calendar import local_date
from silat.workflow.engine import WorkflowError, available, transition, workflow_for
from silat.workflow.sla import agency_status, due_soon_days, sla_status, utcnow

CONTENT = (IDossier, IPermit, IComplaint, IInformationRequest)
MARK_TITLES = {"ok": _("Sesuai jadwal"), "due_soon": _("Mendekati batas waktu"),
               "overdue": _("Melewati batas waktu"), "paused": _("Dihentikan sementara")}


class TransitionSchema(CSRFSchema):
    name = colander.SchemaNode(colander.String(), widget=deform.widget.HiddenWidget(),
                               validator=colander.Length(max=64))
    comment = colander.SchemaNode(colander.String(), title=_("Catatan / alasan"), missing="",
                                  widget=deform.widget.TextAreaWidget(rows=2),
                                  validator=colander.Length(max=2000, max_err=_(
                                      "Catatan paling banyak ${max} karakter.")))
    came_from = colander.SchemaNode(colander.String(), widget=deform.widget.HiddenWidget(),
                                    missing="", validator=colander.Length(max=500))


def transition_form(context, request, step, came_from=""):
    form = make_form(request, TransitionSchema(), formid=f"transisi-{step.name}",
                     buttons=(deform.Button("jalankan", step.title),),
                     action=request.resource_url(context, "transisi"))
    return form.render({"name": step.name, "came_from": came_from})


def transition_forms(context, request, came_from=""):
    """[(Transition, rendered form)] for every transition the user may take now."""
    return [(step, transition_form(context, request, step, came_from))
            for step in available(context, request)]


def sla_info(context, request, agency_code=None):
    """Due date, mark and remaining working days for a page or worklist row
    (of one agency's recommendation budget when ``agency_code`` is given)."""
    today, soon = local_date(utcnow()), due_soon_days(request.registry.settings)
    if agency_code:
        mark, remaining = agency_status(context, agency_code, today, soon)
    else:
        mark, remaining = sla_status(context, today, soon)
    return {"mark": mark, "remaining": remaining, "title": MARK_TITLES.get(mark),
            "due_date": getattr(context, "due_date", None)}


def number_of(context):
    return getattr(context, "registration_number", None) or getattr(context, "number", context.__name__)


@view_config(context=IDossier, name="transisi", request_method="GET", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/actions.pt")
@view_config(context=IPermit, name="transisi", request_method="GET", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/actions.pt")
@view_config(context=IComplaint, name="transisi", request_method="GET", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/actions.pt")
@view_config(context=IInformationRequest, name="transisi", request_method="GET",
             permission=VIEW_DOSSIER, renderer="silat:templates/workflow/actions.pt")
def actions_page(context, request):
    return {"title": _("Tindakan ${number}", mapping={"number": number_of(context)}),
            "state_title": workflow_for(context).states[context.state].title,
            "sla": sla_info(context, request), "actions": transition_forms(context, request),
            "history_url": request.resource_url(context, "riwayat")}


@view_config(context=IDossier, name="transisi", request_method="POST", permission=VIEW_DOSSIER)
@view_config(context=IPermit, name="transisi", request_method="POST", permission=VIEW_DOSSIER)
@view_config(context=IComplaint, name="transisi", request_method="POST", permission=VIEW_DOSSIER)
@view_config(context=IInformationRequest, name="transisi", request_method="POST",
             permission=VIEW_DOSSIER)
def take_transition(context, request):
    """Take the posted transition; a refusal is shown as an error and nothing changes."""
    translate, flash = request.localizer.translate, request.session.flash
    came_from = request.POST.get("came_from", "")
    back = safe_came_from(request, came_from) if came_from else request.resource_url(context, "transisi")
    form = make_form(request, TransitionSchema())
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure as failure:
        for field, message in failure.error.asdict(translate).items():
            flash(message, "error")
        return HTTPSeeOther(back)
    workflow = workflow_for(context)
    try:
        new_state = transition(context, data["name"], request, comment=data["comment"].strip())
    except WorkflowError as refused:      # raised before anything changed
        flash(translate(refused.reason), "error")
        return HTTPSeeOther(back)
    step = workflow.transitions[data["name"]]
    flash(translate(_("${action} berhasil. Status sekarang: ${state}.", mapping={
        "action": translate(step.title), "state": translate(workflow.states[new_state].title)})))
    if not request.has_permission(VIEW_DOSSIER, context):
        back = request.application_url + "/beranda"
    return HTTPSeeOther(back)


@view_config(context=IDossier, name="riwayat", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/history.pt")
@view_config(context=IPermit, name="riwayat", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/history.pt")
@view_config(context=IComplaint, name="riwayat", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/history.pt")
@view_config(context=IInformationRequest, name="riwayat", permission=VIEW_DOSSIER,
             renderer="silat:templates/workflow/history.pt")
def history_page(context, request):
    """The dossier's history as sentences, oldest first, and whether its chain holds."""
    from silat.present.history import timeline
    workflow = workflow_for(context)
    rows = timeline(context, request)
    broken = context.history.verify()
    return {"title": _("Riwayat ${number}", mapping={"number": number_of(context)}),
            "rows": rows, "broken": broken, "actions_url": request.resource_url(context, "transisi"),
            "state_title": workflow.states[context.state].title}
