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
from silat.present import day
from silat.resources.dossier import TRACKING_ALPHABET
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
    code = code.strip()
    if set(code.upper()) <= set(TRACKING_ALPHABET):
        code = code.upper()      # codes of the lookalike-free alphabet are case-insensitive
    if not hmac.compare_digest(dossier.tracking_code.encode(), code.encode()):
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
    """The form posts (code and CSRF token stay out of the URL); the link
    in the receipt's QR code opens the result directly with GET. Wrong
    codes are throttled like the API's."""
    form = make_form(request, TrackSchema(), buttons=(deform.Button("lacak", _("Lacak")),))
    page = {"title": _("Lacak Permohonan"), "result": None, "not_found": False}
    if request.method == "POST":
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            return {**page, "form": failure.render()}
        number, code = data["nomor"], data["kode"]
    elif "nomor" in request.GET:
        number, code = request.GET.get("nomor", "")[:40], request.GET.get("kode", "")[:40]
    else:
        return {**page, "form": form.render()}
    dossier, wait = throttled_find(request, context, number, code)
    result = None
    if wait:
        request.session.flash(request.localizer.translate(wait_message(wait)), "error")
        request.response.status_int = 429
        request.response.headers["Retry-After"] = str(wait)
    elif dossier is None:
        request.response.status_int = 404
    else:
        due = due_date(dossier)
        result = {**public_status(request, dossier), "due_day": day(due) if due else None}
    return {**page, "form": form.render({"nomor": number.strip().upper()}), "result": result,
            "not_found": result is None and not wait}


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
