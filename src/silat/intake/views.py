"""Intake pages: choose a service, the application wizard (data ->
documents -> declaration and submit), the dossier page, document
download/preview and the receipt."""
import deform
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import FileIter, Response
from pyramid.traversal import find_root
from pyramid.view import view_config

from silat.catalog.interfaces import IServiceType
from silat.forms import handle_form, make_form
from silat.i18n import _
from silat.interfaces import IDossier, ISite
from silat.intake import applications as A
from silat.intake import schemas as S
from silat.intake.identity import mask
from silat.intake.receipt import render_receipt
from silat.intake.uploads import max_bytes
from silat.present import day, when
from silat.resources.attachment import IDocument
from silat.security import permissions as P
from silat.workflow import available, state_title

INTAKE_STEPS = {"submit", "resubmit", "verify", "return"}   # taken on intake's own pages


def flash(request, message, queue=""):
    request.session.flash(request.localizer.translate(message), queue)


@view_config(context=ISite, name="ajukan", permission=P.FILE_APPLICATION,
             renderer="silat:templates/intake/services.pt")
def choose_service(context, request):
    q = request.GET.get("q", "").strip().lower()
    rows = []
    for service in context["layanan"].values():
        rev = service.current
        if rev is None or (q and q not in rev.name.lower() and q not in service.code.lower()):
            continue
        rows.append({"code": service.code, "name": rev.name, "agency": rev.agency,
                     "url": request.resource_url(service, "ajukan")})
    rows.sort(key=lambda r: r["name"].lower())
    return {"title": _("Ajukan Permohonan"), "rows": rows, "q": q,
            "walk_in": A.is_front_office(request)}


def _applicant_defaults(request):
    user = request.user
    if A.is_front_office(request) or user is None:
        return {}
    return {"kind": user.identity_kind or "person", "name": user.title,
            "identity_number": user.identity_number, "email": user.email, "phone": user.phone,
            "address": getattr(user, "address", "") or ""}


def _error_message(request, exc):
    flash(request, exc.message, "error")


@view_config(context=IServiceType, name="ajukan", permission=P.FILE_APPLICATION,
             renderer="silat:templates/form.pt")
def application_form(context, request):
    standard = context.current
    if standard is None:
        raise HTTPNotFound()
    form = make_form(request, S.web_application_schema(standard),
                     buttons=(deform.Button("simpan", _("Simpan draf dan lanjutkan")),))

    def create(data):
        dossier = A.create_application(request, context, standard, data)
        flash(request, _("Draf permohonan ${number} tersimpan. Unggah dokumen persyaratan.",
                         mapping={"number": dossier.registration_number}))
        return HTTPSeeOther(request.resource_url(dossier, "unggah"))

    walk_in = A.is_front_office(request)
    return handle_form(request, form, create, appstruct={"applicant": _applicant_defaults(request)}, page={
        "title": _("Permohonan: ${name}", mapping={"name": standard.name}),
        "intro": _("Langkah 1 dari 3: data pemohon dan lokasi (pemohon datang langsung ke loket).")
        if walk_in else _("Langkah 1 dari 3: data pemohon dan lokasi.")})


def _appstruct(dossier):
    return {"applicant": dict(dossier.applicant), "location": dict(dossier.location),
            "fields": {k: str(v) for k, v in dossier.fields.items()}}


@view_config(context=IDossier, name="ubah", permission=P.EDIT_DOSSIER,
             renderer="silat:templates/form.pt")
def edit_application(context, request):
    form = make_form(request, S.web_application_schema(context.standard()),
                     buttons=(deform.Button("simpan", _("Simpan dan lanjutkan")),))

    def save(data):
        try:
            A.update_application(request, context, data)
        except A.IntakeError as exc:
            _error_message(request, exc)
            return HTTPSeeOther(request.resource_url(context))
        flash(request, _("Data permohonan disimpan."))
        return HTTPSeeOther(request.resource_url(context, "unggah"))

    return handle_form(request, form, save, appstruct=_appstruct(context), page={
        "title": _("Ubah data permohonan ${number}", mapping={"number": context.registration_number}),
        "intro": _("Langkah 1 dari 3: data pemohon dan lokasi.")})


def _upload_forms(request, dossier):
    limit = max_bytes(request.registry.settings)
    return {req.key: make_form(request, S.upload_schema(req, limit), formid=f"unggah-{req.key}",
                               buttons=(deform.Button("unggah", _("Unggah")),))
            for req in A.uploadable(dossier)}


def document_rows(request, dossier):
    rows = []
    for req in dossier.requirements():
        doc = dossier["dokumen"].get(req.key)
        latest = doc.latest if doc is not None else None
        check = dossier.checklist.get(req.key)
        rows.append({"req": req, "doc": doc, "latest": latest,
                     "versions": list(doc)[::-1] if doc is not None else [],
                     "url": request.resource_url(doc) if doc is not None else None,
                     "check": check,
                     "times": {v.number: when(v.at) for v in doc} if doc is not None else {}})
    return rows


@view_config(context=IDossier, name="unggah", permission=P.EDIT_DOSSIER,
             renderer="silat:templates/intake/documents.pt")
def upload_documents(context, request):
    forms = _upload_forms(request, context)
    rendered = {}
    posted = request.POST.get("__formid__", "") if request.method == "POST" else ""
    for key, form in forms.items():
        if form.formid == posted and "unggah" in request.POST:
            try:
                data = form.validate(request.POST.items())
            except deform.ValidationFailure as failure:
                rendered[key] = failure.render()
                continue
            req = A.requirement(context, key)
            try:
                _doc, version = A.store_document(request, context, req, data["file"]["inspected"])
            except A.IntakeError as exc:
                _error_message(request, exc)
                return HTTPSeeOther(request.resource_url(context))
            flash(request, _("${name}: ${file} tersimpan (versi ${n}).", mapping={
                "name": req.name, "file": version.filename, "n": version.number}))
            return HTTPSeeOther(request.resource_url(context, "unggah"))
        rendered[key] = form.render()
    missing = context.missing_requirements()
    return {"title": _("Dokumen persyaratan ${number}",
                       mapping={"number": context.registration_number}),
            "dossier": context, "rows": document_rows(request, context), "forms": rendered,
            "missing": missing, "limit_mb": f"{max_bytes(request.registry.settings) / 1048576:g}",
            "submit_url": request.resource_url(context, "ajukan")}


@view_config(context=IDossier, name="ajukan", permission=P.SUBMIT,
             renderer="silat:templates/intake/submit.pt")
def submit_application(context, request):
    form = make_form(request, S.DeclarationSchema(),
                     buttons=(deform.Button("ajukan", _("Ajukan permohonan")),))

    def submit(data):
        try:
            A.submit(request, context)
        except A.IntakeError as exc:
            _error_message(request, exc)
            return HTTPSeeOther(request.resource_url(context, "ajukan"))
        flash(request, _("Permohonan ${number} telah diajukan. Cetak atau simpan tanda terima.",
                         mapping={"number": context.registration_number}))
        return HTTPSeeOther(request.resource_url(context))

    return handle_form(request, form, submit, page=lambda: {
        "title": _("Ajukan permohonan ${number}", mapping={"number": context.registration_number}),
        "dossier": context, "rows": document_rows(request, context),
        "missing": context.missing_requirements(),
        "can_submit": context.state in ("draft", "returned"),
        "summary": summary(request, context)})


def summary(request, dossier):
    applicant = dossier.applicant
    location = dossier.location
    translate = request.localizer.translate
    return [
        (_("Layanan"), f"{dossier.standard().name} ({dossier.service_code})"),
        (_("Status"), translate(state_title(dossier))),
        (_("Pemohon"), applicant.get("name", "")),
        (_("NIK/NIB"), mask(applicant.get("identity_number", ""))),
        (_("Email"), applicant.get("email", "")),
        (_("Telepon"), applicant.get("phone", "")),
        (_("Nama usaha"), applicant.get("business_name") or "-"),
        (_("Lokasi"), ", ".join(x for x in (location.get("address"), location.get("kelurahan"),
                                            S.kecamatan_name(location.get("kecamatan", ""))) if x)),
        *[(S.field_title(k), str(v)) for k, v in dossier.fields.items()],
        (_("Dibuat"), when(dossier.created)),
        (_("Janji penyelesaian"), day(A.due_date(dossier)) if A.due_date(dossier) else "-"),
    ]


ROUND_OUTCOMES = {"complete": _("Lengkap"), "returned": _("Dikembalikan")}


@view_config(context=IDossier, permission=P.VIEW_DOSSIER, renderer="silat:templates/dossier/tree.pt")
def dossier_page(context, request):
    """The dossier as a tree (``silat.present.tree``) with the actions open to the caller."""
    from silat.present import person, when
    from silat.present.tree import dossier_tree
    url = request.resource_url(context)
    can = request.has_permission
    steps = [t for t in available(context, request) if t.name not in INTAKE_STEPS]
    editable = context.state in ("draft", "returned") and can(P.EDIT_DOSSIER, context)
    rounds = [{"outcome": request.localizer.translate(ROUND_OUTCOMES.get(r["outcome"], r["outcome"])),
               "when": when(r["at"]), "by": person(request, r["by"]), "comment": r["comment"]}
              for r in getattr(context, "verification_rounds", ())]
    return {"title": _("Berkas ${number}", mapping={"number": context.registration_number}),
            "dossier": context, "summary": summary(request, context), "state": state_title(context),
            "transitions": steps, "transition_url": url + "transisi",
            "history_url": url + "riwayat",
            "edit_url": url + "ubah" if editable else None,
            "upload_url": url + "unggah" if editable else None,
            "submit_url": url + "ajukan" if editable and can(P.SUBMIT, context) else None,
            "receipt_url": url + "tanda-terima" if context.state != "draft" else None,
            "verify_url": url + "verifikasi"
            if context.state == "submitted" and can(P.VERIFY, context) else None,
            "pbb_url": url + "cek-pbb" if context.state in ("submitted", "verified")
            and can(P.VERIFY, context) else None,
            "decide_url": url + "keputusan" if context.state in ("verified", "in_review", "approved")
            and can(P.DECIDE, context) else None,
            "archive_url": _archive_url(context, request),
            "rounds": rounds, **dossier_tree(context, request)}


def _archive_url(dossier, request):
    """The dossier's archive record (location, retention, loans) for an archivist."""
    archive = find_root(dossier).get("arsip")
    if archive is None or dossier.state == "draft" or not request.has_permission(P.ARCHIVE, archive):
        return None
    return request.resource_url(archive, "berkas", dossier.registration_number)


@view_config(context=IDossier, name="tanda-terima", permission=P.VIEW_DOSSIER)
def receipt(context, request):
    if context.state == "draft":
        raise HTTPNotFound()
    body = render_receipt(request, context)
    return Response(body=body, content_type="application/pdf", content_disposition=(
        f'inline; filename="tanda-terima-{context.registration_number}.pdf"'))


SAFE_INLINE = ("application/pdf", "image/png", "image/jpeg")


def _serve(request, document, disposition):
    try:
        version = document.version(request.GET["versi"]) if "versi" in request.GET \
            else document.latest
    except (KeyError, ValueError):
        raise HTTPNotFound()
    response = Response(content_type=version.mime, app_iter=FileIter(version.open()))
    response.content_length = version.size
    if version.mime not in SAFE_INLINE:
        disposition = "attachment"
    response.content_disposition = f'{disposition}; filename="{version.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control = "private, no-store"
    response.etag = version.sha256
    return response


@view_config(context=IDocument, permission=P.VIEW_DOSSIER)
def download(context, request):
    return _serve(request, context, "attachment")


@view_config(context=IDocument, name="pratinjau", permission=P.VIEW_DOSSIER)
def preview(context, request):
    return _serve(request, context, "inline")
