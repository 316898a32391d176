"""Self-registration of applicants (``/daftar``) and email confirmation
(``/konfirmasi``).

The account is created through ``security.accounts.create_user`` as an
inactive pemohon; a random token (kept only as its SHA-256) goes out by
email through the notification service, and opening the link activates
the account.
"""
import datetime as dt
import hashlib
import hmac
import secrets
from urllib.parse import urlencode

import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.forms import handle_form, make_form
from silat.i18n import _
from silat.interfaces import ISite
from silat.intake.schemas import RegistrationSchema
from silat.notify import notifier
from silat.security import accounts, passwords
from silat.security.permissions import VIEW
from silat.security.principals import utcnow

TOKEN_HOURS = 48


def _digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def register(request, data):
    """Create the unconfirmed account and email the confirmation link."""
    site = request.root
    applicant = data["applicant"]
    email = applicant["email"].strip().lower()
    if site["pengguna"].find(email) is not None:
        raise accounts.AccountError(_("Email ini sudah terdaftar."))
    user = accounts.create_user(site, data["username"], data["password"], roles=["pemohon"],
                                title=applicant["name"].strip(), email=email)
    user.phone = applicant["phone"].strip()
    user.identity_kind = applicant["kind"]
    user.identity_number = applicant["identity_number"].strip()
    user.address = applicant.get("address", "").strip()
    user.active = False
    user.email_confirmed = False
    token = secrets.token_urlsafe(32)
    user.confirm_token_hash = _digest(token)
    user.confirm_expires = utcnow() + dt.timedelta(hours=TOKEN_HOURS)
    link = f"{request.application_url}/konfirmasi?" + urlencode({"u": user.username, "t": token})
    translate = request.localizer.translate
    notifier(request).notify([{"email": email}], translate(_("Konfirmasi pendaftaran SILAT")),
                             translate(_(
                                 "Yth. ${name},\n\nUntuk mengaktifkan akun SILAT Anda (${user}), "
                                 "buka tautan berikut dalam ${hours} jam:\n\n${link}\n\n"
                                 "Abaikan email ini bila Anda tidak mendaftar.",
                                 mapping={"name": user.title, "user": user.username,
                                          "hours": TOKEN_HOURS, "link": link})))
    return user


def confirm(site, username, token):
    """Activate the account when the token matches; return the user or None."""
    user = site["pengguna"].get((username or "").strip().lower())
    if user is None or user.email_confirmed or not user.confirm_token_hash or not token:
        return None
    if not hmac.compare_digest(user.confirm_token_hash, _digest(token)):
        return None
    if user.confirm_expires is None or user.confirm_expires < utcnow():
        return None
    user.email_confirmed = True
    user.active = True
    user.confirm_token_hash = None
    user.confirm_expires = None
    return user


PASSWORD_RULE = _("Minimal ${n} karakter, memuat huruf dan angka, tidak mudah ditebak dan "
                  "tidak memuat nama pengguna.", mapping={"n": passwords.MIN_LENGTH})


def registration_schema(request):
    """The registration form states the password rule up front and checks
    the username, email and password together, so every error shows in
    one round."""
    users = request.root["pengguna"]
    schema = RegistrationSchema()

    def username_free(node, value):
        if value in users:
            raise colander.Invalid(node, _("Nama pengguna ${name} sudah dipakai.",
                                           mapping={"name": value}))

    def email_free(node, value):
        if users.find((value or "").strip().lower()) is not None:
            raise colander.Invalid(node, _("Email ini sudah terdaftar."))

    def strong(node, value):
        problem = passwords.weakness(value or "")
        if problem:
            raise colander.Invalid(node, problem)

    for node, check in ((schema["username"], username_free),
                        (schema["applicant"]["email"], email_free), (schema["password"], strong)):
        node.validator = colander.All(node.validator, check) if node.validator else check
    schema["password"].description = PASSWORD_RULE
    return schema


@view_config(context=ISite, name="daftar", permission=VIEW, renderer="silat:templates/form.pt")
def registration_form(context, request):
    form = make_form(request, registration_schema(request),
                     buttons=(deform.Button("daftar", _("Daftar")),))

    def create(data):
        try:
            register(request, data)
        except accounts.AccountError as exc:
            request.session.flash(request.localizer.translate(exc.args[0]), "error")
            data.pop("password", None)
            return {"form": form.render(data)}
        request.session.flash(request.localizer.translate(_(
            "Pendaftaran diterima. Kami mengirim tautan konfirmasi ke email Anda; "
            "akun aktif setelah tautan itu dibuka.")))
        return HTTPSeeOther(request.application_url + "/masuk")

    return handle_form(request, form, create, page={
        "title": _("Daftar sebagai Pemohon"),
        "intro": _("Perorangan mendaftar dengan NIK, badan usaha dengan NIB.")})


@view_config(context=ISite, name="konfirmasi", permission=VIEW,
             renderer="silat:templates/message.pt")
def confirm_email(context, request):
    user = confirm(context, request.GET.get("u"), request.GET.get("t"))
    if user is None:
        request.response.status_int = 400
        return {"title": _("Konfirmasi gagal"),
                "message": _("Tautan konfirmasi tidak sah, sudah dipakai, atau kedaluwarsa.")}
    return {"title": _("Email terkonfirmasi"),
            "message": _("Akun ${name} sudah aktif. Silakan masuk.", mapping={"name": user.username}),
            "link": request.application_url + "/masuk", "link_title": _("Masuk")}
