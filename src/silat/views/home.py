"""The front page and each role's home (``/beranda``)."""
from dataclasses import dataclass

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.i18n import _
from silat.interfaces import ISite
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


# Role homes live with the work they list: the applicant's, front office's
# and verifier's in silat.intake.worklists, the agency inbox
# (/opd/<CODE>/kotak-masuk) in silat.recommendations.views, the signer's
# (/tanda-tangan) in silat.permits.views, the archive's (/arsip) in
# silat.archive.views, the complaint analysts' (/pengaduan/antrian) in
# silat.complaints.views, the supervisors' (/pemantauan) in silat.workflow.monitor.


@view_config(context=ISite, name="admin", permission=P.MANAGE, renderer="silat:templates/home.pt")
def admin_home(context, request):
    result = _home(request, _("Administrasi"), _("Pengaturan situs"))
    url = request.application_url
    result["homes"] = [Home(_("Pengguna"), f"{url}/pengguna"),
                       Home(_("Kalender hari kerja"), f"{url}/kalender"),
                       Home(_("Pemantauan"), f"{url}/pemantauan"),
                       Home(_("Impor data PBB dari Bapenda (CSV)"), f"{url}/impor-pbb"),
                       Home(_("Impor pembayaran dari kas daerah (CSV)"), f"{url}/impor-pembayaran")]
    return result
