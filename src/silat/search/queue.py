"""The durable index queue: written in the same ZODB transaction as the
change, processed only after that transaction commits.

``enqueue(obj)`` records "re-index this root" in ``site.search_queue`` (a
BTree keyed by root uid) inside the caller's transaction, and makes sure
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
import logging
import uuid
import weakref

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_root, resource_path

from silat.search.adapters import find_root_of, is_root, root_uid

log = logging.getLogger(__name__)

_SERVICES = weakref.WeakKeyDictionary()     # ZODB DB -> IndexService
_HOOKED = "silat.search.hooked"


class IndexQueue(Persistent):
    def __init__(self):
        self.entries = OOBTree()     # root uid -> (path, token)

    def __len__(self):
        return len(self.entries)


def get_queue(site, create=True):
    queue = getattr(site, "search_queue", None)
    if queue is None and create:
        queue = site.search_queue = IndexQueue()
    return queue


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
    get_queue(site).entries[uid] = (path, uuid.uuid4().hex)
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
            if isinstance(obj, IndexQueue):
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
