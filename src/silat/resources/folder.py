"""BTree-backed folders: the container every large collection uses.

Children live in an ``OOBTree`` and, for the large shared folders, the
count in a ``BTrees.Length``, both of which resolve concurrent inserts
instead of raising ConflictError. A small folder (``counted = False``,
e.g. a dossier's sub-folders) has no ``Length``: ``len`` of its one-bucket
tree is as cheap, and every stored object costs a record in each commit.
There is deliberately no ordering list: an ordered folder turns every add
into a write on one shared object.
"""
import re

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zope.interface import implementer

from silat.interfaces import IFolder

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$")


def attached(holder, name, factory):
    """The helper object kept as attribute ``name`` of ``holder`` (a counter
    tree, an index), created with ``factory()`` on first use."""
    found = getattr(holder, name, None)
    if found is None:
        found = factory()
        setattr(holder, name, found)
    return found


def check_name(name):
    """Refuse names that cannot be a URL segment of the tree."""
    if not isinstance(name, str) or not _NAME.match(name) or name.startswith("@@"):
        raise ValueError(f"invalid name: {name!r}")
    return name


@implementer(IFolder)
class Folder(Persistent):
    """A persistent folder with location-aware children."""

    __name__ = None
    __parent__ = None
    counted = True       # keep the count in a Length (folders with many children)
    _count = None        # the Length; None in an uncounted folder

    def __init__(self, title=""):
        self.title = title
        self._data = OOBTree()
        if self.counted:
            self._count = Length()

    def __getitem__(self, name):
        return self._data[name]

    def get(self, name, default=None):
        return self._data.get(name, default)

    def __contains__(self, name):
        return name in self._data

    def __len__(self):
        return self._count() if self._count is not None else len(self._data)

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(self._data.keys())

    def keys(self, min=None, max=None):
        return self._data.keys(min, max)

    def values(self, min=None, max=None):
        return self._data.values(min, max)

    def items(self, min=None, max=None):
        return self._data.items(min, max)

    def add(self, name, obj):
        check_name(name)
        if name in self._data:
            raise KeyError(f"{name!r} already exists")
        obj.__name__ = name
        obj.__parent__ = self
        self._data[name] = obj
        if self._count is not None:
            self._count.change(1)
        return obj

    def remove(self, name):
        obj = self._data.pop(name)
        if self._count is not None:
            self._count.change(-1)
        return obj
