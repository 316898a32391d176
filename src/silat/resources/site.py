"""The site root and its bootstrap."""
from pyramid_zodbconn import get_connection
from zope.interface import implementer

from silat.interfaces import ISite
from silat.resources import containers as C
from silat.resources.folder import Folder
from silat.security.principals import PrincipalFolder
from silat.security.roles import root_acl

ZODB_ROOT_KEY = "silat"

# name -> (factory, title); the shape of ARCHITECTURE.md's tree
CONTAINERS = {
    "layanan": (C.ServiceCatalog, "Layanan"),
    "opd": (C.AgencyDirectory, "Perangkat Daerah"),
    "berkas": (C.DossierFolder, "Berkas Permohonan"),
    "pengaduan": (C.ComplaintFolder, "Pengaduan"),
    "informasi": (C.InformationRequestFolder, "Permohonan Informasi"),
    "survei": (C.SurveyFolder, "Survei Kepuasan"),
    "arsip": (C.Archive, "Arsip"),
    "pengguna": (PrincipalFolder, "Pengguna"),
    "izin": (lambda title: _permit_registry()(title), "Register Izin"),
}


def _permit_registry():
    from silat.permits.registry import PermitRegistry
    return PermitRegistry


def _site_settings():
    """Settings objects kept as attributes of the site: name -> factory."""
    from BTrees.OOBTree import OOBTree
    from silat.workflow.calendar import CalendarSettings
    # sla_watch: path -> 1 while its SLA clock runs, 0 once stopped (silat.workflow.sla);
    # report_*: the dashboard's counters, facts and index (silat.reports.tallies).
    # Created with the site: two requests creating the same attribute always conflict.
    return {"calendar_settings": CalendarSettings, "sla_watch": OOBTree,
            "report_tallies": OOBTree, "report_facts": OOBTree, "report_index": OOBTree}


def add_shared_indexes(site):
    """Create the counters and indexes under ``/berkas`` that parallel
    requests share (registration counters, the intake index), for the
    same reason."""
    from silat.intake.index import intake_index
    from silat.intake.numbering import counters
    counters(site)
    intake_index(site)


@implementer(ISite)
class Site(Folder):
    """The root of the resource tree."""

    generation = 0

    @property
    def __acl__(self):
        return root_acl()


def add_missing_containers(site):
    """Create every top-level container the site lacks; return their names."""
    added = []
    for name, (factory, title) in CONTAINERS.items():
        if name not in site:
            site.add(name, factory(title))
            added.append(name)
    return added


def add_missing_settings(site):
    """Create every settings object the site lacks; return their names."""
    added = []
    for name, factory in _site_settings().items():
        if getattr(site, name, None) is None:
            setattr(site, name, factory())
            added.append(name)
    return added


def bootstrap(zodb_root):
    """Return the site, creating it (at the newest generation) if absent."""
    from silat.evolve import LATEST
    from silat.workflow.sla import due_list

    site = zodb_root.get(ZODB_ROOT_KEY)
    if site is None:
        site = Site("SILAT")
        add_missing_containers(site)
        add_missing_settings(site)
        add_shared_indexes(site)
        due_list(site)           # made and filled at once by evolve step 80 on older sites
        site.generation = LATEST
        zodb_root[ZODB_ROOT_KEY] = site
    return site


def root_factory(request):
    return get_connection(request).root()[ZODB_ROOT_KEY]


def get_site(request):
    """The site root, whatever the request's context is."""
    return root_factory(request)
