"""The front page and each role's home (``/beranda``)."""
from dataclasses import dataclass

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.i18n import _
from silat.interfaces import IAgency, IArchive, IComplaintFolder, ISite
from silat.security import permissions as P
from silat.security.roles import BY_ID


@dataclass
class Home:
    title: str
    url: str


@view_config(context=ISite, permission=P.VIEW, renderer="silat:templates/front.pt")
def front_page(context, request):
    return {}


def role_homes(request):
    """Every home page the logged-in user has, in role order."""
    user, site = request.user, request.root
    url = request.application_url
    homes = []
    for role_id in user.roles:
        role = BY_ID.get(role_id)
        if role is None:
            continue
        if role.agency_bound:
            agency = site["opd"].get(user.agency or "")
            if agency is None or not request.has_permission(P.REVIEW, agency):
                continue
            target = f"{url}/opd/{agency.code}/{role.home}"
        elif role.home == "arsip":
            target = f"{url}/arsip"
        elif role.home == "kelola":
            target = f"{url}/pengaduan/kelola"
        else:
            target = f"{url}/{role.home}"
        if all(h.url != target for h in homes):
            homes.append(Home(role.title, target))
    return homes


@view_config(context=ISite, name="beranda", permission=P.USE_SITE, renderer="silat:templates/home.pt")
def dashboard(context, request):
    homes = role_homes(request)
    if len(homes) == 1:
        return HTTPSeeOther(homes[0].url)
    return {"title": _("Beranda"), "homes": homes, "roles": _role_titles(request)}


def _role_titles(request):
    translate = request.localizer.translate
    return ", ".join(translate(BY_ID[r].title) for r in request.user.roles if r in BY_ID) or "-"


def _home(request, title, worklist):
    return {"title": title, "homes": [], "roles": _role_titles(request), "worklist": worklist}


# Role homes. Their worklists are filled by the issues that own the work.
@view_config(context=ISite, name="permohonan-saya", permission=P.FILE_APPLICATION,
             renderer="silat:templates/home.pt")
def applicant_home(context, request):
    return _home(request, _("Permohonan Saya"), _("Permohonan yang Anda ajukan"))


@view_config(context=ISite, name="loket", permission=P.FRONT_OFFICE, renderer="silat:templates/home.pt")
def front_office_home(context, request):
    return _home(request, _("Loket Front Office"), _("Permohonan yang diterima di loket hari ini"))


@view_config(context=ISite, name="verifikasi", permission=P.VERIFY, renderer="silat:templates/home.pt")
def verifier_home(context, request):
    return _home(request, _("Verifikasi Berkas"), _("Berkas yang menunggu verifikasi"))


@view_config(context=IAgency, name="kotak-masuk", permission=P.REVIEW, renderer="silat:templates/home.pt")
def agency_inbox(context, request):
    return _home(request, _("Kotak Masuk ${agency}", mapping={"agency": context.code}),
                 _("Permintaan rekomendasi teknis"))


@view_config(context=ISite, name="tanda-tangan", permission=P.SIGN, renderer="silat:templates/home.pt")
def signer_home(context, request):
    return _home(request, _("Penandatanganan"), _("Izin yang menunggu tanda tangan"))


@view_config(context=IArchive, permission=P.ARCHIVE, renderer="silat:templates/home.pt")
def archive_home(context, request):
    return _home(request, _("Arsip Berkas"), _("Berkas menurut klasifikasi dan retensi"))


@view_config(context=IComplaintFolder, name="kelola", permission=P.HANDLE_COMPLAINTS,
             renderer="silat:templates/home.pt")
def complaints_home(context, request):
    return _home(request, _("Pengelolaan Pengaduan"), _("Pengaduan yang perlu ditangani"))


@view_config(context=ISite, name="pemantauan", permission=P.SUPERVISE, renderer="silat:templates/home.pt")
def supervisor_home(context, request):
    return _home(request, _("Pemantauan"), _("Berkas yang melewati batas waktu"))


@view_config(context=ISite, name="admin", permission=P.MANAGE, renderer="silat:templates/home.pt")
def admin_home(context, request):
    result = _home(request, _("Administrasi"), _("Pengaturan situs"))
    url = request.application_url
    result["homes"] = [Home(_("Pengguna"), f"{url}/pengguna")]
    return result
