"""Counters kept at transition time, read by the dashboard and reports.

``site.report_tallies`` maps a bucket key (see ``facts.contributions``)
to a ``Tally``: a dict of counters that resolves write conflicts by
adding both sides' changes, so parallel transitions touching the same
bucket (same month, service, agency, kecamatan, channel) both commit.
``site.report_facts`` keeps each dossier's last fact (registration
number -> dict): what to take away on its next transition, and what the
drill-down lists filter on without waking dossiers. ``site.report_index``
lists the numbers per month submitted (``("sub", month)``), per month
finished (``("fin", month)``) and still open (``("open", "")``), so a
drill-down reads the facts of its period only.
"""
import json

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.events import subscriber
from pyramid.traversal import find_root

from silat.interfaces import IComplaint, IDossier, IWorkflowEvent
from silat.resources import marks
from silat.reports.facts import STAGES, complaint_fact, contributions, fact_of


class Tally(Persistent):
    """Named counters; concurrent changes are merged by addition."""

    def __init__(self):
        self.counts = {}

    def add(self, changes):
        """Add ``{name: amount}`` to the counters (a counter at 0 is dropped)."""
        counts = self.counts
        for name, amount in changes.items():
            value = counts.get(name, 0) + amount
            if value:
                counts[name] = value
            else:
                counts.pop(name, None)
        self._p_changed = True

    def _p_resolveConflict(self, old, committed, new):
        base = old.get("counts", {}) if old else {}
        mine, theirs = new.get("counts", {}), committed.get("counts", {})
        merged = dict(theirs)
        for name in set(mine) | set(base):
            delta = mine.get(name, 0) - base.get(name, 0)
            if delta:
                value = merged.get(name, 0) + delta
                if value:
                    merged[name] = value
                else:
                    merged.pop(name, None)
        return {**committed, "counts": merged}


def tallies(site):
    found = getattr(site, "report_tallies", None)
    if found is None:
        found = site.report_tallies = OOBTree()
    return found


def freeze(fact):
    """A fact as stored: JSON text, so that BTrees can merge parallel
    changes of different dossiers in one bucket (its conflict resolution
    compares values, which dicts cannot do)."""
    return json.dumps(fact, sort_keys=True, separators=(",", ":"))


def thaw(stored):
    """The fact back from what ``freeze`` stored (older sites stored dicts)."""
    if stored is None or isinstance(stored, dict):
        return stored
    return json.loads(stored)


def facts(site):
    found = getattr(site, "report_facts", None)
    if found is None:
        found = site.report_facts = OOBTree()
    return found


def read_only(site, name):
    """The stored tree ``name``, or an empty one (reading never writes)."""
    found = getattr(site, name, None)
    return found if found is not None else OOBTree()


# Each contribution is counted in several *views*: the full key and
# roll-ups that keep fewer dimensions, so a dashboard without filters (or
# with one) reads a few hundred buckets, not every combination. A view's
# stored key is (kind, view, month, *its dimensions). Listed cheapest
# first: ``figures`` uses the first view that holds what it needs.
DIMENSIONS = ("service", "agency", "kecamatan", "channel")
VIEWS = (("k", (2,)), ("s", (0,)), ("as", (1, 0)), ("ak", (1, 2)), ("*", (0, 1, 2, 3)))
# Events ("e") are read in every view. The other kinds (gauges, due dates,
# review queue, recommendations) are always read per agency (``figures``
# groups them by agency), so they keep only the views holding the agency:
# a submission writes 11 counter objects, not 15 (evolve step 90 removed
# the views nobody read).
AGENCY = DIMENSIONS.index("agency")
AGENCY_VIEWS = tuple(view for view in VIEWS if AGENCY in view[1])


def views_of(kind):
    """The views kept for counters of ``kind``."""
    return VIEWS if kind == "e" else AGENCY_VIEWS


def view_keys(key):
    kind, month, *dims = key
    if kind == "c":
        return [key]
    return [(kind, name, month) + tuple(dims[i] for i in index) for name, index in views_of(kind)]


def drop_unread_views(site):
    """Remove the counters of views ``views_of`` no longer keeps (evolve
    step 90); returns how many were removed."""
    store = tallies(site)
    unread = [key for key in store.keys()
              if key[0] != "c" and key[1] not in {name for name, _index in views_of(key[0])}]
    for key in unread:
        del store[key]
    return len(unread)


def apply(site, changes, sign=1):
    """Add ``sign`` times each (key, counter, amount) to every view of its key."""
    merged = {}
    for key, name, amount in changes:
        for stored in view_keys(key):
            per_key = merged.setdefault(stored, {})
            per_key[name] = per_key.get(name, 0) + sign * amount
    store = tallies(site)
    for key, amounts in merged.items():
        amounts = {name: amount for name, amount in amounts.items() if amount}
        if not amounts:
            continue
        tally = store.get(key)
        if tally is None:
            tally = store[key] = Tally()
        tally.add(amounts)


def index_keys(fact):
    if fact is None or fact.get("kind"):
        return set()
    keys = {("sub", fact["sub"][:7])} if fact["sub"] else set()
    if fact["fin"]:
        keys.add(("fin", fact["fin"][:7]))
    if fact["state"] in STAGES:
        keys.add(("open", ""))
    return keys


def record(site, key, fact):
    """Make the tallies count ``fact`` for ``key`` (replacing its last fact)."""
    known = facts(site)
    old = thaw(known.get(key))
    if old == fact:
        return
    apply(site, contributions(old), -1)
    apply(site, contributions(fact), 1)
    known[key] = freeze(fact)
    index = getattr(site, "report_index", None)
    if index is None:
        index = site.report_index = OOBTree()
    before, after = index_keys(old), index_keys(fact)
    # one tree of (part, month, number) -> open mark (silat.resources.marks)
    for name in before - after:
        marks.mark_closed(index, (*name, key))
    for name in after - before:
        marks.mark_open(index, (*name, key))


def index_members(site, first, last):
    """Numbers indexed under names from ``first`` to ``last`` (inclusive)."""
    index = getattr(site, "report_index", None)
    if index is None:
        return []
    return [entry[-1] for entry, member in index.items((*first, ""), (*last, "\uffff"))
            if member != marks.CLOSED]


def fact_key(obj):
    if IDossier.providedBy(obj):
        return obj.registration_number
    return "pengaduan/" + obj.__name__


def fact_for(obj):
    return fact_of(obj) if IDossier.providedBy(obj) else complaint_fact(obj)


def counted(obj):
    return IDossier.providedBy(obj) or (IComplaint.providedBy(obj) and
                                        getattr(obj, "workflow_name", "") == "complaint")


@subscriber(IWorkflowEvent)
def after_transition(event):
    """Count the content's new fact (registered after the workflow's own
    subscriber, so the SLA clock has already moved)."""
    obj = event.object
    if counted(obj):
        record(find_root(obj), fact_key(obj), fact_for(obj))


def rebuild(site):
    """Count every dossier and complaint from scratch (evolve step 40)."""
    site.report_tallies = OOBTree()
    site.report_facts = OOBTree()
    site.report_index = OOBTree()
    for dossier in site["berkas"].values():
        if dossier.state is not None:
            record(site, fact_key(dossier), fact_for(dossier))
    for complaint in site["pengaduan"].values():
        if counted(complaint) and complaint.state is not None:
            record(site, fact_key(complaint), fact_for(complaint))
