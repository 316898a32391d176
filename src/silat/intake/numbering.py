"""Registration numbers: ``SILAT-<year>-<six digits>``, unique and
gap-tolerant under concurrent submissions.

Numbers come from a per-year counter bumped in its own short transaction
on a separate connection, committed at once and retried on ConflictError
right here, so two requests filing at the same moment never make each
other's whole request fail. The number is durable before the dossier
that carries it: it is never handed out twice.

One such commit is a disk sync per application (one in 4.4, measured in
docs/performance.md). So a process reserves ``silat.registration_block``
numbers (default 20) with one commit and hands them out in order from
memory, one sync per 20 applications. The price is in gaps and order, which a registry of
applications tolerates (docs/numbering.md): numbers a process reserved
and did not use when it stops are never used, and with several processes
(ZEO) numbers follow the filing order only within each process's block.
If the request that took a number aborts, that number is a gap too.
"""
import collections
import threading
import weakref

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

from silat.resources.apart import commit_apart
from silat.resources.folder import attached
from silat.resources.site import ZODB_ROOT_KEY

PREFIX = "SILAT"
ATTEMPTS = 50
BLOCK_SETTING = "silat.registration_block"
DEFAULT_BLOCK = 20

_reserved = weakref.WeakKeyDictionary()     # database -> {year: deque of reserved values}
_reserving = threading.Lock()


class Counter(Persistent):
    """A plain counter: concurrent bumps conflict and are retried."""

    def __init__(self):
        self.value = 0


class NumberingError(RuntimeError):
    """No number could be taken (the counter stayed contended)."""


def counters(site):
    """The counters under ``/berkas`` (created on first use)."""
    return attached(site["berkas"], "counters", OOBTree)


def format_number(year, value):
    return f"{PREFIX}-{year}-{value:06d}"


def _reserve(db, year, count, attempts):
    """Commit the ``year`` counter ``count`` higher; the values so taken."""
    key = f"registration-{year}"

    def bump(conn):
        table = counters(conn.root()[ZODB_ROOT_KEY])
        counter = table.get(key)
        if counter is None:
            counter = table[key] = Counter()
        counter.value += count
        return counter.value

    try:
        last = commit_apart(db, bump, attempts=attempts)
    except ConflictError:
        raise NumberingError(f"registration counter {key} stayed contended") from None
    return range(last - count + 1, last + 1)


def take(db, year, attempts=ATTEMPTS, block=1):
    """The next registration number of ``year``: committed on its own
    (``block`` 1) or the next of the ``block`` numbers this process
    reserved for ``db`` with one commit."""
    if block <= 1:
        return format_number(year, _reserve(db, year, 1, attempts)[0])
    with _reserving:
        years = _reserved.setdefault(db, {})
        values = years.get(year)
        if not values:
            values = years[year] = collections.deque(_reserve(db, year, block, attempts))
        return format_number(year, values.popleft())


def block_size(settings):
    """``silat.registration_block``: numbers reserved per commit (1: one
    commit per number, as before 2026-12)."""
    value = str(settings.get(BLOCK_SETTING) or DEFAULT_BLOCK).strip()
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{BLOCK_SETTING} must be a whole number of at least 1, not {value!r}")
    return int(value)


def next_number(request, year):
    """A fresh registration number for a dossier the request creates."""
    from pyramid_zodbconn import get_connection
    return take(get_connection(request).db(), year, block=block_size(request.registry.settings))
