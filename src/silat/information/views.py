"""PPID pages under ``/informasi``: request form, tracking with the
answer letter and the objection, the public register (no personal data),
the yearly figures, and the officer's page of one request."""
import datetime as dt

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.traversal import find_root
from pyramid.view import view_config

from silat.i18n import _
from silat.information import service
from silat.information.model import DELIVERY, IPpidRequest
from silat.interfaces import IInformationRequestFolder
from silat.security.permissions import HANDLE_COMPLAINTS, SUPERVISE, VIEW, VIEW_DOSSIER
from silat.workflow import WorkflowError
from silat.workflow.calendar import local_date
from silat.workflow.engine import workflow_for
from silat.workflow.sla import utcnow

T = "silat:templates/citizen/"
ANSWER_TEXTS = (_("Jawaban permohonan informasi ${number}"),
                _("Permohonan informasi ${number} telah diputus. Unduh surat jawaban dan "
                  "dokumennya: ${url}"))


@view_config(context=IInformationRequestFolder, name="ajukan", permission=VIEW,
             renderer=T + "information_form.pt")
def file_form(context, request):
    result = {"title": _("Permohonan Informasi Publik"), "errors": {}, "values": {}, "filed": None,
              "delivery": DELIVERY}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in service.LIMITS}
        clean, errors = service.check_input(data)
        result["values"] = data
        if errors:
            request.response.status_int = 422
            result["errors"] = errors
            return result
        owner = request.user.username if request.user is not None else None
        result["filed"] = service.file_request(find_root(context), clean, owner, owner or "pemohon")
    return result


def _letter(obj, request):
    from silat.information.letters import answer_letter
    return Response(body=answer_letter(obj, request.localizer.translate), content_type="application/pdf",
                    content_disposition=f'inline; filename="{obj.number}-jawaban.pdf"')


@view_config(context=IInformationRequestFolder, name="lacak", permission=VIEW,
             renderer=T + "information_track.pt")
def track(context, request):
    number, code = request.params.get("nomor", "").strip(), request.params.get("kode", "")
    obj = context.get(number) if number else None
    if obj is not None and not (IPpidRequest.providedBy(obj) and obj.code_matches(code)):
        obj = None
    result = {"title": _("Lacak Permohonan Informasi"), "number": number, "code": code,
              "status": None, "message": None}
    if number and obj is None:
        request.response.status_int = 404
        result["message"] = _("Nomor atau kode pelacakan tidak cocok.")
        return result
    if obj is None:
        return result
    if request.params.get("surat") == "jawaban" and obj.decided_on:
        return _letter(obj, request)
    if request.params.get("dokumen") == "1" and obj.outcome == "grant":
        from silat.complaints.attachments import download
        found = download(obj)
        if found is not None:
            return found
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:5000]
        try:
            service.object_to(obj, request, reason)
            result["message"] = _("Keberatan Anda tercatat.")
        except WorkflowError as refused:
            request.response.status_int = refused.status
            result["message"] = refused.reason
    result["status"] = service.public_status(obj, request)
    result["has_document"] = obj.outcome == "grant" and "lampiran" in obj
    result["may_object"] = obj.state in ("received", "extended", "granted", "refused") and obj.objection is None
    return result


@view_config(context=IInformationRequestFolder, name="register", permission=VIEW,
             renderer=T + "information_register.pt")
def register(context, request):
    t = request.localizer.translate
    rows = [{"number": r.number, "filed_on": r.filed_on, "subject": r.subject,
             "state": t(workflow_for(r).states[r.state].title), "decided_on": r.decided_on}
            for r in context.values() if IPpidRequest.providedBy(r)]
    return {"title": _("Register Permohonan Informasi Publik"), "rows": rows}


@view_config(context=IInformationRequestFolder, name="laporan", permission=SUPERVISE,
             renderer=T + "information_report.pt")
def yearly(context, request):
    try:
        year = int(request.params.get("tahun", ""))
    except ValueError:
        year = local_date(utcnow()).year
    return {"title": _("Laporan Tahunan PPID"), "figures": service.yearly_figures(context, year)}


@view_config(context=IPpidRequest, permission=VIEW_DOSSIER, renderer=T + "information_view.pt")
def request_view(context, request):
    return {"title": _("Permohonan Informasi ${n}", mapping={"n": context.number}), "obj": context,
            "state_title": workflow_for(context).states[context.state].title,
            "may_handle": request.has_permission(HANDLE_COMPLAINTS, context),
            "agencies": sorted(find_root(context)["opd"].keys()),
            "message": None}


@view_config(context=IPpidRequest, name="tindakan", request_method="POST", permission=HANDLE_COMPLAINTS)
def take_action(context, request):
    action = request.POST.get("action", "")
    if action == "forward":
        return _forward(context, request)
    if action not in ("extend", "grant", "refuse", "answer_objection"):
        action = "unknown"
    from silat.complaints.attachments import attach
    try:
        if action == "grant":
            problem = attach(context, request, request.POST.get("lampiran"), request.user.username)
            if problem is not None:
                raise WorkflowError(422, "bad_document", problem)
        service.act(context, request, action, request.POST.get("comment", "").strip()[:10000])
    except WorkflowError as refused:
        request.tm.doom()
        result = request_view(context, request)
        result["message"] = refused.reason
        response = render_to_response(T + "information_view.pt", result, request=request)
        response.status_int = refused.status
        return response
    if action in ("grant", "refuse"):
        _deliver(context, request)
    return HTTPSeeOther(request.resource_url(context))


FORWARD_TEXTS = (_("Permintaan informasi ${number} untuk ${agency}"),
                 _("PPID meminta informasi yang dikuasai ${agency} untuk permohonan ${number}: ${subject}"))


def _forward(obj, request):
    """Ask the agency that holds the information (its staff are told)."""
    from silat.workflow.notices import agency_staff, send
    code = request.POST.get("agency", "").strip().upper()
    site = find_root(obj)
    if code not in site["opd"] or obj.state not in ("received", "extended"):
        result = request_view(obj, request)
        result["message"] = _("Pilih perangkat daerah yang menguasai informasi.")
        response = render_to_response(T + "information_view.pt", result, request=request)
        response.status_int = 422
        return response
    obj.holder_agency = code
    obj.history.append(request.user.username, "forwarded", "", agency=code)
    send(request.registry, request.tm, agency_staff(site, {code}), FORWARD_TEXTS,
         {"number": obj.number, "agency": code, "subject": obj.subject})
    return HTTPSeeOther(request.resource_url(obj))


def _deliver(obj, request):
    """Email the requester the download link of the answer letter."""
    from silat.workflow.notices import owner_recipient, send
    recipient, lang = owner_recipient(obj)
    if recipient is None:
        return
    url = request.resource_url(find_root(obj)["informasi"], "lacak",
                               query={"nomor": obj.number, "kode": obj.tracking_code, "surat": "jawaban"})
    if "lampiran" in obj:
        url += " " + request.resource_url(find_root(obj)["informasi"], "lacak", query={
            "nomor": obj.number, "kode": obj.tracking_code, "dokumen": "1"})
    send(request.registry, request.tm, [(recipient, lang)], ANSWER_TEXTS, {"number": obj.number, "url": url})


@view_config(context=IPpidRequest, name="transisi", permission=VIEW_DOSSIER)
def no_generic_transitions(context, request):
    return HTTPSeeOther(request.resource_url(context))


@view_config(context=IPpidRequest, name="jawaban.pdf", permission=VIEW_DOSSIER)
def letter_pdf(context, request):
    if not context.decided_on:
        return HTTPSeeOther(request.resource_url(context))
    return _letter(context, request)


__all__ = ["dt"]
