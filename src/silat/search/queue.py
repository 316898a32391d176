"""The durable index queue: written in the same ZODB transaction as the
change, processed only after that transaction commits.

``enqueue(obj)`` records "re-index this root" in ``site.search_queue`` (a
``ShardedQueue``: 64 persistent shards keyed by root uid, whose
conflicts merge) inside the caller's transaction, and makes sure
the transaction, *after it commits*, asks the index service to process
the queue. So:

- a failed or aborted commit leaves no queue entry and the index is not
  touched (the index is never ahead of the database);
- a crash after the commit but before indexing leaves the entry in
  ZODB, where the next commit, ``silat index catch-up`` or the next start
  of the application (catch-up on start) processes it.

Entries carry a random token; the processor deletes an entry only if it
still holds the token it read, so a change committed while indexing is
never lost (the delete conflicts and is retried on a fresh snapshot).

Changes made by other packages are found without their help: on every
request a before-commit hook looks at the objects the transaction
modified (and new objects in modified BTree buckets) and enqueues the
root above each. Workflow transitions are enqueued by an
``IWorkflowEvent`` subscriber (their ACL changes with the state).
"""
import itertools
import logging
import uuid
import weakref
import zlib

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_root, resource_path

from silat.search.adapters import find_root_of, is_root, root_uid

log = logging.getLogger(__name__)

_SERVICES = weakref.WeakKeyDictionary()     # ZODB DB -> IndexService
_HOOKED = "silat.search.hooked"


SHARDS = 64


class QueueShard(Persistent):
    """One slice of the queue: ``items`` maps root uid -> (path, token).

    Concurrent transactions touching the same shard are merged by
    ``_p_resolveConflict`` instead of failing: every change is "queue
    this root" or "this entry, with this token, was indexed", and both
    merge safely (a newer token always wins over a removal)."""

    def __init__(self):
        self.items = {}

    def _p_resolveConflict(self, old, committed, new):
        old_items = (old or {}).get("items", {})
        committed_items = dict((committed or {}).get("items", {}))
        new_items = (new or {}).get("items", {})
        merged = committed_items
        for uid in set(old_items) | set(new_items):
            if uid in new_items:
                if old_items.get(uid) != new_items[uid]:
                    merged[uid] = new_items[uid]          # queued (again) by ``new``
            elif committed_items.get(uid) == old_items.get(uid):
                merged.pop(uid, None)                      # indexed by ``new``, untouched since
        state = dict(committed or {})
        state["items"] = merged
        return state


class ShardedQueue(Persistent):
    """The durable index queue, split over ``SHARDS`` persistent shards
    (by a hash of the root uid) so that parallel commits rarely write the
    same object, and merge when they do."""

    def __init__(self, shards=SHARDS):
        self.shards = tuple(QueueShard() for _ in range(shards))

    def _shard(self, uid):
        return self.shards[zlib.crc32(uid.encode("utf-8")) % len(self.shards)]

    def put(self, uid, path):
        shard = self._shard(uid)
        shard.items[uid] = (path, uuid.uuid4().hex)
        shard._p_changed = True

    def get(self, uid, default=None):
        return self._shard(uid).items.get(uid, default)

    def __contains__(self, uid):
        return uid in self._shard(uid).items

    def __len__(self):
        return sum(len(shard.items) for shard in self.shards)

    def take(self, limit):
        """Up to ``limit`` queued ``(uid, (path, token))`` pairs."""
        found = []
        for shard in self.shards:
            found += list(shard.items.items())[:limit - len(found)]
            if len(found) >= limit:
                break
        return found

    def discard(self, uid, token):
        """Remove ``uid`` if it still holds ``token`` (it was indexed)."""
        shard = self._shard(uid)
        current = shard.items.get(uid)
        if current is not None and current[1] == token:
            del shard.items[uid]
            shard._p_changed = True

    @property
    def entries(self):
        return self


class IndexQueue(Persistent):
    """The first queue (one OOBTree); evolve step 6 replaces it by a
    ``ShardedQueue``. Same methods, so a site not yet evolved works."""

    def __init__(self):
        self.entries = OOBTree()     # root uid -> (path, token)

    def __len__(self):
        return len(self.entries)

    def __contains__(self, uid):
        return uid in self.entries

    def put(self, uid, path):
        self.entries[uid] = (path, uuid.uuid4().hex)

    def get(self, uid, default=None):
        return self.entries.get(uid, default)

    def take(self, limit):
        return list(itertools.islice(self.entries.items(), limit))

    def discard(self, uid, token):
        current = self.entries.get(uid)
        if current is not None and current[1] == token:
            del self.entries[uid]


def get_queue(site, create=True):
    queue = getattr(site, "search_queue", None)
    if queue is None and create:
        queue = site.search_queue = ShardedQueue()
    return queue


def shard_queue(site):
    """Evolve step 6: move a first-release queue into a ``ShardedQueue``."""
    queue = getattr(site, "search_queue", None)
    if isinstance(queue, ShardedQueue):
        return
    new = ShardedQueue()
    if queue is not None:
        for uid, (path, _token) in queue.entries.items():
            new.put(uid, path)
    site.search_queue = new


def register_service(db, service):
    _SERVICES[db] = service


def service_for(db):
    return _SERVICES.get(db)


def _jar(obj):
    jar = getattr(obj, "_p_jar", None)
    if jar is None:
        jar = getattr(find_root(obj), "_p_jar", None)
    return jar


def enqueue(obj, uid=None, path=None):
    """Queue the root at or above ``obj`` for re-indexing after commit
    (pass ``uid`` and ``path`` for a root that is being removed)."""
    if uid is None:
        root = find_root_of(obj)
        if root is None:
            return False
        uid, path = root_uid(root), resource_path(root)
        obj = root
    site = find_root(obj)
    jar = _jar(obj)
    get_queue(site).put(uid, path)
    if jar is not None:
        track(jar.transaction_manager.get(), service_for(jar.db()))
    return True


def track(txn, service):
    """After ``txn`` commits, have ``service`` process the queue (once per
    transaction)."""
    if service is None:
        return
    try:
        if txn.data(_HOOKED):
            return
    except KeyError:
        pass
    txn.set_data(_HOOKED, True)
    txn.addAfterCommitHook(_after_commit, args=(service,))


def _after_commit(committed, service):
    if not committed:
        return
    try:
        service.request_processing()
    except Exception:      # the entries stay queued; catch-up indexes them
        log.exception("indexing after commit failed; the queue keeps the work")


# -- finding what a transaction changed -----------------------------------

def _candidates(obj):
    root = find_root_of(obj) if hasattr(obj, "__parent__") else None
    if root is not None:
        yield root
        return
    values = getattr(obj, "values", None)
    if values is None or getattr(obj, "__parent__", None) is not None:
        return
    try:
        if len(obj) > 256:
            return
        items = list(values())
    except Exception:
        return
    for value in items:
        if getattr(value, "_p_oid", 1) is None and hasattr(value, "__parent__"):
            found = find_root_of(value)
            if found is not None:
                yield found


def collect_changes(txn):
    """Before commit: enqueue the roots of every object ``txn`` modified."""
    roots = {}
    for resource in list(getattr(txn, "_resources", ())):
        for obj in list(getattr(resource, "_registered_objects", ()) or ()):
            if isinstance(obj, (IndexQueue, ShardedQueue, QueueShard)):
                continue
            for root in _candidates(obj):
                if is_root(root) and getattr(root, "__parent__", None) is not None:
                    roots[id(root)] = root
    for root in roots.values():
        enqueue(root)


def watch_request(event):
    """NewRequest subscriber: collect the request transaction's changes."""
    request = event.request
    tm = getattr(request, "tm", None)
    if tm is None:
        return
    try:
        txn = tm.get()
    except Exception:      # no transaction begun (static files)
        return
    txn.addBeforeCommitHook(collect_changes, args=(txn,))


def on_workflow_event(event):
    """Every transition changes who may view the object: re-index it."""
    enqueue(event.object)
