"""The roles of SILAT and the permissions each one grants.

This table is the single source of truth: the root ACL is built from it,
the CLI validates role names against it, and the permission-matrix test
reads it. A role is granted site-wide (stored on the user) or locally on
one resource (Plone-style local roles, see ``localroles``). Agency-bound
roles (``agency_bound``) are only ever granted locally, on the agency's
folder, so they give nothing outside that agency.
"""
from dataclasses import dataclass

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Everyone

from silat.i18n import _
from silat.security import permissions as P


@dataclass(frozen=True)
class Role:
    id: str
    title: str             # Indonesian display name (also the msgid)
    home: str              # view name of the role's home page
    permissions: tuple
    agency_bound: bool = False


ROLES = (
    Role("pemohon", _("Pemohon"), "permohonan-saya",
         (P.FILE_APPLICATION,)),
    Role("front_office", _("Petugas Front Office"), "loket",
         (P.FRONT_OFFICE, P.FILE_APPLICATION, P.VIEW_DOSSIER)),
    Role("verifikator", _("Verifikator"), "verifikasi",
         (P.VERIFY, P.VIEW_DOSSIER, P.EDIT_DOSSIER)),
    Role("petugas_opd", _("Petugas OPD"), "kotak-masuk",
         (P.REVIEW,), agency_bound=True),
    Role("kepala_opd", _("Kepala OPD"), "kotak-masuk",
         (P.REVIEW, P.APPROVE_RECOMMENDATION, P.VIEW_STATISTICS), agency_bound=True),
    Role("penandatangan", _("Penandatangan"), "tanda-tangan",
         (P.SIGN, P.DECIDE, P.VIEW_DOSSIER, P.VIEW_STATISTICS)),
    Role("arsiparis", _("Arsiparis"), "arsip",
         (P.ARCHIVE, P.VIEW_DOSSIER)),
    Role("analis_pengaduan", _("Analis Pengaduan"), "pengaduan/antrian",
         (P.HANDLE_COMPLAINTS,)),
    Role("pengawas", _("Pengawas"), "pemantauan",
         (P.SUPERVISE, P.VIEW_DOSSIER, P.VIEW_STATISTICS)),
    Role("admin", _("Admin"), "admin",
         (ALL_PERMISSIONS,)),
)

BY_ID = {role.id: role for role in ROLES}

# Roles that exist only as local roles on one resource, never site-wide:
# the applicant who owns a dossier, and the agency asked to review it.
LOCAL_ONLY_ROLES = {
    "owner": _("Pemilik berkas"),
    "reviewer": _("OPD peninjau"),
    "reviewed": _("OPD pemberi rekomendasi"),
}


def role_principal(role_id):
    return f"role:{role_id}"


def find_role(name):
    """Return the Role for a name or title, case- and separator-insensitive."""
    wanted = _normal(name)
    for role in ROLES:
        if wanted in (_normal(role.id), _normal(role.title)):
            return role
    return None


def _normal(text):
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def root_acl():
    """The ACL at the site root: public view, logged-in pages, then roles."""
    acl = [
        (Allow, Everyone, (P.VIEW,)),
        (Allow, Authenticated, (P.USE_SITE,)),
    ]
    for role in ROLES:
        perms = role.permissions
        acl.append((Allow, role_principal(role.id),
                    perms[0] if perms == (ALL_PERMISSIONS,) else perms))
    return acl
