"""API: an agency's open requests; giving a recommendation."""
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.api.body import Field, json_body, validate
from silat.i18n import _
from silat.recommendations import services as S
from silat.recommendations.model import STATUSES
from silat.resources.site import get_site
from silat.security import permissions as P


# The body of POST .../recommendations/{agency_code} (types; the service checks the content).
DECISION = {"decision": Field("text", max_length=50), "conditions": Field("text_list"),
            "reasons": Field("text", max_length=5000), "notes": Field("text", max_length=5000)}


@view_config(**api_view(route_name="api.agency.requests", request_method="GET", permission=P.USE_SITE))
def agency_requests(context, request):
    site = get_site(request)
    agency = site["opd"].get(request.matchdict["code"].upper())
    if agency is None:
        raise ApiError(404, "not_found", _("OPD tidak dikenal."))
    if not request.has_permission(P.REVIEW, agency):
        raise ApiError(403, "forbidden", _("Anda tidak berhak melakukan tindakan ini."))
    out = []
    for number in S.open_request_numbers(agency):
        dossier = site["berkas"].get(number)
        if dossier is None or agency.code not in dossier["rekomendasi"]:
            continue
        rec = dossier["rekomendasi"][agency.code]
        due = rec.due_date
        out.append({"registration_number": number, "service_code": dossier.service_code,
                    "service_name": dossier.standard().name,
                    "requested_at": rec.requested_at.isoformat(),
                    "due_date": due.isoformat() if due else None, "status": rec.status,
                    "status_title": request.localizer.translate(STATUSES[rec.status]),
                    "url": request.resource_url(rec)})
    out.sort(key=lambda r: (r["due_date"] is None, r["due_date"] or ""))
    return out


@view_config(**api_view(route_name="api.recommendation", request_method="POST", permission=P.USE_SITE))
def give_recommendation(context, request):
    site = get_site(request)
    dossier = site["berkas"].get(request.matchdict["registration_number"])
    code = request.matchdict["agency_code"].upper()
    if dossier is None or not request.has_permission(P.VIEW_DOSSIER, dossier):
        raise ApiError(404, "not_found", _("Permohonan tidak ditemukan."))
    rec = dossier["rekomendasi"].get(code)
    if rec is None:
        raise ApiError(404, "not_found", _("OPD ini tidak diminta rekomendasi untuk permohonan ini."))
    if not S.is_member(request, code) or not request.has_permission(P.REVIEW, dossier):
        raise ApiError(403, "forbidden", _("Anda tidak berhak melakukan tindakan ini."))
    body = validate(json_body(request), DECISION)
    conditions = body.get("conditions") or []
    args = (body.get("decision"), conditions, body.get("reasons") or "", body.get("notes") or "")
    try:
        if not S.may_sign(request, code):
            S.save_draft(rec, *args, request.user.username)
            request.response.status_int = 202
            return {"status": "drafted", "registration_number": dossier.registration_number,
                    "agency": code, "message": request.localizer.translate(_(
                        "Draf disimpan; rekomendasi ditandatangani oleh kepala OPD atau pejabat "
                        "yang diberi delegasi."))}
        S.sign(rec, request, *args)
    except S.RecommendationError as exc:
        fields = {"decision": exc.message} if exc.code == "invalid_input" else None
        raise ApiError(exc.status, exc.code, exc.message, fields)
    request.response.status_int = 201
    return {"status": "signed", "registration_number": dossier.registration_number, "agency": code,
            "decision": rec.decision, "conditions": list(rec.conditions),
            "letter_number": rec.letter_number, "letter_sha256": rec.letter.sha256,
            "letter_url": request.resource_url(rec, "surat.pdf")}
