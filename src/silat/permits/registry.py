"""``/izin``: the site-level register of issued permits.

Permits live in their dossier (``/berkas/<number>/izin``); the register
only indexes them: by permit number, by verification token, by expiry
date (the daily expiry job reads only what is due: one tree set of
``(ISO date, permit number)`` pairs, so permits issued the same day never
create the same key at once), plus the SKRD
numbers and payment references (so a treasury file cannot be booked
twice) and the signer's worklist. Every index is a BTree.
"""
from BTrees.OOBTree import OOBTree, OOTreeSet
from zope.interface import Interface, implementer

from silat.resources import marks
from silat.resources.folder import Folder

WORKLISTS = ("decide", "sign")


class IPermitRegistry(Interface):
    """The register of issued permits (``/izin``)."""


@implementer(IPermitRegistry)
class PermitRegistry(Folder):
    def __init__(self, title=""):
        super().__init__(title)
        self.by_number = OOBTree()       # permit number -> Permit
        self.by_token = OOBTree()        # verification token -> Permit
        self.expiry = OOTreeSet()        # (ISO date, permit number)
        self.skrd = OOBTree()            # SKRD number -> registration number
        self.payment_refs = OOBTree()    # payment reference -> SKRD number
        self.worklist = OOBTree()        # "decide" | "sign" -> registration number -> open mark
        for name in WORKLISTS:
            self.worklist[name] = OOBTree()

    def add_permit(self, permit):
        self.by_number[permit.number] = permit
        self.by_token[permit.token] = permit
        if permit.valid_until is not None:
            self.expiry.add((permit.valid_until.isoformat(), permit.number))

    def due_to_expire(self, before):
        """Permit numbers whose validity ended before ``before`` (a date)."""
        for _day, number in list(self.expiry.keys(max=(before.isoformat(),), excludemax=True)):
            yield number

    def ending_between(self, first, last):
        """Permit numbers whose validity ends on a day from ``first`` to ``last``."""
        for _day, number in list(self.expiry.keys(min=(first.isoformat(),),
                                                  max=(last.isoformat(), "\uffff"))):
            yield number

    def forget_expiry(self, permit):
        if permit.valid_until is not None:
            key = (permit.valid_until.isoformat(), permit.number)
            if key in self.expiry:
                self.expiry.remove(key)

    def migrate_expiry(self):
        """Evolve step 60: the per-day buckets become one set of pairs."""
        old = self.__dict__.get("by_expiry")
        if "expiry" not in self.__dict__:
            self.expiry = OOTreeSet()
        if old is not None:
            for day, bucket in old.items():
                for number in bucket:
                    self.expiry.add((day, number))
            del self.by_expiry

    def marks(self, name):
        """The open marks of worklist ``name`` (``silat.resources.marks``)."""
        found = self.worklist.get(name)
        if found is None:
            found = self.worklist[name] = OOBTree()
        return found

    def open_numbers(self, name):
        return marks.open_keys(self.marks(name))

    def migrate_worklists(self):
        """Evolve step 70: tree sets of numbers become open marks."""
        for name in WORKLISTS:
            found = self.worklist.get(name)
            if found is None or isinstance(found, OOTreeSet):
                self.worklist[name] = marks.from_keys(found or ())


def registry(site):
    """The register (created if an older site lacks it and the caller writes)."""
    found = site.get("izin")
    if found is None:
        found = PermitRegistry("Register Izin")
        site.add("izin", found)
    return found
