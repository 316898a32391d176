"""Registration numbers: ``SILAT-<year>-<six digits>``, unique and
gap-tolerant under concurrent submissions.

A number is taken from a per-year counter in its own short transaction on
a separate connection, committed at once and retried on ConflictError
right here, so two requests filing at the same moment never make each
other's whole request fail. If the request that took a number later
aborts, that number is simply never used (a gap), which a registry of
applications tolerates; it is never handed out twice.
"""
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

from silat.resources.apart import commit_apart
from silat.resources.folder import attached
from silat.resources.site import ZODB_ROOT_KEY

PREFIX = "SILAT"
ATTEMPTS = 50


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


def take(db, year, attempts=ATTEMPTS):
    """Commit the next value of the ``year`` counter; return the number."""
    key = f"registration-{year}"

    def bump(conn):
        table = counters(conn.root()[ZODB_ROOT_KEY])
        counter = table.get(key)
        if counter is None:
            counter = table[key] = Counter()
        counter.value += 1
        return counter.value

    try:
        return format_number(year, commit_apart(db, bump, attempts=attempts))
    except ConflictError:
        raise NumberingError(f"registration counter {key} stayed contended") from None


def next_number(request, year):
    """A fresh registration number for a dossier the request creates."""
    from pyramid_zodbconn import get_connection
    return take(get_connection(request).db(), year)
