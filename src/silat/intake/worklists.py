"""The role homes intake owns: the applicant's own applications
(``/permohonan-saya``), the front office desk (``/loket``) and the
verifier's queue (``/verifikasi``). They read the intake index, never
scan ``/berkas``. Each shows ``PAGE_SIZE`` rows a page (``?halaman=N``):
every listed dossier is permission-checked (the total counts them), the
rows are made only for the page's."""
from pyramid.view import view_config

from silat.i18n import _
from silat.interfaces import ISite
from silat.intake.applications import due_date, local_today
from silat.intake.index import dossiers, intake_index
from silat.security import permissions as P
from silat.views.paging import Pager
from silat.views.urls import child_urls
from silat.workflow import state_title
from silat.workflow.views import sla_info

def rows(request, items):
    """The rows of ``items``, already permission-checked."""
    out, url = [], child_urls(request)

    for dossier in items:
        standard = dossier.standard()
        due = due_date(dossier)
        out.append({"number": dossier.registration_number, "url": url(dossier),
                    "service": standard.name, "code": dossier.service_code,
                    "applicant": dossier.applicant.get("name", ""),
                    "state": dossier.state, "state_title": state_title(dossier),
                    "created": dossier.created, "due": due, "sla": sla_info(dossier, request)})
    return out


def _page(request, title, worklist, items, **extra):
    """The page of ``items`` (dossiers in list order) the user may view."""
    from silat.views.home import _role_titles
    pager = Pager(request)
    shown = rows(request, pager.take(items, lambda d: request.has_permission(P.VIEW_DOSSIER, d)))
    return {"title": title, "homes": [], "roles": _role_titles(request), "worklist": worklist,
            "rows": shown, "new_url": request.application_url + "/ajukan",
            "new_title": _("Ajukan permohonan baru"), "pager": pager, **extra}


def urgency(dossier):
    """The verifier's order: by due date (none last), then filing time."""
    due = due_date(dossier)
    return due is None, due or dossier.created.date(), dossier.created


@view_config(context=ISite, name="permohonan-saya", permission=P.FILE_APPLICATION,
             renderer="silat:templates/intake/worklist.pt")
def applicant_home(context, request):
    index = intake_index(context)
    numbers = index.numbers(index.by_owner, request.user.username)
    items = dossiers(context, reversed(numbers))          # the newest first
    return _page(request, _("Permohonan Saya"), _("Permohonan yang Anda ajukan"), items)


@view_config(context=ISite, name="loket", permission=P.FRONT_OFFICE,
             renderer="silat:templates/intake/worklist.pt")
def front_office_home(context, request):
    index = intake_index(context)
    numbers = index.numbers(index.by_day, local_today().isoformat())
    items = [d for d in dossiers(context, reversed(numbers)) if getattr(d, "walk_in", False)]
    return _page(request, _("Loket Front Office"),
                 _("Permohonan yang diterima di loket hari ini"), items,
                 new_title=_("Ajukan untuk pemohon yang datang langsung"))


@view_config(context=ISite, name="verifikasi", permission=P.VERIFY,
             renderer="silat:templates/intake/worklist.pt")
def verifier_home(context, request):
    items = dossiers(context, intake_index(context).in_state("submitted"))
    items.sort(key=urgency)                                # the most urgent first
    return _page(request, _("Verifikasi Berkas"), _("Berkas yang menunggu verifikasi"), items,
                 new_url=None)
