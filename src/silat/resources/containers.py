"""The top-level containers of the site (see ARCHITECTURE.md)."""
from zope.interface import implementer

from silat import interfaces as I
from silat.resources.folder import Folder


@implementer(I.IServiceCatalog)
class ServiceCatalog(Folder):
    """``/layanan``: service types by code."""


@implementer(I.IAgencyDirectory)
class AgencyDirectory(Folder):
    """``/opd``: agencies by code."""


@implementer(I.IDossierFolder)
class DossierFolder(Folder):
    """``/berkas``: dossiers by registration number."""


@implementer(I.IComplaintFolder)
class ComplaintFolder(Folder):
    """``/pengaduan``."""


@implementer(I.IInformationRequestFolder)
class InformationRequestFolder(Folder):
    """``/informasi``."""


@implementer(I.ISurveyFolder)
class SurveyFolder(Folder):
    """``/survei``."""

    def __init__(self, title=""):
        super().__init__(title)
        from silat.survey.store import _ensure
        _ensure(self)       # made with the folder: parallel first uses would all conflict


@implementer(I.IArchive)
class Archive(Folder):
    """``/arsip``: archive records and views over dossiers."""
