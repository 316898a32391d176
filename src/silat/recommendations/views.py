"""Agency inbox, the recommendation page (draft, sign, dispositions,
inspections) and the recommendation PDFs."""
import datetime as dt

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.traversal import find_root
from pyramid.view import view_config

from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.intake import uploads
from silat.intake.schemas import RequestTmpStore
from silat.interfaces import IAgency
from silat.permits.files import pdf_response
from silat.recommendations import services as S
from silat.recommendations.model import DECISIONS, STATUSES, IDisposition, IInspection, IRecommendation
from silat.recommendations.pdfs import disposition_sheet
from silat.security import permissions as P
from silat.views.paging import Pager
from silat.workflow.calendar import WIB
from silat.workflow.views import sla_info
from silat.present import say

REQUIRED = _("Wajib diisi.")


def today():
    return dt.datetime.now(WIB).date()


# -- the agency's inbox -----------------------------------------------------------

def _only_members(usernames):
    def check(node, value):
        if any(u not in usernames for u in value):
            raise colander.Invalid(node, _(
                "Pejabat yang didelegasikan harus pegawai aktif pada OPD ini."))
    return check


def _delegates_form(request, agency, members):
    """The head's choice of the officials who may sign recommendations."""
    schema = CSRFSchema()
    schema.add(colander.SchemaNode(
        colander.Set(), name="delegates", title=_("Pejabat yang boleh menandatangani"),
        missing=(),
        validator=_only_members([u.username for u in members]),
        widget=deform.widget.CheckboxChoiceWidget(values=[(u.username, u.title)
                                                          for u in members])))
    return make_form(request, schema, formid="delegasi",
                     action=request.resource_url(agency, "delegasi-rekomendasi"),
                     buttons=(deform.Button("simpan", _("Simpan")),))


def _inbox(context, request):
    """The open requests by due date (none last), ``PAGE_SIZE`` a page
    (``?halaman=N``); the rows are made for the page only."""
    site = find_root(context)
    folder = site["berkas"]
    username = request.user.username
    found = []
    for number in S.open_request_numbers(context):
        dossier = folder.get(number)
        if dossier is None or context.code not in dossier["rekomendasi"]:
            continue
        rec = dossier["rekomendasi"][context.code]
        found.append((dossier, rec, rec.due_date))
    found.sort(key=lambda f: (f[2] is None, f[2] or dt.date.max))
    pager = Pager(request, base=request.resource_url(context, "kotak-masuk"))   # also after a POST
    rows = [{"dossier": dossier, "rec": rec, "due": due,
             "mine": S.open_dispositions_to(dossier, context.code, username),
             "overdue": due is not None and due < today(),
             "sla": sla_info(dossier, request, context.code),
             "status": STATUSES[rec.status]}
            for dossier, rec, due in pager.take(found)]
    is_head = request.has_permission(P.APPROVE_RECOMMENDATION, context)
    return {"title": _("Kotak Masuk ${agency}", mapping={"agency": context.code}),
            "agency": context, "rows": rows, "is_head": is_head, "form": None, "pager": pager}


@view_config(context=IAgency, name="kotak-masuk", permission=P.REVIEW,
             renderer="silat:templates/recommendations/inbox.pt")
def agency_inbox(context, request):
    page = _inbox(context, request)
    if page["is_head"]:
        members = S.agency_members(find_root(context), context.code)
        delegates = sorted(getattr(context, "signing_delegates", None) or ())
        page["form"] = _delegates_form(request, context, members).render(
            {"delegates": set(delegates)})
    return page


@view_config(context=IAgency, name="delegasi-rekomendasi", permission=P.APPROVE_RECOMMENDATION,
             request_method="POST", renderer="silat:templates/recommendations/inbox.pt")
def delegate_signing(context, request):
    """The head names the officials who may sign recommendations for the agency."""
    members = S.agency_members(find_root(context), context.code)
    form = _delegates_form(request, context, members)

    def save(data):
        context.signing_delegates = tuple(sorted(data["delegates"]))
        say(request, _("Delegasi penandatanganan rekomendasi disimpan."))
        return HTTPSeeOther(request.resource_url(context, "kotak-masuk"))

    if not any(b.name in request.POST for b in form.buttons):
        return HTTPSeeOther(request.resource_url(context, "kotak-masuk"))
    return handle_form(request, form, save, page=lambda: _inbox(context, request), invalid_status=422)


# -- the recommendation page ------------------------------------------------------

class DraftSchema(CSRFSchema):
    decision = colander.SchemaNode(
        colander.String(), title=_("Keputusan"), missing_msg=REQUIRED,
        validator=colander.OneOf(list(DECISIONS)),
        widget=deform.widget.SelectWidget(values=[("", _("- pilih -"))] + list(DECISIONS.items())))
    conditions = colander.SchemaNode(
        colander.String(), title=_("Syarat (satu per baris)"), missing="",
        widget=deform.widget.TextAreaWidget(rows=4))
    reasons = colander.SchemaNode(
        colander.String(), title=_("Alasan (wajib bila tidak direkomendasikan)"), missing="",
        widget=deform.widget.TextAreaWidget(rows=3))
    notes = colander.SchemaNode(
        colander.String(), title=_("Catatan teknis"), missing="",
        widget=deform.widget.TextAreaWidget(rows=4))


def _draft_form(request, rec, can_sign):
    buttons = [deform.Button("simpan", _("Simpan draf"))]
    if can_sign:
        buttons.append(deform.Button("tandatangani", _("Setujui dan tandatangani")))
    return make_form(request, DraftSchema(), buttons=buttons,
                     action=request.resource_url(rec, "draf"), formid="rekomendasi")


class DispositionSchema(CSRFSchema):
    to_user = colander.SchemaNode(colander.String(), title=_("Kepada"), missing_msg=REQUIRED)
    instruction = colander.SchemaNode(colander.String(), title=_("Isi disposisi"),
                                      missing_msg=REQUIRED,
                                      widget=deform.widget.TextAreaWidget(rows=3))
    due = colander.SchemaNode(colander.Date(), title=_("Batas waktu"), missing=None,
                              widget=deform.widget.DateInputWidget())
    parent = colander.SchemaNode(colander.String(), missing="", widget=deform.widget.HiddenWidget())


def _disposition_form(request, rec, members, parent=""):
    schema = DispositionSchema().bind(request=request)
    schema["to_user"].widget = deform.widget.SelectWidget(
        values=[("", _("- pilih penerima -"))] + [(u.username, u.title) for u in members
                                                    if u.username != request.user.username])
    schema["parent"].default = parent
    return deform.Form(schema, buttons=(deform.Button("kirim", _("Kirim disposisi")),),
                       action=request.resource_url(rec, "disposisi"), formid="disposisi",
                       renderer=make_form(request, CSRFSchema()).renderer)


def _page(rec, request, draft_form=None, disposition_form=None):
    dossier = rec.dossier
    code = rec.agency_code
    site = find_root(rec)
    member = S.is_member(request, code)
    in_review = dossier.state == "in_review" and rec.decision is None
    can_sign = member and in_review and S.may_sign(request, code)
    mine = S.open_dispositions_to(dossier, code, request.user.username) if member else []
    can_dispose = member and in_review and (can_sign or bool(mine))
    if draft_form is None and member and in_review:
        form = _draft_form(request, rec, can_sign)
        draft = rec.draft or {}
        draft_form = form.render({"decision": draft.get("decision", ""),
                                  "conditions": "\n".join(draft.get("conditions", ())),
                                  "reasons": draft.get("reasons", ""), "notes": draft.get("notes", "")})
    if disposition_form is None and can_dispose:
        parent = mine[-1].__name__ if mine and not can_sign else ""
        disposition_form = _disposition_form(request, rec, S.agency_members(site, code), parent).render()
    users = site["pengguna"]
    return {
        "title": _("Rekomendasi ${agency}: ${number}",
                   mapping={"agency": code, "number": dossier.registration_number}),
        "rec": rec, "dossier": dossier, "agency": site["opd"][code], "member": member,
        "status": STATUSES[rec.status], "decisions": DECISIONS,
        "draft_form": draft_form, "disposition_form": disposition_form, "mine": mine,
        "chain": S.chain(dossier, code), "user_title": lambda u: getattr(users.get(u), "title", u),
        "inspections": [i for i in dossier["inspeksi"].values() if i.agency_code == code],
        "can_inspect": member and in_review,
        "documents": list(dossier["dokumen"].values()),
    }


@view_config(context=IRecommendation, permission=P.VIEW_DOSSIER,
             renderer="silat:templates/recommendations/recommendation.pt")
def recommendation_page(context, request):
    return _page(context, request)


def _require_member(request, rec):
    if not S.is_member(request, rec.agency_code):
        raise HTTPForbidden()


@view_config(context=IRecommendation, name="draf", permission=P.REVIEW, request_method="POST",
             renderer="silat:templates/recommendations/recommendation.pt")
def draft_or_sign(context, request):
    _require_member(request, context)
    signing = "tandatangani" in request.POST
    can_sign = S.may_sign(request, context.agency_code)
    if signing and not can_sign:
        raise HTTPForbidden()
    form = _draft_form(request, context, can_sign)
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure as failure:
        return _page(context, request, draft_form=failure.render())
    conditions = data["conditions"].splitlines()
    try:
        if signing:
            S.sign(context, request, data["decision"], conditions, data["reasons"], data["notes"])
            say(request, _("Rekomendasi ditandatangani dengan nomor ${number}.",
                                    mapping={"number": context.letter_number}))
            return HTTPSeeOther(request.resource_url(request.root["opd"][context.agency_code],
                                                     "kotak-masuk"))
        S.save_draft(context, data["decision"], conditions, data["reasons"], data["notes"],
                     request.user.username)
    except S.RecommendationError as exc:
        request.response.status_int = exc.status
        say(request, exc.message, "error")
        return _page(context, request)
    say(request, _("Draf rekomendasi disimpan."))
    return HTTPSeeOther(request.resource_url(context))


@view_config(context=IRecommendation, name="disposisi", permission=P.REVIEW, request_method="POST",
             renderer="silat:templates/recommendations/recommendation.pt")
def send_disposition(context, request):
    _require_member(request, context)
    dossier, code = context.dossier, context.agency_code
    mine = S.open_dispositions_to(dossier, code, request.user.username)
    if context.decision is not None or not (S.may_sign(request, code) or mine):
        raise HTTPForbidden()
    site = find_root(context)
    form = _disposition_form(request, context, S.agency_members(site, code))
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure as failure:
        return _page(context, request, disposition_form=failure.render())
    parent = data["parent"] or None
    if parent and parent not in {d.__name__ for d in mine}:
        parent = mine[-1].__name__ if mine else None
    if not parent and mine and not S.may_sign(request, code):
        parent = mine[-1].__name__
    if data["due"] is not None and data["due"] < today():
        say(request, _("Batas waktu disposisi tidak boleh di masa lalu."), "error")
        request.response.status_int = 422
        return _page(context, request)
    try:
        S.dispose(dossier, code, request, data["to_user"], data["instruction"], data["due"], parent)
    except S.RecommendationError as exc:
        say(request, exc.message, "error")
        request.response.status_int = exc.status
        return _page(context, request)
    say(request, _("Disposisi dikirim."))
    return HTTPSeeOther(request.resource_url(context))


def _recommendation_of(disposition):
    dossier = disposition.__parent__.__parent__
    return dossier["rekomendasi"][disposition.agency_code]


@view_config(context=IDisposition, name="baca", permission=P.REVIEW, request_method="POST")
@view_config(context=IDisposition, name="selesai", permission=P.REVIEW, request_method="POST")
def mark_disposition(context, request):
    try:
        S.mark(context, request, "read" if request.view_name == "baca" else "done",
               request.POST.get("note", ""))
    except S.RecommendationError:
        raise HTTPForbidden()
    return HTTPSeeOther(request.resource_url(_recommendation_of(context)))


@view_config(context=IRecommendation, name="lembar-disposisi.pdf", permission=P.VIEW_DOSSIER)
def disposition_pdf(context, request):
    site = find_root(context)
    data = disposition_sheet(context.dossier, site["opd"][context.agency_code],
                             S.chain(context.dossier, context.agency_code), site["pengguna"], context)
    response = pdf_response(request, data)
    response.content_disposition = f'inline; filename="disposisi-{context.agency_code}.pdf"'
    return response


@view_config(context=IRecommendation, name="surat.pdf", permission=P.VIEW_DOSSIER)
def letter_pdf(context, request):
    if context.letter is None:
        raise HTTPNotFound()
    return pdf_response(request, context.letter)


# -- site inspection ---------------------------------------------------------------

PHOTO_SLOTS = 3
PHOTO_TYPES = ("jpg", "png")


def _check_not_future(node, value):
    if value > today():
        raise colander.Invalid(node, _("Tanggal peninjauan tidak boleh di masa depan."))


def inspection_schema(request, store):
    """The inspection report: each photo goes through intake's upload
    checks (size, type from the content, image structure); the checked
    temporary file is handed on as ``photo["inspected"]``. A refusal's
    HTTP status is kept in ``request.environ`` for the page."""
    limit = uploads.max_bytes(request.registry.settings)

    def check_photo(node, value):
        try:
            value["inspected"] = uploads.inspect(value["fp"], value.get("filename"), limit,
                                                 file_types=PHOTO_TYPES)
        except uploads.UploadRefused as exc:
            request.environ["silat.upload_status"] = exc.status
            raise colander.Invalid(node, exc.message)

    schema = CSRFSchema()
    schema.add(colander.SchemaNode(
        colander.Date(), name="date", title=_("Tanggal peninjauan"), missing_msg=REQUIRED,
        validator=_check_not_future, widget=deform.widget.DateInputWidget()))
    schema.add(colander.SchemaNode(
        colander.String(), name="team", title=_("Tim pemeriksa (satu nama per baris)"),
        missing_msg=REQUIRED, validator=colander.Length(max=2000),
        widget=deform.widget.TextAreaWidget(rows=3)))
    schema.add(colander.SchemaNode(
        colander.String(), name="findings", title=_("Hasil pemeriksaan"), missing_msg=REQUIRED,
        validator=colander.Length(max=10000), widget=deform.widget.TextAreaWidget(rows=6)))
    photos = colander.SchemaNode(
        colander.Sequence(), name="photos", title=_("Foto (JPG/PNG)"), missing=(),
        widget=deform.widget.SequenceWidget(min_len=PHOTO_SLOTS, max_len=20,
                                            add_subitem_text_template=_("Tambah foto")))
    photos.add(colander.SchemaNode(
        deform.FileData(), name="photo", title=_("Foto"), missing=colander.drop,
        validator=check_photo,
        widget=deform.widget.FileUploadWidget(store, accept="image/jpeg,image/png")))
    schema.add(photos)
    return schema


@view_config(context=IRecommendation, name="peninjauan", permission=P.REVIEW,
             renderer="silat:templates/recommendations/inspection.pt")
def inspection_form(context, request):
    _require_member(request, context)
    store = RequestTmpStore()
    form = make_form(request, inspection_schema(request, store), formid="peninjauan",
                     action=request.resource_url(context, "peninjauan"),
                     buttons=(deform.Button("simpan", _("Simpan")),))

    def save(data):
        team = [line.strip() for line in data["team"].splitlines() if line.strip()]
        inspected = [p["inspected"] for p in data["photos"]]
        S.add_inspection(context.dossier, context.agency_code, request, data["date"], team,
                         data["findings"], inspected)
        say(request, _("Berita acara peninjauan lapangan disimpan."))
        return HTTPSeeOther(request.resource_url(context))

    try:
        result = handle_form(request, form, save, page={
            "title": _("Peninjauan lapangan"), "rec": context, "failed": False}, invalid_status=422)
    finally:
        for item in store.values():
            if item.get("inspected") is not None:
                item["inspected"].discard()
    if isinstance(result, dict) and request.response.status_int == 422:
        result["failed"] = True
        status = request.environ.get("silat.upload_status")
        if status:
            request.response.status_int = status
    return result


@view_config(context=IInspection, name="bap.pdf", permission=P.VIEW_DOSSIER)
def inspection_pdf(context, request):
    return pdf_response(request, context.bap)


@view_config(context=IInspection, name="foto", permission=P.VIEW_DOSSIER)
def inspection_photo(context, request):
    try:
        photo = context.photos[int(request.subpath[0]) - 1] if request.subpath else None
    except (ValueError, IndexError):
        photo = None
    if photo is None:
        raise HTTPNotFound()
    response = request.response
    response.content_type = photo.mime
    response.body = photo.data()
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
