"""The verifier's checklist over the API:
``GET``/``PUT /api/v1/applications/{number}/checklist``.

The body of PUT is ``{"<requirement key>": {"valid": true|false|null,
"reason": "..."}}``; it goes through ``verification.save_checklist``,
so the rules (an invalid item needs a reason, only while submitted)
and the history entry are the same as on the page.
"""
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.api.auth import json_body
from silat.i18n import _
from silat.intake import verification as V
from silat.intake.api import _fail, _iso, find_dossier
from silat.intake.applications import IntakeError
from silat.security import permissions as P

ROUTE = ("api.intake.checklist", "/api/v1/applications/{number}/checklist")


def checklist_info(dossier):
    out = {}
    for req in V.checkable(dossier):
        entry = dossier.checklist.get(req.key) or {}
        out[req.key] = {"name": req.name, "mandatory": req.mandatory,
                        "valid": entry.get("valid"), "reason": entry.get("reason", ""),
                        "by": entry.get("by"), "at": entry.get("at")}
    return out


@view_config(**api_view(route_name=ROUTE[0], request_method="GET", permission=P.USE_SITE))
def show_checklist(context, request):
    dossier = find_dossier(request)
    return {"registration_number": dossier.registration_number, "status": dossier.state,
            "checklist": checklist_info(dossier), "modified": _iso(dossier.modified)}


def _entries(body, keys):
    if not isinstance(body, dict) or not body:
        raise ApiError(422, "invalid_input", _("Kirim objek JSON: kunci persyaratan -> hasil."))
    entries, errors = {}, {}
    for key, item in body.items():
        if key not in keys:
            errors[key] = _("Persyaratan tidak dikenal pada berkas ini.")
        elif not isinstance(item, dict) or item.get("valid", None) not in (True, False, None):
            errors[key] = _("Isi dengan valid (true, false atau null) dan reason (teks).")
        elif not isinstance(item.get("reason", ""), (str, type(None))) \
                or len(item.get("reason") or "") > 1000:
            errors[key] = _("Alasan berupa teks paling banyak 1000 karakter.")
        else:
            entries[key] = (item.get("valid"), item.get("reason") or "")
    if errors:
        raise ApiError(422, "invalid_input", _("Hasil pemeriksaan tidak sah."), errors)
    return entries


@view_config(**api_view(route_name=ROUTE[0], request_method="PUT", permission=P.USE_SITE))
def put_checklist(context, request):
    dossier = find_dossier(request)
    if not request.has_permission(P.VERIFY, dossier):
        raise ApiError(403, "forbidden", _("Anda tidak berhak memeriksa kelengkapan berkas ini."))
    entries = _entries(json_body(request), {r.key for r in V.checkable(dossier)})
    try:
        V.save_checklist(request, dossier, entries)
    except IntakeError as exc:
        _fail(exc)
    return {"registration_number": dossier.registration_number, "status": dossier.state,
            "checklist": checklist_info(dossier)}
