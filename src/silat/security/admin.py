"""Admin pages for users: list, add, deactivate (``/pengguna``)."""
import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.interfaces import IPrincipalFolder, IUser
from silat.security import accounts
from silat.security.permissions import MANAGE_USERS
from silat.security.roles import ROLES


@colander.deferred
def _agency_widget(node, kw):
    agencies = kw["request"].root["opd"].values()
    choices = [("", _("- tidak terikat OPD -"))] + [(a.code, f"{a.code} - {a.title}") for a in agencies]
    return deform.widget.SelectWidget(values=choices)


class UserSchema(CSRFSchema):
    username = colander.SchemaNode(colander.String(), title=_("Nama pengguna"),
                                   validator=colander.Length(min=2, max=64))
    title = colander.SchemaNode(colander.String(), title=_("Nama lengkap"),
                                validator=colander.Length(max=200))
    email = colander.SchemaNode(colander.String(), title=_("Email"), missing="",
                                validator=colander.Email(msg=_("Alamat email tidak sah.")))
    roles = colander.SchemaNode(
        colander.Set(), title=_("Peran"),
        widget=deform.widget.CheckboxChoiceWidget(values=[(r.id, r.title) for r in ROLES]),
        validator=colander.Length(min=1, min_err=_("Pilih sekurang-kurangnya satu peran.")))
    agency = colander.SchemaNode(colander.String(), title=_("OPD"), missing="",
                                 widget=_agency_widget)
    password = colander.SchemaNode(colander.String(), title=_("Kata sandi"),
                                   widget=deform.widget.CheckedPasswordWidget(),
                                   validator=colander.Length(max=500))


@view_config(context=IPrincipalFolder, permission=MANAGE_USERS, renderer="silat:templates/users.pt")
def user_list(context, request):
    return {"title": _("Pengguna"), "users": list(context.values()),
            "add_url": request.resource_url(context, "tambah")}


@view_config(context=IPrincipalFolder, name="tambah", permission=MANAGE_USERS,
             renderer="silat:templates/form.pt")
def add_user(context, request):
    form = make_form(request, UserSchema(), buttons=(deform.Button("simpan", _("Simpan")),))

    def create(data):
        try:
            accounts.create_user(request.root, data["username"], data["password"],
                                 roles=sorted(data["roles"]), agency=data["agency"] or None,
                                 title=data["title"], email=data["email"])
        except accounts.AccountError as exc:
            request.session.flash(request.localizer.translate(exc.args[0]), "error")
            data.pop("password")
            return {"form": form.render(data)}
        request.session.flash(request.localizer.translate(
            _("Pengguna ${name} ditambahkan.", mapping={"name": data["username"].lower()})))
        return HTTPSeeOther(request.resource_url(context))

    return handle_form(request, form, create, page={"title": _("Tambah Pengguna")})


@view_config(context=IUser, name="aktif", request_method="POST", permission=MANAGE_USERS)
def toggle_active(context, request):
    if context is request.user:
        request.session.flash(request.localizer.translate(
            _("Anda tidak dapat menonaktifkan akun Anda sendiri.")), "error")
    else:
        context.active = not context.active
        context.session_epoch += 1
        if not context.active:
            from silat.security import tokens
            tokens.revoke_all(context.__parent__, context.username)
    return HTTPSeeOther(request.resource_url(context.__parent__))
