"""The index service: opens the Whoosh indexes, writes them under one
lock, processes the queue, and rebuilds, verifies and repairs them from
ZODB (the source of truth).

Two indexes per *generation* (a directory ``<index_dir>/gen-...``):
``main`` (officer search: dossiers, permits, recommendations, complaints,
permission-filtered) and ``public`` (the public register: issued
permits' public fields only, its own schema). ``<index_dir>/CURRENT``
names the generation in use. A rebuild writes a NEW generation and then
replaces ``CURRENT`` atomically (``os.replace``), so search never sees a
partial index. A lost or unreadable generation raises
``IndexUnavailable`` (pages and API answer 503) and starts a rebuild in
a background thread when this process has the database.

One writer at a time, across processes: every write holds an ``fcntl``
lock on ``<index_dir>/.silat-writer.lock`` (released by the kernel if the
process dies) and, inside it, Whoosh's own WRITELOCK.

Searchers are per thread (``threading.local``): a Whoosh searcher reads
its files through shared handles and is not safe to share between
threads.
"""
import contextlib
import fcntl
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field

import transaction
from pyramid.traversal import find_resource
from ZODB.POSException import ConflictError
from whoosh import index as windex

from silat.resources.site import ZODB_ROOT_KEY
from silat.search.adapters import (documents, expected_uids, is_root, iter_roots, public_documents,
                                   public_root, root_uid, stamp)
from silat.search import whoosh_patches
from silat.search.bulk import SegmentBuilder, merge_small
from silat.search.columns import DocColumns
from silat.search.queue import get_queue
from silat.search.schema import FACETS, PUBLIC_FILTERS, make_public_schema, make_schema

log = logging.getLogger(__name__)
whoosh_patches.apply()
INDEX_NAME = "silat"
POINTER = "CURRENT"
KEEP_OLD = 1          # generations kept besides the current one (threads may still read them)
# The background worker gathers commits for ``background_delay`` seconds;
# when its last drain found at least BUSY_ROOTS roots (a busy office), for
# BUSY_DELAY seconds, as the external indexer polls: a Whoosh commit has a
# fixed cost, so batches of a hundred cost a fifth per root of batches of 14.
BUSY_ROOTS = 10
BUSY_DELAY = 1.0


class IndexLockTimeout(RuntimeError):
    """Another process held the index writer lock for too long."""


class IndexUnavailable(RuntimeError):
    """The index is missing or unreadable; a rebuild is (being) started."""


def _clean(doc):
    return {k: v for k, v in doc.items() if v is not None}


@dataclass
class VerifyReport:
    missing: list = field(default_factory=list)     # uids in ZODB, not in the index
    extra: list = field(default_factory=list)       # uids in the index, not in ZODB
    stale: list = field(default_factory=list)       # root uids whose index copy is older
    checked: int = 0
    queued: int = 0

    @property
    def ok(self):
        return not (self.missing or self.extra or self.stale)


class IndexService:
    def __init__(self, index_dir, db=None, lock_timeout=30.0, batch=500):
        self.index_dir = index_dir
        self.db = db
        self.lock_timeout = lock_timeout
        self.batch = batch
        self._ixs = {}                      # generation name -> (main, public) Whoosh indexes
        self._local = threading.local()     # per-thread searchers
        self._mutex = threading.RLock()
        self._write_mutex = threading.RLock()
        self._write_depth = 0
        self.generation = 0          # bumped whenever this process opens a new searcher
        # None: index inline in the committing thread; else seconds a daemon
        # worker waits to gather commits into one Whoosh commit
        self.background_delay = None
        self._last_drain = 0                # roots the worker's last drain indexed
        self._wake = None
        self._idle = threading.Event()
        self._idle.set()
        self._state = threading.Lock()
        self._rebuilding = None             # the background rebuild thread
        self.rebuild_gate = None            # an Event the background rebuild waits for (tests, ops)
        self._retry = None                  # a pending retry of the queue (Timer)
        self._closed = False                # closed: no more retries (the database goes next)
        self.doc_columns = DocColumns("date", FACETS + ("kind", "klasifikasi"))   # the main index
        self.public_columns = DocColumns("issued_at", PUBLIC_FILTERS)    # the public register
        self.rebuild_error = None

    # -- after commit: inline, or batched by a background worker -----------
    def request_processing(self):
        """Called after a commit that queued work. In background mode
        requests do not wait for the index; the queue in ZODB stays the
        record of what is due."""
        if self.background_delay is None:
            self.process_queue(wait=False)
            return
        with self._state:
            if self._wake is None:
                self._wake = threading.Event()
                threading.Thread(target=self._work, name="silat-indexer", daemon=True).start()
            self._idle.clear()
            self._wake.set()

    def wait_idle(self, timeout=30.0):
        """Block until the background worker has indexed what was asked."""
        return self._idle.wait(timeout)

    def _work(self):
        while True:
            self._wake.wait()
            delay = self.background_delay or 0
            time.sleep(max(delay, BUSY_DELAY) if self._last_drain >= BUSY_ROOTS else delay)
            self._wake.clear()
            try:
                # one batch: what came meanwhile waits for the next delay, so a
                # busy office's commits are gathered, not indexed a few at a time
                self._last_drain = self.process_queue(wait=False, limit=1)
                if self._last_drain >= self.batch:
                    self._wake.set()        # a backlog: the next batch after the delay
            except Exception:      # the entries stay queued; the next wake or catch-up retries
                log.exception("background indexing failed; the queue keeps the work")
            with self._state:
                if not self._wake.is_set():
                    self._idle.set()

    # -- generations --------------------------------------------------------
    def _pointer(self):
        return os.path.join(self.index_dir, POINTER)

    def current(self):
        """The name of the generation in use, or None."""
        try:
            with open(self._pointer(), encoding="ascii") as handle:
                return handle.read().strip() or None
        except FileNotFoundError:
            return None

    def _swap(self, name):
        """Point ``CURRENT`` at generation ``name`` (atomic rename)."""
        tmp = self._pointer() + f".{uuid.uuid4().hex}.tmp"
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self._pointer())

    def _new_generation(self):
        """Create empty main and public indexes in a new directory; return its name."""
        name = time.strftime("gen-%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:8]
        base = os.path.join(self.index_dir, name)
        for sub, schema in (("main", make_schema()), ("public", make_public_schema())):
            os.makedirs(os.path.join(base, sub))
            windex.create_in(os.path.join(base, sub), schema, INDEX_NAME)
        return name

    def _drop_old_generations(self):
        keep = self.current()
        names = sorted(n for n in os.listdir(self.index_dir)
                       if n.startswith("gen-") and n != keep)
        for name in names[:-KEEP_OLD] if KEEP_OLD else names:
            shutil.rmtree(os.path.join(self.index_dir, name), ignore_errors=True)
            self._ixs.pop(name, None)

    def _has_roots(self):
        if self.db is None:
            return False
        return self.count_roots() > 0

    def indexes(self):
        """``(generation, main, public)``; raises ``IndexUnavailable``."""
        for _attempt in range(5):
            name = self.current()
            if name is None:
                os.makedirs(self.index_dir, exist_ok=True)
                if self._has_roots():        # content exists: an empty index would be partial
                    self.start_rebuild()
                    raise IndexUnavailable("no index generation")
                with self.writer_lock():
                    name = self.current()
                    if name is None:
                        name = self._new_generation()
                        self._swap(name)
            with self._mutex:
                found = self._ixs.get(name)
                if found is not None:
                    return (name,) + found
                base = os.path.join(self.index_dir, name)
                try:
                    found = (windex.open_dir(os.path.join(base, "main"), indexname=INDEX_NAME),
                             windex.open_dir(os.path.join(base, "public"), indexname=INDEX_NAME))
                except Exception as exc:
                    if self.current() != name:     # swapped (and the old one dropped) meanwhile
                        continue
                    self.start_rebuild()
                    raise IndexUnavailable(f"generation {name} unreadable: {exc}") from exc
                self._ixs[name] = found
                return (name,) + found
        raise IndexUnavailable("the index generation kept changing")

    def index(self):
        """The main (officer) Whoosh index of the current generation."""
        return self.indexes()[1]

    def public_index(self):
        return self.indexes()[2]

    def _thread_searcher(self, which):
        """This thread's searcher of index ``which`` (1 main, 2 public),
        reopened when the generation or the index changed."""
        cache = getattr(self._local, "searchers", None)
        if cache is None:
            cache = self._local.searchers = {}
        for _attempt in range(5):
            name = None
            try:
                name, *ixs = self.indexes()
                held = cache.get(which)
                if held is not None and held[0] == name and held[1].up_to_date():
                    return held[1]
                if held is not None:
                    cache.pop(which)
                    held[1].close()
                searcher = ixs[which - 1].searcher()
                break
            except IndexUnavailable:
                raise
            except Exception as exc:          # files removed or damaged under us
                cache.pop(which, None)
                if self.current() != name:    # a newer generation was swapped in: use it
                    continue
                self.start_rebuild()
                raise IndexUnavailable(str(exc)) from exc
        else:
            raise IndexUnavailable("the index generation kept changing")
        cache[which] = (name, searcher)
        self.generation += 1
        return searcher

    def searcher(self):
        """This thread's searcher of the main (officer) index."""
        return self._thread_searcher(1)

    def public_searcher(self):
        """This thread's searcher of the public register."""
        return self._thread_searcher(2)

    def warm(self, minimum=10_000):
        """Read the search arrays (``search.columns``) of both indexes in a
        background thread, so the first searches after a start do not wait
        for them (about 10 s at 500,000 dossiers); only for indexes of at
        least ``minimum`` documents. Returns the thread, or None."""
        try:
            if not minimum or self.index().doc_count() < minimum:
                return None
        except Exception:          # no usable index: the first search says so (503)
            return None

        def read():
            try:
                self.public_columns.generation(self.public_searcher())   # the portal's first
                self.doc_columns.generation(self.searcher())
            except Exception:
                log.info("search arrays not read ahead; the first search reads them", exc_info=True)
        thread = threading.Thread(target=read, name="silat-search-warm", daemon=True)
        thread.start()
        return thread

    def close(self):
        with self._state:                   # a pending retry must not outlive the database
            self._closed = True             # nor one scheduled by a worker still running
            if self._retry is not None:
                self._retry.cancel()
                self._retry = None
        cache = getattr(self._local, "searchers", None) or {}
        for _name, searcher in cache.values():
            searcher.close()
        cache.clear()
        with self._mutex:
            self._ixs = {}

    @contextlib.contextmanager
    def writer_lock(self, timeout=None):
        """Hold the index for writing: in this process (a re-entrant lock)
        and across processes (``fcntl.flock``)."""
        timeout = self.lock_timeout if timeout is None else timeout
        if not self._write_mutex.acquire(timeout=max(timeout, 0.001)):
            raise IndexLockTimeout("in-process writer")
        try:
            self._write_depth += 1
            if self._write_depth > 1:
                yield
                return
            os.makedirs(self.index_dir, exist_ok=True)
            path = os.path.join(self.index_dir, ".silat-writer.lock")
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise IndexLockTimeout(path)
                        time.sleep(0.05)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            self._write_depth -= 1
            self._write_mutex.release()

    def apply(self, changes, deleted=(), generation=None):
        """Write ``changes`` (root uid -> list of documents, [] to remove)
        to the main index and the public register, and delete the single
        documents ``deleted``; the caller holds the writer lock."""
        _name, main, public = generation or self.indexes()
        writer = main.writer(timeout=self.lock_timeout, delay=0.05, limitmb=64)
        pwriter = public.writer(timeout=self.lock_timeout, delay=0.05, limitmb=16)
        try:
            for uid, docs in changes.items():
                writer.delete_by_term("root", uid)
                writer.delete_by_term("uid", uid)
                pwriter.delete_by_term("root", public_root(uid))
                for doc in docs:
                    writer.delete_by_term("uid", doc["uid"])
                    writer.add_document(**_clean(doc))
                for doc in public_documents(docs):
                    pwriter.add_document(**_clean(doc))
            for uid in deleted:
                writer.delete_by_term("uid", uid)
                pwriter.delete_by_term("uid", uid)
        except BaseException:
            writer.cancel()
            pwriter.cancel()
            raise
        pwriter.commit(mergetype=merge_small)
        writer.commit(mergetype=merge_small)

    # -- the queue --------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self, db=None, begin=True):
        """A connection of its own; with ``begin`` a transaction is begun,
        so what it reads is the latest committed state (a pooled connection
        that is only opened may still show the snapshot it was closed with)."""
        tm = transaction.TransactionManager(explicit=True)
        conn = (db or self.db).open(transaction_manager=tm)
        try:
            if begin:
                tm.begin()
            yield conn, tm
        finally:
            try:
                tm.abort()
            except Exception:
                pass
            conn.close()

    def process_queue(self, db=None, limit=None, progress=None, wait=True):
        """Index everything queued; return how many roots were indexed.

        ``wait=False`` (after a commit): when another writer (a rebuild)
        holds the index, or the index is unavailable, leave the work in the
        durable queue; the rebuild processes the queue before it ends."""
        try:
            lock = self.writer_lock(timeout=None if wait else 0.5)
            lock.__enter__()
        except IndexLockTimeout:
            if wait:
                raise
            log.info("index busy (rebuild?); queued work stays queued, retried shortly")
            self._retry_later()
            return 0
        try:
            generation = self.indexes()
        except IndexUnavailable:
            lock.__exit__(None, None, None)
            if wait:
                raise
            return 0
        try:
            return self._process(generation, db, limit, progress)
        finally:
            lock.__exit__(None, None, None)

    def _retry_later(self, delay=2.0):
        """Try the queue again soon (once pending at a time): the writer
        that held the lock may have read the queue before our commit."""
        with self._state:
            if self._retry is not None or self._closed:
                return
            self._retry = threading.Timer(delay, self._retry_now)
            self._retry.daemon = True
            self._retry.start()

    def _retry_now(self):
        with self._state:
            self._retry = None
            if self._closed:
                return
        try:
            self.process_queue(wait=False)
        except Exception:
            log.exception("retried indexing failed; the queue keeps the work")

    def _process(self, generation, db, limit, progress):
        done = 0
        with self._connection(db, begin=False) as (conn, tm):
            while True:
                for _attempt in range(10):
                    tm.begin()
                    site = conn.root().get(ZODB_ROOT_KEY)
                    queue = get_queue(site, create=False) if site is not None else None
                    if queue is None or not len(queue):
                        tm.abort()
                        return done
                    taken = queue.take(self.batch)
                    changes = {}
                    for uid, (path, _token) in taken:
                        changes[uid] = self._documents_at(site, uid, path)
                    self.apply(changes, generation=generation)
                    for uid, (_path, token) in taken:
                        queue.discard(uid, token)
                    try:
                        tm.commit()
                        break
                    except ConflictError:
                        tm.abort()
                        log.info("index queue changed while indexing; retrying")
                else:
                    raise ConflictError("index queue stayed contended")
                done += len(taken)
                if progress:
                    progress(done)
                if limit and done >= limit:
                    return done

    @staticmethod
    def _documents_at(site, uid, path):
        try:
            obj = find_resource(site, path)
        except KeyError:
            return []
        if not is_root(obj) or root_uid(obj) != uid:
            return []
        return documents(obj)

    def queued(self, db=None):
        with self._connection(db) as (conn, tm):
            site = conn.root().get(ZODB_ROOT_KEY)
            queue = get_queue(site, create=False) if site is not None else None
            return len(queue) if queue is not None else 0

    # -- rebuild, verify, repair ------------------------------------------
    def count_roots(self, db=None):
        with self._connection(db) as (conn, tm):
            site = conn.root().get(ZODB_ROOT_KEY)
            if site is None:
                return 0
            total = len(site["berkas"])
            if "pengaduan" in site:
                total += len(site["pengaduan"])
            return total

    def rebuild(self, db=None, progress=None, batch=5000, procs=None):
        """Index every root from one ZODB snapshot into a NEW generation,
        then swap it in atomically and index what was queued meanwhile.
        Every ``batch`` roots become one segment, written by a worker
        process (``search.bulk``; ``procs``, default one per core) while
        this one reads on. Search keeps reading the old generation until
        the swap; a killed rebuild leaves the old generation in use (its
        unfinished directory is removed by the next rebuild)."""
        done = 0
        with self.writer_lock(), self._connection(db) as (conn, tm):
            os.makedirs(self.index_dir, exist_ok=True)
            name = self._new_generation()
            base = os.path.join(self.index_dir, name)
            builder = SegmentBuilder([os.path.join(base, "main"), os.path.join(base, "public")],
                                     INDEX_NAME, procs)
            site = conn.root()[ZODB_ROOT_KEY]
            batches = ([], [])
            try:
                for root in iter_roots(site):
                    docs = documents(root)
                    batches[0].extend(_clean(doc) for doc in docs)
                    batches[1].extend(_clean(doc) for doc in public_documents(docs))
                    done += 1
                    if done % batch == 0:
                        builder.add(batches)
                        batches = ([], [])
                        conn.cacheGC()
                    if progress:
                        progress(done)
                builder.add(batches, last=True)
                builder.finish()
            except BaseException:
                builder.close()
                raise
            generation = (name, windex.open_dir(os.path.join(base, "main"), indexname=INDEX_NAME),
                          windex.open_dir(os.path.join(base, "public"), indexname=INDEX_NAME))
            with self._mutex:
                self._ixs[name] = generation[1:]
            self._swap(name)
            self._drop_old_generations()
            self._process(generation, db, None, None)   # what was queued during the build
        return done

    def start_rebuild(self):
        """Rebuild in a background thread (once at a time); needs the database."""
        if self.db is None:
            return None
        with self._state:
            if self._rebuilding is not None and self._rebuilding.is_alive():
                return self._rebuilding
            self._rebuilding = threading.Thread(target=self._background_rebuild,
                                                name="silat-index-rebuild", daemon=True)
            self._rebuilding.start()
            return self._rebuilding

    def _background_rebuild(self):
        try:
            if self.rebuild_gate is not None:
                self.rebuild_gate.wait(300)
            log.warning("search index missing or unreadable: rebuilding in the background")
            done = self.rebuild()
            self.rebuild_error = None
            log.warning("search index rebuilt: %s roots", done)
        except Exception as exc:
            self.rebuild_error = exc
            log.exception("background index rebuild failed; run 'silat index rebuild'")

    def wait_rebuilt(self, timeout=60.0):
        """Wait for a background rebuild (if any) to end; True when none runs."""
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def index_state(self):
        """uid -> (root, stamp) of every document in the index."""
        found = {}
        with self.index().searcher() as searcher:
            for fields in searcher.all_stored_fields():
                found[fields["uid"]] = (fields.get("root"), fields.get("stamp"))
        return found

    def verify(self, db=None, progress=None):
        report = VerifyReport()
        indexed = self.index_state()
        with self.public_index().searcher() as searcher:
            public = {fields["uid"] for fields in searcher.all_stored_fields()}
        seen = set()
        with self._connection(db) as (conn, tm):
            site = conn.root()[ZODB_ROOT_KEY]
            queue = get_queue(site, create=False)
            report.queued = len(queue) if queue is not None else 0
            for root in iter_roots(site):
                uid, current = root_uid(root), stamp(root)
                stale = False
                for doc_uid in expected_uids(root):
                    seen.add(doc_uid)
                    if doc_uid not in indexed or (doc_uid.startswith("permit:") and doc_uid not in public):
                        report.missing.append(doc_uid)
                    elif indexed[doc_uid][1] != current:
                        stale = True
                if stale:
                    report.stale.append(uid)
                report.checked += 1
                if progress:
                    progress(report.checked)
                if report.checked % 5000 == 0:
                    conn.cacheGC()
        report.extra = sorted((set(indexed) | public) - seen)
        return report

    def repair(self, db=None, report=None):
        """Index what ``verify`` found missing or stale and drop the extra;
        return the report it acted on."""
        report = report or self.verify(db)
        missing = set(report.missing)
        with self.writer_lock(), self._connection(db) as (conn, tm):
            site = conn.root()[ZODB_ROOT_KEY]
            changes = {}
            wanted = set(report.stale)
            for root in iter_roots(site):
                uid = root_uid(root)
                if uid in wanted or missing.intersection(expected_uids(root)):
                    changes[uid] = documents(root)
            self.apply(changes, deleted=report.extra)
        return report
