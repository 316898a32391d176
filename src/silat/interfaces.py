"""Contracts shared across SILAT's packages.

Content types are marked with these interfaces so views, workflow and
search can be registered against what a thing *is*, not its class.
Services (notification, numbering, ...) are looked up by interface so a
deployment or a test can swap the implementation.
"""
from zope.interface import Attribute, Interface


class IFolder(Interface):
    """A persistent container of named children, BTree-backed."""

    def __getitem__(name):
        """Return the child called ``name`` or raise KeyError."""

    def add(name, obj):
        """Store ``obj`` under ``name`` and make this folder its parent."""

    def remove(name):
        """Remove and return the child called ``name``."""


class ISite(IFolder):
    """The application root: settings, generation number, top containers."""

    generation = Attribute("Number of the last evolve step applied.")


class IServiceCatalog(IFolder):
    """The service catalog (``/layanan``)."""


class IAgencyDirectory(IFolder):
    """All agencies (``/opd``)."""


class IAgency(Interface):
    """An agency (OPD, DPMPTSP, kecamatan office, ...)."""

    code = Attribute("Short code the agency itself uses, e.g. DINKES.")
    title = Attribute("Full name.")


class IDossierFolder(IFolder):
    """All application dossiers (``/berkas``)."""


class IComplaintFolder(IFolder):
    """Complaints (``/pengaduan``)."""


class IInformationRequestFolder(IFolder):
    """Public information requests to the PPID (``/informasi``)."""


class ISurveyFolder(IFolder):
    """Satisfaction survey responses (``/survei``)."""


class IArchive(IFolder):
    """The archivist's workbench (``/arsip``)."""


class IPrincipalFolder(IFolder):
    """Users and groups (``/pengguna``)."""


class IUser(Interface):
    """A person who can log in."""

    username = Attribute("Login name, lower case.")
    roles = Attribute("Set of role ids held site-wide or in the agency.")
    agency = Attribute("Code of the agency the user belongs to, or None.")


class IGroup(Interface):
    """A named set of users."""


class IDossier(IFolder):
    """An application dossier (``/berkas/<registration number>``)."""

    registration_number = Attribute("Unique, e.g. SILAT-2026-000123.")
    service_code = Attribute("Code of the service type applied for.")
    service_revision = Attribute("Revision number of the standard it was filed under.")
    state = Attribute("Workflow state; changed only by silat.workflow.transition.")
    history = Attribute("The hash-chained AuditLog.")


class IWorkflowEvent(Interface):
    """Fired after every workflow transition."""

    object = Attribute("The content whose state changed.")
    request = Attribute("The request, or None for a system job.")
    transition = Attribute("The Transition taken.")
    old_state = Attribute("State before.")
    new_state = Attribute("State after.")
    comment = Attribute("The actor's comment or reason.")


class IPermit(Interface):
    """An issued permit (``/berkas/<registration number>/izin``)."""

    number = Attribute("Permit number.")
    state = Attribute("Workflow state: active, frozen, revoked, expired.")
    history = Attribute("The hash-chained AuditLog.")


class IComplaint(IFolder):
    """A complaint (``/pengaduan/<number>``), its own small dossier."""


class IInformationRequest(IFolder):
    """A public information request to the PPID (``/informasi/<number>``)."""


class ISurveyResults(Interface):
    """The satisfaction survey's figures, for dashboards and reports.

    Registered as a utility by the survey package; readers look it up
    with ``registry.queryUtility(ISurveyResults)`` and show "no survey
    data" when it is absent.
    """

    def summary(site, start=None, end=None, service=None, agency=None):
        """Figures of the responses in [start, end] (dates, inclusive) for
        one service code and/or agency code (None: all): a dict with
        ``responses`` (int), ``index`` (float 25-100 or None), ``grade``
        ("A".."D" or None), ``method`` ("skm9" or "ikm14")."""
