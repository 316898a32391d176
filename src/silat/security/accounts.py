"""Creating users and granting their roles: the one place that does it,
used by the CLI, the admin pages and self-registration."""
from silat.security import localroles, passwords
from silat.security.principals import User, user_principal
from silat.security.roles import BY_ID, find_role
from silat.i18n import _


class AccountError(ValueError):
    """A refused account change; ``args[0]`` is a translation string."""


def create_user(site, username, password, roles=(), agency=None, title="", email=""):
    username = (username or "").strip().lower()
    if not username or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise AccountError(_("Nama pengguna hanya boleh huruf, angka, titik, garis bawah dan tanda hubung."))
    principals = site["pengguna"]
    if username in principals:
        raise AccountError(_("Nama pengguna ${name} sudah dipakai.", mapping={"name": username}))
    role_ids = []
    for name in roles:
        role = find_role(name)
        if role is None:
            raise AccountError(_("Peran tidak dikenal: ${role}.", mapping={"role": name}))
        role_ids.append(role.id)
    bound = [r for r in role_ids if BY_ID[r].agency_bound]
    agency_obj = None
    if agency:
        agency_obj = site["opd"].get(agency.strip().upper())
        if agency_obj is None:
            raise AccountError(_("Kode OPD tidak dikenal: ${code}.", mapping={"code": agency}))
    if bound and agency_obj is None:
        raise AccountError(_("Peran ${role} harus terikat pada satu OPD (--agency).",
                             mapping={"role": BY_ID[bound[0]].title}))
    problem = passwords.weakness(password, username)
    if problem:
        raise AccountError(problem)
    user = User(username, title=title, email=email, roles=role_ids,
                agency=agency_obj.code if agency_obj is not None else None)
    user.set_password(password)
    principals.add_user(user)
    if bound:
        localroles.grant(agency_obj, user_principal(username), *bound)
    return user
