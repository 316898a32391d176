"""Pages: the decision (all recommendations together), fees and payments,
PBB check, issuing, the signer's worklist, the public verification page,
the delegation table and the CSV imports."""
import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import exception_view_config, view_config

from silat.present import rupiah
from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.intake.schemas import RequestTmpStore
from silat.interfaces import IDossier, IPermit, ISite
from silat.permits import delegation, fees, pbb, signing
from silat.permits.csvfiles import parse_amount, parse_date
from silat.permits.files import pdf_response
from silat.permits.interfaces import IPbbRecords
from silat.permits.registry import registry
from silat.permits.services import PUBLIC_STATES, PermitRefused, public_fields
from silat.recommendations.model import DECISIONS
from silat.security import permissions as P
from silat.views.paging import Pager
from silat.workflow import WorkflowError, transition
from silat.present import say, state_label

REQUIRED = _("Wajib diisi.")


@exception_view_config(PermitRefused, renderer="silat:templates/message.pt")
def permit_refused(exc, request):
    request.response.status_int = exc.status
    if request.path_info.startswith("/api/"):
        from silat.api.errors import error_body
        request.response.content_type = "application/json"
        import json
        request.response.text = json.dumps(error_body(request, exc.code, exc.message))
        return request.response
    return {"title": _("Izin tidak diterbitkan"), "message": exc.message,
            "link": request.resource_url(request.context, "keputusan")
            if IDossier.providedBy(request.context) else request.application_url,
            "link_title": _("Kembali")}


def _flash_error(request, message):
    say(request, message, "error")


# -- the decision ------------------------------------------------------------------

@view_config(context=IDossier, name="keputusan", permission=P.DECIDE, request_method="GET",
             renderer="silat:templates/permits/decision.pt")
def decision_page(context, request):
    recs = sorted(context["rekomendasi"].values(), key=lambda r: r.agency_code)
    amount, problem = None, None
    try:
        amount, _rule = fees.compute_fee(context)
    except Exception as exc:   # noqa: BLE001 - FeeError: shown to the officer
        problem = getattr(exc, "message", str(exc))
    return {"title": _("Keputusan: ${number}", mapping={"number": context.registration_number}),
            "dossier": context, "recs": recs, "decisions": DECISIONS,
            "pending": context.pending_recommendations(), "fee": amount, "fee_problem": problem,
            "rupiah": rupiah, "assessments": list(context["retribusi"].values()),
            "can_issue": context.state == "approved" and delegation.may_sign(request, context),
            "signatory": delegation.resolve(context, request.registry.settings),
            "permit": context.permit, "letters": getattr(context, "letters", ()) or (),
            "state_title": state_label(context), "dossier_url": request.resource_url(context)}


@view_config(context=IDossier, name="keputusan", permission=P.DECIDE, request_method="POST")
def decide(context, request):
    back = request.resource_url(context, "keputusan")
    action = request.POST.get("action")
    reason = (request.POST.get("reason") or "").strip()
    try:
        if action == "approve":
            transition(context, "approve", request, comment=reason)
            if context.fee_outstanding() > 0:
                transition(context, "assess_fee", request)
            say(request, _("Permohonan disetujui."))
        elif action == "reject":
            transition(context, "reject", request, comment=reason)
            say(request, _("Permohonan ditolak; surat penolakan dibuat."))
        else:
            raise HTTPNotFound()
    except WorkflowError as refused:
        _flash_error(request, refused.reason)
    return HTTPSeeOther(back if request.has_permission(P.DECIDE, context)
                        else request.application_url + "/tanda-tangan")


@view_config(context=IDossier, name="terbitkan", permission=P.SIGN, request_method="POST")
def issue(context, request):
    try:
        transition(context, "issue", request)
    except WorkflowError as refused:
        _flash_error(request, refused.reason)
        return HTTPSeeOther(request.resource_url(context, "keputusan"))
    say(request, _("Izin ${number} diterbitkan dan ditandatangani secara elektronik.",
                            mapping={"number": context.permit.number}))
    return HTTPSeeOther(request.application_url + "/tanda-tangan")


@view_config(context=IDossier, name="izin.pdf", permission=P.VIEW_DOSSIER)
def permit_pdf_view(context, request):
    if context.permit is None:
        raise HTTPNotFound()
    return pdf_response(request, context.permit.pdf)


@view_config(context=IDossier, name="surat", permission=P.VIEW_DOSSIER)
@view_config(context=IPermit, name="surat", permission=P.VIEW_DOSSIER)
def letter_view(context, request):
    letters = getattr(context, "letters", ()) or ()
    try:
        letter = letters[int(request.subpath[0]) - 1]
    except (IndexError, ValueError):
        raise HTTPNotFound()
    return pdf_response(request, letter)


# -- fees ----------------------------------------------------------------------------

@view_config(context=fees.FeeAssessment, name="skrd.pdf", permission=P.VIEW_DOSSIER)
def skrd_view(context, request):
    return pdf_response(request, context.pdf)


class PaymentSchema(CSRFSchema):
    amount = colander.SchemaNode(colander.String(), title=_("Jumlah dibayar (rupiah)"),
                                 missing_msg=REQUIRED)
    paid_on = colander.SchemaNode(colander.String(), title=_("Tanggal bayar (TTTT-BB-HH)"),
                                  missing_msg=REQUIRED)
    reference = colander.SchemaNode(colander.String(), title=_("Nomor referensi (NTPD)"),
                                    missing_msg=REQUIRED)


@view_config(context=fees.FeeAssessment, name="bayar", permission=P.VERIFY,
             renderer="silat:templates/form.pt")
def record_payment_view(context, request):
    form = make_form(request, PaymentSchema(), buttons=(deform.Button("catat", _("Catat pembayaran")),),
                     formid="pembayaran")
    intro = _("SKRD ${number}: sisa tagihan ${rest}.",
              mapping={"number": context.number, "rest": rupiah(context.outstanding())})
    if request.method == "POST":
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            request.response.status_int = 422
            return {"title": _("Pencatatan pembayaran"), "intro": intro, "form": failure.render()}
        try:
            fees.record_payment(context, parse_amount(data["amount"]), parse_date(data["paid_on"]),
                                data["reference"].strip(), "officer", request.user.username, request)
        except fees.PaymentError as exc:
            request.response.status_int = 422
            _flash_error(request, exc.message)
            return {"title": _("Pencatatan pembayaran"), "intro": intro,
                    "form": form.render({k: data[k] for k in ("amount", "paid_on", "reference")})}
        say(request, _("Pembayaran dicatat."))
        return HTTPSeeOther(request.resource_url(context.dossier, "keputusan"))
    return {"title": _("Pencatatan pembayaran"), "intro": intro, "form": form.render()}


# -- PBB -------------------------------------------------------------------------------

class PbbSchema(CSRFSchema):
    nop = colander.SchemaNode(colander.String(), title=_("NOP (Nomor Objek Pajak)"),
                              missing_msg=REQUIRED)
    year = colander.SchemaNode(colander.Integer(), title=_("Tahun pajak"), missing_msg=REQUIRED,
                               validator=colander.Range(1990, 2100))


def may_check_pbb(request, dossier):
    """The verifier (submitted .. approved) and the signer (who needs it to issue)."""
    return any(request.has_permission(p, dossier) for p in (P.VERIFY, P.DECIDE, P.SIGN))


@view_config(context=IDossier, name="cek-pbb", permission=P.VIEW_DOSSIER,
             renderer="silat:templates/form.pt")
def pbb_check_view(context, request):
    if not may_check_pbb(request, context):
        raise HTTPForbidden()
    form = make_form(request, PbbSchema(), buttons=(deform.Button("periksa", _("Periksa ke data Bapenda")),),
                     formid="cek-pbb")
    title = _("Pemeriksaan bukti lunas PBB")
    if request.method == "POST":
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            request.response.status_int = 422
            return {"title": title, "form": failure.render()}
        records = request.registry.getUtility(IPbbRecords)
        ok, message = pbb.check_dossier(context, records, data["nop"], data["year"],
                                        request.user.username)
        if ok:
            say(request, message)
        else:
            _flash_error(request, message)
        # back to the checklist while verifying; else to the dossier once paid
        if context.state == "submitted" and request.has_permission(P.VERIFY, context):
            return HTTPSeeOther(request.resource_url(context, "verifikasi"))
        return HTTPSeeOther(request.resource_url(context) if ok
                            else request.resource_url(context, "cek-pbb"))
    check = getattr(context, "pbb_check", None)
    intro = None
    if check:
        intro = _("Pemeriksaan terakhir: NOP ${nop} tahun ${year}: ${result}.",
                  mapping={"nop": check["nop"], "year": check["year"],
                           "result": _("lunas") if check["paid"] else _("tidak lunas / tidak ditemukan")})
    appstruct = {"nop": (context.location or {}).get("nop") or (check or {}).get("nop") or "",
                 "year": fees.local_today().year}
    result = {"title": title, "form": form.render(appstruct)}
    if intro:
        result["intro"] = intro
    return result


# -- the signer's worklist ------------------------------------------------------------

@view_config(context=ISite, name="tanda-tangan", permission=P.SIGN,
             renderer="silat:templates/permits/signer.pt")
def signer_home(context, request):
    reg = registry(context)
    folder = context["berkas"]

    def rows(name, wanted, param):
        """The page (``?<param>=N``) of the open dossiers of worklist
        ``name`` that pass ``wanted`` and the user may view (the cheaper
        test first: most dossiers waiting for a recommendation are left
        out before any permission check). Every open dossier is tested,
        for the total."""
        def keep(dossier):
            return dossier is not None and wanted(dossier) \
                and request.has_permission(P.VIEW_DOSSIER, dossier)
        pager = Pager(request, param)
        numbers = reg.open_numbers(name) if "izin" in context else ()
        return pager.take((folder.get(n) for n in numbers), keep), pager

    decide, decide_pager = rows("decide", lambda d: not d.pending_recommendations()
                                and (d.state == "in_review" or not d.standard().recommendations_from),
                                "halaman")
    sign, sign_pager = rows("sign", lambda d: delegation.may_sign(request, d), "halaman_tanda_tangan")
    decide_pager.beside(sign_pager), sign_pager.beside(decide_pager)
    return {"title": _("Penandatanganan"), "decide": decide, "sign": sign,
            "decide_pager": decide_pager, "sign_pager": sign_pager}


# -- public verification --------------------------------------------------------------

VERIFY_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024


def _read(filedata, limit):
    """At most ``limit`` + 1 bytes of an uploaded file (deform's FileData)."""
    fp = filedata.get("fp") if filedata else None
    return fp.read(limit + 1) if fp is not None else b""


def file_node(name, title, missing_msg, accept):
    """A deform file field kept only for this request (intake's tmpstore)."""
    return colander.SchemaNode(
        deform.FileData(), name=name, title=title, missing_msg=missing_msg,
        widget=deform.widget.FileUploadWidget(RequestTmpStore(), accept=accept))


def verify_schema():
    schema = CSRFSchema()
    schema.add(file_node("berkas", _("Berkas PDF izin"),
                         _("Pilih berkas PDF izin yang akan diperiksa."), "application/pdf"))
    return schema


@view_config(route_name="permit.verify", permission=P.VIEW,
             renderer="silat:templates/permits/verify.pt")
def verify_page(context, request):
    token = request.matchdict["token"]
    permit = registry(context).by_token.get(token) if token and "izin" in context else None
    if permit is None:
        request.response.status_int = 404
        return {"title": _("Verifikasi izin"), "permit": None, "fields": None, "check": None,
                "form": None}
    form = make_form(request, verify_schema(), formid="periksa",
                     buttons=(deform.Button("periksa", _("Periksa")),))

    def check(data):
        content = _read(data["berkas"], VERIFY_MAX_BYTES)
        if not content:
            request.response.status_int = 422
            return {"check": {"ok": False,
                              "message": _("Pilih berkas PDF izin yang akan diperiksa.")},
                    "form": form.render()}
        return {"check": check_upload(permit, content, request.registry.settings),
                "form": form.render()}

    return handle_form(request, form, check, page=lambda: {
        "title": _("Verifikasi izin"), "permit": permit,
        "fields": public_fields(permit, request), "check": None, "states": PUBLIC_STATES}, invalid_status=422)


def check_upload(permit, data, settings):
    """Authentic only when the bytes are exactly the issued PDF and its
    signature validates against the trust anchor."""
    same = signing.sha256(data) == permit.sha256
    signature = signing.validate_pdf(data, settings)
    if same and signature.ok:
        return {"ok": True, "message": _("ASLI: berkas ini sama dengan izin yang diterbitkan dan "
                                         "tanda tangan elektroniknya sah.")}
    if not signature.ok and signature.reason in ("no_signature", "unreadable"):
        why = _("berkas tidak memuat tanda tangan elektronik yang dapat dibaca")
    elif not signature.ok:
        why = _("tanda tangan elektronik tidak sah atau berkas telah diubah")
    else:
        why = _("isi berkas berbeda dari izin yang diterbitkan")
    return {"ok": False, "message": _("TIDAK ASLI: ${why}.", mapping={"why": why})}


# -- delegation table ------------------------------------------------------------------

class DelegationSchema(CSRFSchema):
    service = colander.SchemaNode(colander.String(), title=_("Layanan"), missing_msg=REQUIRED)
    kind = colander.SchemaNode(colander.String(), title=_("Penandatangan"), missing_msg=REQUIRED,
                               validator=colander.OneOf(list(delegation.KINDS)),
                               widget=deform.widget.SelectWidget(values=list(delegation.KINDS.items())))
    basis = colander.SchemaNode(colander.String(), title=_("Dasar pelimpahan (keputusan wali kota)"),
                                missing="", widget=deform.widget.TextAreaWidget(rows=2))


@view_config(context=ISite, name="delegasi-tanda-tangan", permission=P.MANAGE,
             renderer="silat:templates/permits/delegation.pt")
def delegation_page(context, request):
    services = sorted((code, s.title) for code, s in context["layanan"].items())
    if request.method == "POST" and "hapus" in request.POST:
        delegation.remove_entry(context, request.POST.get("hapus"))
        say(request, _("Delegasi dihapus; layanan kembali ditandatangani Kepala DPMPTSP."))
        return HTTPSeeOther(request.resource_url(context, "delegasi-tanda-tangan"))
    schema = DelegationSchema()
    schema["service"].validator = colander.OneOf([code for code, _t in services],
                                                 msg_err=_("Layanan tidak dikenal."))
    schema["service"].widget = deform.widget.SelectWidget(values=[("", "-")] + services)
    form = make_form(request, schema, formid="delegasi")

    def save(data):
        delegation.set_entry(context, data["service"], data["kind"], data["basis"],
                             request.user.username)
        say(request, _("Delegasi penandatanganan disimpan."))
        return HTTPSeeOther(request.resource_url(context, "delegasi-tanda-tangan"))

    def page():
        return {"title": _("Delegasi penandatanganan izin"),
                "entries": list(delegation.table(context).entries.items()),
                "kinds": delegation.KINDS,
                "default_basis": request.registry.settings.get("silat.signing.delegation_basis")
                or delegation.DEFAULT_BASIS}

    return handle_form(request, form, save, page=page, invalid_status=422)


# -- CSV imports --------------------------------------------------------------------------

IMPORTS = {
    "impor-pembayaran": (_("Impor pembayaran dari kas daerah (CSV)"), ",".join(fees.PAYMENT_COLUMNS)),
    "impor-pbb": (_("Impor data PBB dari Bapenda (CSV)"), ",".join(pbb.COLUMNS)),
}


def import_schema():
    schema = CSRFSchema()
    schema.add(file_node("berkas", _("Berkas CSV"), _("Pilih berkas CSV yang akan diimpor."),
                         ".csv,text/csv"))
    return schema


@view_config(context=ISite, name="impor-pembayaran", permission=P.MANAGE,
             renderer="silat:templates/permits/import.pt")
@view_config(context=ISite, name="impor-pbb", permission=P.MANAGE,
             renderer="silat:templates/permits/import.pt")
def import_page(context, request):
    """A bad file is refused whole, with the rows' messages; nothing is stored."""
    title, columns = IMPORTS[request.view_name]
    form = make_form(request, import_schema(), formid="impor",
                     buttons=(deform.Button("impor", _("Impor")),))

    def run(data):
        content = _read(data["berkas"], IMPORT_MAX_BYTES)
        user = request.user.username
        if request.view_name == "impor-pembayaran":
            report = fees.import_payments(context, content, user, request)
        else:
            report = pbb.import_records(context, content, user)
        if not report.ok:
            request.response.status_int = 422
        return {"report": report, "messages": report.messages(request.localizer.translate),
                "form": form.render()}

    return handle_form(request, form, run, page={"title": title, "columns": columns,
                                             "report": None, "messages": []}, invalid_status=422)
