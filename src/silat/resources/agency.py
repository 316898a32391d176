"""Agencies: DPMPTSP, the technical agencies (OPD), kecamatan offices."""
from zope.interface import implementer

from silat.interfaces import IAgency
from silat.resources.folder import Folder


@implementer(IAgency)
class Agency(Folder):
    """One agency. Its children (later) are numbering counters and the
    like; its officials are a small list of ``{position, name}``."""

    def __init__(self, code, title, kind="dinas", officials=(), recommender=False):
        super().__init__(title)
        self.code = code
        self.kind = kind
        self.officials = tuple(dict(o) for o in officials)
        self.recommender = recommender
