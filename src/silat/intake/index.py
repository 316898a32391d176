"""The intake worklist index: registration numbers by owner, by filing
day and by workflow state, so worklists never scan ``/berkas``.

Kept in ``/berkas``'s ``intake_index`` attribute; every part is a BTree
or tree set, whose concurrent inserts of different keys resolve instead
of conflicting. The state part follows every workflow transition through
a subscriber; it holds open marks (``silat.resources.marks``), so that a
dossier leaving a state never deletes from a shared bucket.
"""
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent
from pyramid.events import subscriber
from pyramid.traversal import find_root

from silat.resources import marks
from silat.resources.folder import attached
from silat.interfaces import IDossier, IWorkflowEvent


# States that a worklist lists. Drafts are not indexed by state: they come
# and go quickly and would only lengthen the list the sweep job cleans.
WORKLIST_STATES = ("submitted", "returned", "verified")


class IntakeIndex(Persistent):
    def __init__(self):
        self.by_owner = OOBTree()     # username -> OOTreeSet of numbers
        self.by_day = OOBTree()       # ISO date filed -> OOTreeSet of numbers
        self.by_state = OOBTree()     # worklist state -> number -> open mark
        for state in WORKLIST_STATES:
            self.by_state[state] = OOBTree()

    @staticmethod
    def _add(tree, key, number):
        bucket = tree.get(key)
        if bucket is None:
            bucket = tree[key] = OOTreeSet()
        bucket.add(number)

    def _state(self, state):
        found = self.by_state.get(state)
        if found is None:
            found = self.by_state[state] = OOBTree()
        return found

    def add_owner(self, username, number):
        self._add(self.by_owner, username, number)

    def add(self, dossier, day):
        number = dossier.registration_number
        self._add(self.by_day, day.isoformat(), number)
        if dossier.state in WORKLIST_STATES:
            marks.mark_open(self._state(dossier.state), number)

    def move(self, number, old_state, new_state):
        if old_state in WORKLIST_STATES:
            marks.mark_closed(self._state(old_state), number)
        if new_state in WORKLIST_STATES:
            marks.mark_open(self._state(new_state), number)

    def numbers(self, tree, key):
        return list(tree.get(key, ()))

    def in_state(self, state):
        """Registration numbers now in worklist ``state``, in number order."""
        found = self.by_state.get(state)
        return marks.open_keys(found) if found is not None else []

    def migrate_states(self):
        """Evolve step 70: tree sets of numbers become open marks."""
        for state in WORKLIST_STATES:
            found = self.by_state.get(state)
            if found is None or isinstance(found, OOTreeSet):
                self.by_state[state] = marks.from_keys(found or ())


def intake_index(site):
    return attached(site["berkas"], "intake_index", IntakeIndex)


def dossiers(site, numbers):
    folder = site["berkas"]
    return [folder[n] for n in numbers if n in folder]


@subscriber(IWorkflowEvent)
def follow_state(event):
    dossier = event.object
    if IDossier.providedBy(dossier) and dossier.__parent__ is not None:
        intake_index(find_root(dossier)).move(dossier.registration_number,
                                              event.old_state, event.new_state)
