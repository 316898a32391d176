"""One-request filing: ``POST /api/v1/applications`` as ``multipart/form-data``.

A client that has everything files it at once: the part ``application``
is the JSON body of the JSON create (service, applicant, location,
fields) plus, optionally, ``"submit": true`` and ``"declaration"``; each
requirement's document is a file part named by the requirement's key.
All in the one transaction of the request, with the checks of the three
separate steps (create, ``PUT .../documents/{key}``, ``.../submit``):
every file is inspected before the dossier is made, and any refusal
aborts the transaction, so a refused filing leaves nothing behind.
The whole request is limited like an upload (``silat.upload_max_bytes``
plus 256 KB, see ``silat.intake.uploads``); larger applications use the
three steps.
"""
from pyramid.view import view_config

from silat.api import ApiError, api_view
from silat.api.body import MAX_BYTES, Field, parse_json, validate
from silat.i18n import _
from silat.intake import applications as A
from silat.intake.api import (CREATE, SUBMIT, check_editable, created, inspect_upload, is_file,
                              store, submit_checked, validated_application)
from silat.security import permissions as P

APPLICATION_PART = "application"
FILING = {**CREATE, **SUBMIT, "submit": Field("boolean")}


def application_part(request):
    """The ``application`` part as a checked JSON object."""
    raw = request.POST.get(APPLICATION_PART)
    if raw is None or is_file(raw):
        raise ApiError(422, "invalid_input", _(
            "Kirim data permohonan sebagai JSON dalam field multipart 'application'."),
            {APPLICATION_PART: _("Wajib diisi.")})
    if len(raw) > MAX_BYTES:
        raise ApiError(413, "body_too_large", _(
            "Isi permintaan terlalu besar (paling banyak ${n} byte).", mapping={"n": MAX_BYTES}))
    return validate(parse_json(raw), FILING, _("Data permohonan tidak sah."))


def file_parts(request, standard):
    """``{key: (requirement, file field)}`` of the request; 422 for a part
    that is not one file of a requirement the applicant uploads."""
    found, problems = {}, {}
    for name, value in request.POST.items():
        if name == APPLICATION_PART:
            continue
        if not is_file(value):
            problems[name] = _("Bagian ini harus berupa berkas.")
            continue
        try:
            req = A.find_requirement(standard.requirements or (), name)
        except A.IntakeError as exc:
            problems[name] = exc.message
            continue
        if name in found:
            problems[name] = _("Satu berkas untuk setiap persyaratan.")
        found[name] = (req, value)
    if problems:
        raise ApiError(422, "invalid_input", _("Berkas permohonan tidak sah."), problems)
    return found


def inspected_files(request, files):
    """Every file checked, before anything is made: ``[(requirement,
    Inspected)]``; on a refusal the files already checked are removed."""
    done = []
    try:
        for req, field in files.values():
            done.append((req, inspect_upload(request, field, req, req.key)))
    except BaseException:
        for _req, inspected in done:
            inspected.discard()
        raise
    return done


@view_config(**api_view(route_name="api.intake.applications", request_method="POST",
                        permission=P.FILE_APPLICATION,
                        header="Content-Type:^multipart/form-data"))
def file_application(context, request):
    body = application_part(request)
    service, standard, data = validated_application(request, body)
    inspected = inspected_files(request, file_parts(request, standard))
    try:
        dossier = A.create_application(request, service, standard, data)
        if inspected:
            check_editable(request, dossier)
        for req, upload in inspected:
            store(request, dossier, req, upload)      # moves the file into a blob
        if body.get("submit"):
            submit_checked(request, dossier, body)
    finally:
        for _req, upload in inspected:      # files not stored (an error above)
            upload.discard()
    return created(request, dossier)
