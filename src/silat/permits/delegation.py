"""Who signs the permit of a service: the delegation table.

By default the head of DPMPTSP signs every permit (delegation of the
Wali Kota's authority: the seeds cite Keputusan Wali Kota Bekasi
060/Kep.51-Org/II/2014 "Pelimpahan Kewenangan Penandatanganan Perizinan
dan Non Perizinan kepada Kepala BPPT dan Camat"; a deployment sets the
decree in force with ``silat.signing.delegation_basis``). An admin may
delegate a service to the camat: the permit is then signed by the
official of the kecamatan where the object lies (an account with the
role Penandatangan bound to that kecamatan's agency code).
The table lives in ZODB (``site.signing_delegation``), edited on
``/delegasi-tanda-tangan``.
"""
import datetime as dt
from dataclasses import dataclass

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_root

from silat.i18n import _
from silat.security import permissions as P

DEFAULT_BASIS = ("Keputusan Wali Kota Bekasi Nomor 060/Kep.51-Org/II/2014 tentang Pelimpahan "
                 "Kewenangan Penandatanganan Perizinan dan Non Perizinan kepada Kepala Badan "
                 "Pelayanan Perizinan Terpadu (BPPT) dan Camat")
KINDS = {"dpmptsp": _("Kepala DPMPTSP"), "camat": _("Camat (lokasi objek)")}


class DelegationTable(Persistent):
    def __init__(self):
        self.entries = OOBTree()   # service code -> {"kind", "basis", "by", "at"}


def table(site):
    found = getattr(site, "signing_delegation", None)
    if found is None:
        found = site.signing_delegation = DelegationTable()
    return found


def set_entry(site, service_code, kind, basis, actor):
    table(site).entries[service_code] = {"kind": kind, "basis": (basis or "").strip(), "by": actor,
                                         "at": dt.datetime.now(dt.timezone.utc).isoformat()}


def remove_entry(site, service_code):
    table(site).entries.pop(service_code, None)


@dataclass
class Signatory:
    kind: str
    agency_code: str
    position: str
    basis: str


def resolve(dossier, settings=None):
    site = find_root(dossier)
    settings = settings or {}
    entry = getattr(site, "signing_delegation", None)
    entry = entry.entries.get(dossier.service_code) if entry is not None else None
    basis = (entry or {}).get("basis") or settings.get("silat.signing.delegation_basis") or DEFAULT_BASIS
    if entry and entry["kind"] == "camat":
        code = (dossier.location or {}).get("kecamatan") or ""
        agency = site["opd"].get(code)
        position = agency.officials[0]["position"] if agency is not None and agency.officials \
            else f"Camat {code}"
        return Signatory("camat", code, position, basis)
    agency = site["opd"].get("DPMPTSP")
    position = agency.officials[0]["position"] if agency is not None and agency.officials \
        else "Kepala DPMPTSP Kota Bekasi"
    return Signatory("dpmptsp", "DPMPTSP", position, basis)


def may_sign(request, dossier, check_permission=True):
    """SIGN on the dossier, and the user belongs to the delegated office.
    (The ``issue`` subscriber passes ``check_permission=False``: the
    transition checked SIGN before the state changed.)"""
    if request.user is None or (check_permission and not request.has_permission(P.SIGN, dossier)):
        return False
    signatory = resolve(dossier, request.registry.settings)
    agency = request.user.agency
    if signatory.kind == "camat":
        return agency == signatory.agency_code
    return agency in (None, "DPMPTSP")
