"""``silat indexer``: the one process that drains the durable search queue.

With ``silat.search.indexer = external`` the app processes only enqueue
(the queue lives in ZODB, so nothing is lost while the indexer is down);
this process polls the queue and indexes in batches. Index writes hold an
``fcntl`` lock on the index directory, so a second indexer only waits.
"""
import logging
import signal
import sys
import threading

log = logging.getLogger("silat.indexer")


def run(env, args):
    service = env.registry.silat_index
    if service is None:
        print("silat: no index directory: set silat.index_dir or silat.var_dir", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    poll = args.poll or float(env.settings.get("silat.search.indexer_poll", 1.0))
    log.info("indexer: draining the search queue every %ss", poll)
    while not stop.is_set():
        try:
            done = service.process_queue()
            if done:
                log.info("indexer: %s queued items indexed", done)
        except Exception:             # noqa: BLE001 - the queue keeps the work; try again
            log.exception("indexer: indexing failed; the queue keeps the work")
        if args.once:
            break
        stop.wait(poll)
    log.info("indexer stopped")
    return 0


def register(sub):
    p = sub.add_parser("indexer", help="drain the search queue (silat.search.indexer = external)")
    p.add_argument("--poll", type=float, default=None, help="seconds between polls (default 1)")
    p.add_argument("--once", action="store_true", help="drain once and exit")
    p.set_defaults(run=run)
