"""Search: a Whoosh index derived from ZODB (see docs/search.md).

``reindex(obj)`` queues the root at or above ``obj`` for indexing after
the current transaction commits; most changes are found without it.
"""
import logging
import os

from pyramid.events import ApplicationCreated, NewRequest

from silat.interfaces import IWorkflowEvent
from silat.search.queue import enqueue, on_workflow_event, register_service, watch_request

log = logging.getLogger(__name__)


def reindex(obj, uid=None, path=None):
    """Queue ``obj``'s root for (re)indexing after commit."""
    return enqueue(obj, uid=uid, path=path)


def index_dir(settings):
    configured = settings.get("silat.index_dir")
    if configured:
        return configured
    var = settings.get("silat.var_dir")
    return os.path.join(var, "index") if var else None


def get_index(registry):
    """The IndexService of the application (None when no index dir is set)."""
    return getattr(registry, "silat_index", None)


def request_index(request):
    return get_index(request.registry)


def _catch_up(event):
    registry = event.app.registry
    service = get_index(registry)
    if service is None or service.db is None:
        return
    from silat.resources.site import ZODB_ROOT_KEY
    with service.db.transaction() as conn:
        if ZODB_ROOT_KEY not in conn.root():
            return
    if registry.settings.get("silat.index_catch_up", "true").lower() in ("false", "0", "no") \
            or indexer_mode(registry.settings) == "external":
        return
    try:
        done = service.process_queue()
        if done:
            log.info("index catch-up: %s queued items indexed", done)
    except Exception:
        log.exception("index catch-up on start failed; run 'silat index catch-up'")


def _warm(event):
    """Read the search arrays ahead (``silat.search.warm_docs``: from how
    many documents in the index; 0 never)."""
    service = get_index(event.app.registry)
    if service is not None:
        service.warm(warm_docs(event.app.registry.settings))


def warm_docs(settings):
    value = str(settings.get("silat.search.warm_docs", 10_000)).strip()
    if not value.isdigit():
        raise ValueError(f"silat.search.warm_docs must be a whole number of documents (0: never), "
                         f"not {value!r}")
    return int(value)


def indexer_mode(settings):
    mode = settings.get("silat.search.indexer")
    if mode is None:
        background = settings.get("silat.search.background", "true").lower() in ("true", "1", "yes")
        mode = "thread" if background else "inline"
    if mode not in ("inline", "thread", "external"):
        raise ValueError(f"silat.search.indexer must be inline, thread or external, not {mode!r}")
    return mode


def includeme(config):
    from silat.search.indexer import IndexService
    settings = config.get_settings()
    directory = index_dir(settings)
    databases = getattr(config.registry, "_zodb_databases", {}) or {}
    db = databases.get("")
    service = None
    if directory:
        service = IndexService(directory, db,
                               lock_timeout=float(settings.get("silat.index_lock_timeout", 30)))
        # silat.search.indexer: inline | thread | external (a 'silat indexer'
        # process drains the queue; this process only enqueues)
        mode = indexer_mode(settings)
        if db is not None and mode != "external":
            register_service(db, service)
        if mode == "thread":
            service.background_delay = float(settings.get("silat.search.delay", 0.2))
    config.registry.silat_index = service
    config.add_subscriber(watch_request, NewRequest)
    config.add_subscriber(on_workflow_event, IWorkflowEvent)
    config.add_subscriber(_catch_up, ApplicationCreated)
    config.add_subscriber(_warm, ApplicationCreated)
    config.add_request_method(request_index, "search_index", reify=True)
    config.add_api_route("api.search", "/api/v1/search")
    config.add_api_route("api.permits.search", "/api/v1/permits")
    config.add_route("portal.izin", "/portal/izin", factory="silat.resources.site.root_factory")
    config.add_route("portal.izin.feed", "/portal/izin/feed.atom",
                     factory="silat.resources.site.root_factory")
    config.scan("silat.search.views")
    config.scan("silat.search.api")
