"""The applications API (``/api/v1/applications``)."""
import colander
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.api.body import Field, json_body, validate
from silat.i18n import _
from silat.intake import applications as A
from silat.intake import schemas as S
from silat.intake.index import dossiers, intake_index
from silat.intake.uploads import UploadRefused, inspect, max_bytes
from silat.present.api import outcome_info
from silat.resources.site import get_site
from silat.security import permissions as P
from silat.workflow import state_title

ROUTES = (
    ("api.intake.applications", "/api/v1/applications"),
    ("api.intake.application", "/api/v1/applications/{number}"),
    ("api.intake.document", "/api/v1/applications/{number}/documents/{key}"),
    ("api.intake.submit", "/api/v1/applications/{number}/submit"),
    ("api.intake.track", "/api/v1/track/{number}"),
)


# The body of POST /api/v1/applications (types only; colander checks the content).
CREATE = {"service": Field("text", required=True, max_length=100),
          "applicant": Field("object"), "location": Field("object"), "fields": Field("object")}


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _fail(exc):
    raise ApiError(exc.status, exc.code, exc.message)


def find_dossier(request):
    """The dossier named in the URL, if the caller may view it; else 404
    (never 403: whether someone else's dossier exists is not revealed)."""
    dossier = get_site(request)["berkas"].get(request.matchdict["number"].strip().upper())
    if dossier is None or not request.has_permission(P.VIEW_DOSSIER, dossier):
        raise ApiError(404, "not_found", _("Permohonan tidak ditemukan."))
    return dossier


def field_errors(request, invalid):
    """colander's errors as ``{"applicant.identity_number": message}``."""
    return invalid.asdict(translate=request.localizer.translate)


def document_info(document):
    latest = document.latest
    return {"requirement": document.requirement_key, "versions": len(document),
            **latest.metadata(), "uploaded_at": _iso(latest.at)}


def application_info(request, dossier, full=True):
    translate = request.localizer.translate
    due = A.due_date(dossier)
    out = {"registration_number": dossier.registration_number, "status": dossier.state,
           "status_title": translate(state_title(dossier)), "service": dossier.service_code,
           "service_name": dossier.standard().name, "service_revision": dossier.service_revision,
           "created": _iso(dossier.created), "modified": _iso(dossier.modified),
           "submitted": _iso(getattr(dossier, "submitted", None)),
           "due_date": due.isoformat() if due else None,
           "tracking_code": dossier.tracking_code}
    if full:
        out.update({
            "applicant": dict(dossier.applicant), "location": dict(dossier.location),
            "fields": dict(dossier.fields),
            "documents": [document_info(d) for d in dossier["dokumen"].values()],
            "missing_requirements": [r.key for r in dossier.missing_requirements()],
            "checklist": {k: {"valid": v["valid"], "reason": v.get("reason", "")}
                          for k, v in dossier.checklist.items()},
            "history": [{"at": e["at"], "actor": e["actor"], "action": e["action"],
                         "comment": e["comment"],
                         "transition": e["data"].get("transition")} for e in dossier.history],
            **outcome_info(request, dossier),
        })
    return out


def validated_application(request, body):
    """The service, its current standard and the deserialized application
    of a create body (checked against ``CREATE``); 422 when invalid."""
    try:
        service, standard = A.current_standard(get_site(request), body.get("service"))
    except A.IntakeError as exc:
        raise ApiError(422, "invalid_input", _("Data permohonan tidak sah."),
                       {"service": exc.message})
    schema = S.api_application_schema(standard)
    cstruct = {k: {n: v if v is None or isinstance(v, str) else str(v)
                   for n, v in (body.get(k) or {}).items()}
               for k in ("applicant", "location", "fields")}
    try:
        return service, standard, schema.deserialize(cstruct)
    except colander.Invalid as invalid:
        raise ApiError(422, "invalid_input", _("Data permohonan tidak sah."),
                       field_errors(request, invalid))


def created(request, dossier):
    """The 201 answer for a new application."""
    request.response.status_int = 201
    request.response.location = request.route_url("api.intake.application",
                                                  number=dossier.registration_number)
    return application_info(request, dossier)


@view_config(**api_view(route_name="api.intake.applications", request_method="POST",
                        permission=P.FILE_APPLICATION))
def create(context, request):
    body = validate(json_body(request), CREATE, _("Data permohonan tidak sah."))
    return created(request, A.create_application(request, *validated_application(request, body)))


@view_config(**api_view(route_name="api.intake.applications", request_method="GET",
                        permission=P.FILE_APPLICATION))
def list_own(context, request):
    site = get_site(request)
    index = intake_index(site)
    numbers = index.numbers(index.by_owner, request.user.username)
    return [application_info(request, d, full=False) for d in dossiers(site, numbers)
            if request.has_permission(P.VIEW_DOSSIER, d)]


@view_config(**api_view(route_name="api.intake.application", request_method="GET",
                        permission=P.USE_SITE))
def show(context, request):
    return application_info(request, find_dossier(request))


def check_editable(request, dossier):
    """403/409 unless the caller may change the dossier's documents now."""
    if not request.has_permission(P.EDIT_DOSSIER, dossier):
        raise ApiError(409 if request.has_permission(P.SUBMIT, dossier) or
                       dossier.state not in ("draft", "returned") else 403,
                       "not_editable", _("Dokumen tidak dapat diubah pada status ini."))


def inspect_upload(request, field, req, name):
    """The checked upload in multipart ``field`` for requirement ``req``; a
    refused file is an ApiError naming the form field ``name``."""
    try:
        return inspect(field.file, field.filename, max_bytes(request.registry.settings),
                       req.file_types)
    except UploadRefused as exc:
        raise ApiError(exc.status, exc.code, exc.message, {name: exc.message})


def store(request, dossier, req, inspected):
    try:
        return A.store_document(request, dossier, req, inspected)
    except A.IntakeError as exc:
        _fail(exc)


def is_file(field):
    return field is not None and hasattr(field, "file")


@view_config(**api_view(route_name="api.intake.document", request_method="PUT",
                        permission=P.USE_SITE))
def upload(context, request):
    dossier = find_dossier(request)
    check_editable(request, dossier)
    try:
        req = A.requirement(dossier, request.matchdict["key"])
    except A.IntakeError as exc:
        _fail(exc)
    field = request.POST.get("file")
    if not is_file(field):
        raise ApiError(422, "invalid_input", _("Kirim berkas dalam field multipart 'file'."),
                       {"file": _("Wajib diisi.")})
    document, _version = store(request, dossier, req, inspect_upload(request, field, req, "file"))
    request.response.status_int = 201
    return {"registration_number": dossier.registration_number, **document_info(document)}


# The body of POST .../submit (and the submission keys of a one-request filing).
SUBMIT = {"declaration": Field("boolean")}


def submit_checked(request, dossier, body):
    """Submit with the checks of the submit endpoint: the declaration, the
    mandatory documents (named in the error), the workflow's permission."""
    if body.get("declaration") is False:
        raise ApiError(422, "declaration_required", _(
            "Pernyataan wajib disetujui sebelum mengajukan."), {"declaration": _("Wajib disetujui.")})
    if dossier.state in ("draft", "returned") and request.has_permission(P.SUBMIT, dossier):
        missing = dossier.missing_requirements()
        if missing:
            raise ApiError(422, "missing_requirements", _(
                "Persyaratan wajib belum diunggah: ${names}.",
                mapping={"names": ", ".join(r.name for r in missing)}),
                {r.key: _("Wajib diunggah.") for r in missing})
    try:
        A.submit(request, dossier, channel="api")
    except A.IntakeError as exc:
        _fail(exc)


@view_config(**api_view(route_name="api.intake.submit", request_method="POST",
                        permission=P.USE_SITE))
def submit(context, request):
    dossier = find_dossier(request)
    submit_checked(request, dossier, validate(json_body(request), SUBMIT))
    info = application_info(request, dossier, full=False)
    return {key: info[key] for key in ("registration_number", "status", "status_title",
                                       "submitted", "due_date")}
