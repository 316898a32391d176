"""Login, logout and the language switch."""
from urllib.parse import urlsplit

import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import forget, remember
from pyramid.view import view_config

from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import COOKIE, LOCALES, _
from silat.interfaces import ISite
from silat.resources.site import get_site
from silat.security import passwords, throttle
from silat.security.permissions import VIEW
from silat.security.principals import utcnow


def safe_came_from(request, value):
    """Only same-site paths are followed after login (no open redirect)."""
    parts = urlsplit(value or "")
    if parts.scheme or parts.netloc or not (value or "").startswith("/") or value.startswith("//"):
        return request.application_url + "/beranda"
    return request.application_url + value


class LoginSchema(CSRFSchema):
    login = colander.SchemaNode(colander.String(), title=_("Nama pengguna atau email"),
                                validator=colander.Length(max=200))
    password = colander.SchemaNode(colander.String(), title=_("Kata sandi"),
                                   widget=deform.widget.PasswordWidget(),
                                   validator=colander.Length(max=500))
    came_from = colander.SchemaNode(colander.String(), widget=deform.widget.HiddenWidget(),
                                    missing="/beranda")


@view_config(context=ISite, name="masuk", permission=VIEW, renderer="silat:templates/form.pt")
def login(context, request):
    form = make_form(request, LoginSchema(), buttons=(deform.Button("masuk", _("Masuk")),))
    came_from = request.params.get("came_from", "/beranda")
    if request.params.get("expired") and request.method == "GET":
        request.session.flash(request.localizer.translate(
            _("Sesi Anda telah berakhir. Silakan masuk kembali.")), "error")
    return handle_form(request, form, lambda data: _attempt(request, form, data),
                       appstruct={"came_from": came_from}, page={"title": _("Masuk")})


def _attempt(request, form, data):
    site = get_site(request)
    principals = site["pengguna"]
    now = utcnow()
    address = request.client_addr
    login_name = data["login"]
    wait = throttle.login_wait(principals, login_name, address, now)
    if wait:
        return _refuse(request, form, data, throttle_message(wait))
    user = principals.find(login_name)
    if user is None:
        passwords.verify_dummy(data["password"])
    if user is None or not user.check_password(data["password"]):
        throttle.record_failure(principals, login_name, address, now)
        if user is not None and not user.email_confirmed and \
                passwords.verify_password(user.password_hash, data["password"]):
            return _refuse(request, form, data, _(
                "Akun Anda belum aktif: buka tautan konfirmasi yang kami kirim ke email Anda."))
        return _refuse(request, form, data, _("Nama pengguna atau kata sandi salah."))
    throttle.record_success(principals, login_name, address)
    response = HTTPSeeOther(safe_came_from(request, data["came_from"]),
                            headers=remember(request, user.username))
    if user.language in LOCALES:
        set_language_cookie(request, response, user.language)
    return response


def throttle_message(seconds):
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${seconds} detik.",
             mapping={"seconds": seconds})


def _refuse(request, form, data, message):
    request.session.flash(request.localizer.translate(message), "error")
    return {"form": form.render({"login": data["login"], "came_from": data["came_from"]})}


@view_config(context=ISite, name="keluar", request_method="POST", permission=VIEW)
def logout(context, request):
    user = request.user
    if user is not None:
        user.session_epoch += 1     # a copied session cookie dies with the logout
    headers = forget(request)
    request.session.flash(request.localizer.translate(_("Anda telah keluar.")))
    return HTTPSeeOther(request.application_url + "/", headers=headers)


def set_language_cookie(request, response, lang):
    response.set_cookie(COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="Lax",
                        secure=request.registry.settings["silat.secure_cookies"])


@view_config(context=ISite, name="bahasa", request_method="POST", permission=VIEW)
def switch_language(context, request):
    lang = request.POST.get("lang")
    response = HTTPSeeOther(safe_came_from(request, request.POST.get("came_from", "/")))
    if lang in LOCALES:
        set_language_cookie(request, response, lang)
        if request.user is not None:
            request.user.language = lang
    return response
