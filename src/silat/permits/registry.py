"""``/izin``: the site-level register of issued permits.

Permits live in their dossier (``/berkas/<number>/izin``); the register
only indexes them: by permit number, by verification token, by expiry
date (the daily expiry job reads only what is due), plus the SKRD
numbers and payment references (so a treasury file cannot be booked
twice) and the signer's worklist. Every index is a BTree.
"""
from BTrees.OOBTree import OOBTree, OOTreeSet
from zope.interface import Interface, implementer

from silat.resources.folder import Folder


class IPermitRegistry(Interface):
    """The register of issued permits (``/izin``)."""


@implementer(IPermitRegistry)
class PermitRegistry(Folder):
    def __init__(self, title=""):
        super().__init__(title)
        self.by_number = OOBTree()       # permit number -> Permit
        self.by_token = OOBTree()        # verification token -> Permit
        self.by_expiry = OOBTree()       # ISO date -> OOTreeSet of permit numbers
        self.skrd = OOBTree()            # SKRD number -> registration number
        self.payment_refs = OOBTree()    # payment reference -> SKRD number
        self.worklist = OOBTree()        # "decide" | "sign" -> OOTreeSet of registration numbers

    def add_permit(self, permit):
        self.by_number[permit.number] = permit
        self.by_token[permit.token] = permit
        if permit.valid_until is not None:
            key = permit.valid_until.isoformat()
            bucket = self.by_expiry.get(key)
            if bucket is None:
                bucket = self.by_expiry[key] = OOTreeSet()
            bucket.add(permit.number)

    def due_to_expire(self, before):
        """Permit numbers whose validity ended before ``before`` (a date)."""
        for key, bucket in self.by_expiry.items(max=before.isoformat(), excludemax=True):
            yield from list(bucket)

    def forget_expiry(self, permit):
        if permit.valid_until is not None:
            bucket = self.by_expiry.get(permit.valid_until.isoformat())
            if bucket is not None and permit.number in bucket:
                bucket.remove(permit.number)

    def list_set(self, name):
        found = self.worklist.get(name)
        if found is None:
            found = self.worklist[name] = OOTreeSet()
        return found


def registry(site):
    """The register (created if an older site lacks it and the caller writes)."""
    found = site.get("izin")
    if found is None:
        found = PermitRegistry("Register Izin")
        site.add("izin", found)
    return found
