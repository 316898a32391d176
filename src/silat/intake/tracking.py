"""Public tracking: ``/lacak`` (form) and ``GET /api/v1/track/{number}?code=``.

Both need the registration number *and* the tracking code printed on the
receipt; a wrong code and an unknown number look the same. They show
only the status, the stage and the due date: no personal data.
"""
import hmac

import deform
from pyramid.view import view_config

from silat.api import api_view
from silat.api.errors import error_response
from silat.forms import make_form
from silat.i18n import _
from silat.interfaces import ISite
from silat.intake.applications import due_date
from silat.intake.schemas import TrackSchema
from silat.resources.site import get_site
from silat.security import throttle
from silat.security.permissions import VIEW
from silat.security.principals import utcnow
from silat.workflow import state_title

# A coarse public stage per workflow state.
STAGES = {
    "draft": _("Pengisian permohonan"),
    "submitted": _("Pemeriksaan kelengkapan berkas"),
    "returned": _("Perbaikan berkas oleh pemohon"),
    "verified": _("Pemrosesan permohonan"),
    "in_review": _("Kajian teknis perangkat daerah"),
    "awaiting_payment": _("Pembayaran retribusi"),
    "approved": _("Penerbitan izin"),
    "issued": _("Selesai"),
    "rejected": _("Selesai"),
    "withdrawn": _("Selesai"),
}


def find_tracked(site, number, code):
    dossier = site["berkas"].get((number or "").strip().upper())
    if dossier is None or not code or not isinstance(code, str):
        return None
    if not hmac.compare_digest(dossier.tracking_code.encode(), code.strip().encode()):
        return None
    return dossier


def throttled_find(request, site, number, code):
    """``find_tracked`` behind the guess throttle: returns (dossier or
    None, seconds to wait). A wrong code counts as a failure of the
    caller's address (committed: callers answer without raising)."""
    principals, now = site["pengguna"], utcnow()
    wait = throttle.tracking_wait(principals, number, request.client_addr, now)
    if wait:
        return None, wait
    dossier = find_tracked(site, number, code)
    if dossier is None:
        throttle.record_tracking_failure(principals, number, request.client_addr, now)
    return dossier, 0


def wait_message(seconds):
    return _("Terlalu banyak percobaan pelacakan yang salah. Coba lagi dalam ${seconds} detik.",
             mapping={"seconds": seconds})


def public_status(request, dossier):
    translate = request.localizer.translate
    due = due_date(dossier)
    return {"registration_number": dossier.registration_number, "status": dossier.state,
            "status_title": translate(state_title(dossier)),
            "stage": translate(STAGES.get(dossier.state, state_title(dossier))),
            "due_date": due.isoformat() if due else None}


@view_config(context=ISite, name="lacak", permission=VIEW, renderer="silat:templates/intake/track.pt")
def track_page(context, request):
    form = make_form(request, TrackSchema(), buttons=(deform.Button("lacak", _("Lacak")),),
                     method="GET")
    result, not_found, wait = None, False, 0
    if "nomor" in request.GET:
        try:
            data = form.validate(request.GET.items())
        except deform.ValidationFailure as failure:
            return {"title": _("Lacak Permohonan"), "form": failure.render(), "result": None,
                    "not_found": False}
        dossier, wait = throttled_find(request, context, data["nomor"], data["kode"])
        if wait:
            request.session.flash(request.localizer.translate(wait_message(wait)), "error")
            request.response.status_int = 429
            request.response.headers["Retry-After"] = str(wait)
        elif dossier is None:
            not_found = True
            request.response.status_int = 404
        else:
            result = public_status(request, dossier)
        rendered = form.render({"nomor": data["nomor"], "kode": data["kode"]})
    else:
        rendered = form.render()
    return {"title": _("Lacak Permohonan"), "form": rendered, "result": result,
            "not_found": not_found}


@view_config(**api_view(route_name="api.intake.track", request_method="GET", permission=VIEW))
def track_api(context, request):
    dossier, wait = throttled_find(request, get_site(request), request.matchdict["number"],
                                   request.GET.get("code"))
    if wait:
        request.response.headers["Retry-After"] = str(wait)
        return error_response(request, 429, "too_many_attempts", wait_message(wait))
    if dossier is None:     # returned, not raised: the failure count must be committed
        return error_response(request, 404, "not_found",
                              _("Nomor registrasi atau kode lacak tidak cocok."))
    return public_status(request, dossier)
