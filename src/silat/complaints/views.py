"""Complaint pages: file (``/pengaduan/ajukan``), track
(``/pengaduan/lacak``), the analysts' queue (``/pengaduan/antrian``), the
supervisors' late steps (``/pengaduan/terlambat``), one complaint with its
SOP steps, and its letters."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.traversal import find_root
from pyramid.view import view_config

from silat.complaints import service
from silat.complaints.model import ISopComplaint, linked
from silat.complaints.sop import BY_NAME, CATEGORIES, CHANNELS, STEPS
from silat.complaints.timing import office_hours, step_rows
from silat.i18n import _
from silat.interfaces import IComplaintFolder, IDossier
from silat.security.permissions import HANDLE_COMPLAINTS, SUPERVISE, VIEW, VIEW_DOSSIER
from silat.workflow import WorkflowError
from silat.workflow.calendar import calendar_for
from silat.workflow.sla import utcnow

T = "silat:templates/citizen/"


def _rows(complaint, request):
    hours, _c = office_hours(request.registry.settings)
    return step_rows(complaint, calendar_for(find_root(complaint)), hours, utcnow())


def _sop_complaints(folder):
    return [c for c in folder.values() if ISopComplaint.providedBy(c)]


@view_config(context=IComplaintFolder, name="ajukan", permission=VIEW, renderer=T + "complaint_form.pt")
def file_form(context, request):
    result = {"title": _("Ajukan Pengaduan"), "errors": {}, "values": {}, "filed": None,
              "anonymous_only": request.user is None}
    if request.method == "POST":
        anonymous = request.user is None or request.POST.get("anonymous") == "1"
        data = {k: request.POST.get(k, "") for k in service.LIMITS}
        clean, errors = service.check_input(data, anonymous)
        result["values"] = data
        if errors:
            request.response.status_int = 422
            result["errors"] = errors
            return result
        channel, owner = service.channel_for(request, anonymous)
        actor = request.user.username if request.user is not None else "anonim"
        from silat.complaints.attachments import attach
        complaint = service.file_complaint(find_root(context), clean, channel, owner, actor)
        refused = attach(complaint, request, request.POST.get("lampiran"), actor)
        if refused is not None:
            request.tm.doom()
            request.response.status_int = 422
            result["errors"] = {"lampiran": refused}
            return result
        result["filed"] = complaint
    return result


@view_config(context=IComplaintFolder, name="lacak", permission=VIEW, renderer=T + "complaint_track.pt")
def track(context, request):
    number, code = request.params.get("nomor", "").strip(), request.params.get("kode", "")
    complaint = context.get(number) if number else None
    if complaint is not None and not (ISopComplaint.providedBy(complaint) and complaint.code_matches(code)):
        complaint = None
    result = {"title": _("Lacak Pengaduan"), "number": number, "status": None, "message": None,
              "code": code}
    if number and complaint is None:
        request.response.status_int = 404
        result["message"] = _("Nomor atau kode pelacakan tidak cocok.")
        return result
    if complaint is None:
        return result
    if request.method == "POST":
        rating = request.POST.get("rating", "")
        if complaint.state not in ("archive", "closed"):
            request.response.status_int = 409
            result["message"] = _("Jawaban belum dikirim; penilaian belum dapat diberikan.")
        elif complaint.rating is not None:
            request.response.status_int = 409
            result["message"] = _("Jawaban ini sudah dinilai.")
        elif rating not in ("1", "2", "3", "4", "5"):
            request.response.status_int = 422
            result["message"] = _("Pilih nilai 1 sampai 5.")
        else:
            complaint.rating = {"value": int(rating), "comment": request.POST.get("comment", "")[:2000]}
            complaint.history.append("pelapor", "rated", "", rating=int(rating))
            result["message"] = _("Terima kasih atas penilaian Anda.")
    if request.params.get("surat") == "balasan" and complaint.reply_number \
            and complaint.state in ("archive", "closed"):
        return _pdf(complaint, request, "reply")
    result["status"] = service.public_status(complaint, request, utcnow())
    result["complaint"] = complaint
    return result


@view_config(context=IComplaintFolder, name="antrian", permission=HANDLE_COMPLAINTS,
             renderer=T + "complaint_queue.pt")
def queue(context, request):
    items = []
    for complaint in _sop_complaints(context):
        if complaint.state in ("closed", "referred"):
            continue
        rows = _rows(complaint, request)
        items.append({"complaint": complaint, "step": BY_NAME[complaint.state],
                      "late": bool(rows and rows[-1]["late"]), "url": request.resource_url(complaint)})
    return {"title": _("Antrian Pengaduan"), "items": items}


def late_steps(folder, request):
    """(complaint, row) of every step over its standard, open ones first."""
    found = []
    for complaint in _sop_complaints(folder):
        for row in _rows(complaint, request):
            if row["late"]:
                found.append((complaint, row))
    return sorted(found, key=lambda cr: (not cr[1]["open"], cr[0].number))


@view_config(context=IComplaintFolder, name="terlambat", permission=SUPERVISE,
             renderer=T + "complaint_late.pt")
def late(context, request):
    return {"title": _("Langkah Pengaduan yang Terlambat"),
            "items": [{"number": c.number, "url": request.resource_url(c), "row": r}
                      for c, r in late_steps(context, request)]}


@view_config(context=ISopComplaint, permission=VIEW_DOSSIER, renderer=T + "complaint_view.pt")
def complaint_view(context, request):
    hours, configured = office_hours(request.registry.settings)
    return {"title": _("Pengaduan ${n}", mapping={"n": context.number}), "complaint": context,
            "rows": _rows(context, request), "steps": STEPS, "categories": CATEGORIES,
            "channels": CHANNELS, "current": BY_NAME.get(context.state),
            "may_handle": request.has_permission(HANDLE_COMPLAINTS, context),
            "office_hours": f"{hours[0]:%H:%M}-{hours[1]:%H:%M}", "hours_configured": configured,
            "message": request.params.get("pesan")}


@view_config(context=ISopComplaint, name="langkah", request_method="POST", permission=HANDLE_COMPLAINTS)
def take_step(context, request):
    action = request.POST.get("action")
    try:
        if action == "classify":
            if context.state != "register" or context.category is not None:
                raise ValueError(_("Pengaduan sudah diklasifikasikan."))
            service.classify(context, request, request.POST.get("category", ""),
                             request.POST.get("referral", ""))
        elif action == "advance":
            invited = [a.strip() for a in request.POST.get("invited", "").split(",") if a.strip()]
            service.advance(context, request, request.POST.get("comment", "").strip()[:10000], invited)
        else:
            raise ValueError(_("Tindakan tidak dikenal."))
    except WorkflowError as refused:
        request.response.status_int = refused.status
        return _message(context, request, refused.reason, refused.status)
    except ValueError as refused:
        return _message(context, request, refused.args[0], 422)
    return HTTPSeeOther(request.resource_url(context))


def _message(context, request, message, status):
    from pyramid.renderers import render_to_response
    result = complaint_view(context, request)
    result["message"] = message
    response = render_to_response(T + "complaint_view.pt", result, request=request)
    response.status_int = status
    return response


@view_config(context=ISopComplaint, name="transisi", permission=VIEW_DOSSIER)
def no_generic_transitions(context, request):
    """SOP complaints move only through their own page (timing, letters)."""
    return HTTPSeeOther(request.resource_url(context))


def _pdf(complaint, request, kind):
    from silat.complaints.letters import invitation_letter, reply_letter
    render = reply_letter if kind == "reply" else invitation_letter
    body = render(complaint, request.localizer.translate)
    return Response(body=body, content_type="application/pdf",
                    content_disposition=f'inline; filename="{complaint.number}-{kind}.pdf"')


@view_config(context=ISopComplaint, name="surat-balasan.pdf", permission=VIEW_DOSSIER)
def reply_pdf(context, request):
    if not context.reply_number:
        return _message(context, request, _("Surat balasan belum disetujui."), 409)
    return _pdf(context, request, "reply")


@view_config(context=ISopComplaint, name="undangan.pdf", permission=VIEW_DOSSIER)
def invitation_pdf(context, request):
    if not context.invitation_number:
        return _message(context, request, _("Tidak ada undangan telaah bersama."), 409)
    return _pdf(context, request, "invitation")


def complaints_for(dossier, request):
    """Complaints about ``dossier`` (or its permit) that the request's user may see."""
    folder = find_root(dossier)["pengaduan"]
    numbers = {getattr(dossier, "registration_number", None), getattr(dossier, "number", None)}
    found = []
    for number in sorted(n for n in numbers if n):
        found += [c for c in linked(folder, number) if request.has_permission(VIEW_DOSSIER, c)]
    return found


def complaints_panel(dossier, request):
    """The panel HTML of ``dossier``'s complaints (empty when none): the
    hook for the dossier page."""
    from pyramid.renderers import render
    return render(T + "complaints_panel.pt", {"complaints": complaints_for(dossier, request)},
                  request=request)


@view_config(context=IDossier, name="pengaduan", permission=VIEW_DOSSIER,
             renderer=T + "dossier_complaints.pt")
def dossier_complaints(context, request):
    """``/berkas/<number>/pengaduan``: the complaints about this dossier."""
    return {"title": _("Pengaduan terkait"), "panel": complaints_panel(context, request),
            "number": context.registration_number}


@view_config(context=ISopComplaint, name="lampiran", permission=VIEW_DOSSIER)
def attachment(context, request):
    from pyramid.httpexceptions import HTTPNotFound
    from silat.complaints.attachments import download
    return download(context) or HTTPNotFound()
