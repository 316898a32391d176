"""The index service: opens the Whoosh index, writes it under one lock,
processes the queue, and rebuilds, verifies and repairs the index from
ZODB (the source of truth).

One writer at a time, across processes: every write holds an ``fcntl``
lock on ``<index_dir>/.silat-writer.lock`` (released by the kernel if the
process dies) and, inside it, Whoosh's own WRITELOCK.
"""
import contextlib
import itertools
import fcntl
import logging
import os
import threading
import time
from dataclasses import dataclass, field

import transaction
from pyramid.traversal import find_resource
from ZODB.POSException import ConflictError
from whoosh import index as windex

from silat.resources.site import ZODB_ROOT_KEY
from silat.search.adapters import documents, expected_uids, is_root, iter_roots, root_uid, stamp
from silat.search.queue import get_queue
from silat.search.schema import make_schema

log = logging.getLogger(__name__)
INDEX_NAME = "silat"


class IndexLockTimeout(RuntimeError):
    """Another process held the index writer lock for too long."""


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
        self._ix = None
        self._searcher = None
        self._mutex = threading.RLock()
        self._write_mutex = threading.RLock()
        self._write_depth = 0
        self.generation = 0          # bumped whenever a new searcher is opened
        # None: index inline in the committing thread; else seconds a daemon
        # worker waits to gather commits into one Whoosh commit
        self.background_delay = None
        self._wake = None
        self._idle = threading.Event()
        self._idle.set()
        self._state = threading.Lock()

    # -- after commit: inline, or batched by a background worker -----------
    def request_processing(self):
        """Called after a commit that queued work. In background mode
        requests do not wait for the index; the queue in ZODB stays the
        record of what is due."""
        if self.background_delay is None:
            self.process_queue()
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
            time.sleep(self.background_delay or 0)
            self._wake.clear()
            try:
                self.process_queue()
            except Exception:      # the entries stay queued; the next wake or catch-up retries
                log.exception("background indexing failed; the queue keeps the work")
            with self._state:
                if not self._wake.is_set():
                    self._idle.set()

    # -- the index --------------------------------------------------------
    def index(self):
        with self._mutex:
            if self._ix is None:
                os.makedirs(self.index_dir, exist_ok=True)
                if windex.exists_in(self.index_dir, INDEX_NAME):
                    self._ix = windex.open_dir(self.index_dir, indexname=INDEX_NAME)
                else:
                    with self.writer_lock():
                        if windex.exists_in(self.index_dir, INDEX_NAME):
                            self._ix = windex.open_dir(self.index_dir, indexname=INDEX_NAME)
                        else:
                            self._ix = windex.create_in(self.index_dir, make_schema(), INDEX_NAME)
            return self._ix

    def searcher(self):
        """A shared searcher, reopened when the index changed."""
        with self._mutex:
            if self._searcher is None:
                self._searcher = self.index().searcher()
                self.generation += 1
            elif not self._searcher.up_to_date():
                # (Searcher.refresh fails on an index that was empty). The old
                # searcher is not closed here: another thread may still read
                # it; its files close when it is garbage collected.
                self._searcher = self.index().searcher()
                self.generation += 1
            return self._searcher

    def close(self):
        with self._mutex:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None

    @contextlib.contextmanager
    def writer_lock(self, timeout=None):
        """Hold the index for writing: in this process (a re-entrant lock)
        and across processes (``fcntl.flock``)."""
        timeout = self.lock_timeout if timeout is None else timeout
        if not self._write_mutex.acquire(timeout=timeout):
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

    def _writer(self, limitmb=64):
        return self.index().writer(timeout=self.lock_timeout, delay=0.05, limitmb=limitmb)

    def apply(self, changes, deleted=()):
        """Write ``changes`` (root uid -> list of documents, [] to remove)
        and delete the single documents ``deleted``; the caller holds the
        writer lock."""
        writer = self._writer()
        try:
            for uid, docs in changes.items():
                writer.delete_by_term("root", uid)
                writer.delete_by_term("uid", uid)
                for doc in docs:
                    writer.delete_by_term("uid", doc["uid"])
                    writer.add_document(**_clean(doc))
            for uid in deleted:
                writer.delete_by_term("uid", uid)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    # -- the queue --------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self, db=None):
        tm = transaction.TransactionManager(explicit=True)
        conn = (db or self.db).open(transaction_manager=tm)
        try:
            yield conn, tm
        finally:
            try:
                tm.abort()
            except Exception:
                pass
            conn.close()

    def process_queue(self, db=None, limit=None, progress=None):
        """Index everything queued; return how many roots were indexed."""
        done = 0
        with self.writer_lock(), self._connection(db) as (conn, tm):
            while True:
                for attempt in range(10):
                    tm.begin()
                    site = conn.root().get(ZODB_ROOT_KEY)
                    queue = get_queue(site, create=False) if site is not None else None
                    if queue is None or not len(queue.entries):
                        tm.abort()
                        return done
                    taken = list(itertools.islice(queue.entries.items(), self.batch))
                    changes = {}
                    for uid, (path, _token) in taken:
                        changes[uid] = self._documents_at(site, uid, path)
                    self.apply(changes)
                    for uid, (_path, token) in taken:
                        current = queue.entries.get(uid)
                        if current is not None and current[1] == token:
                            del queue.entries[uid]
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
            return len(queue.entries) if queue is not None else 0

    # -- rebuild, verify, repair ------------------------------------------
    def count_roots(self, db=None):
        with self._connection(db) as (conn, tm):
            site = conn.root()[ZODB_ROOT_KEY]
            total = len(site["berkas"])
            if "pengaduan" in site:
                total += len(site["pengaduan"])
            return total

    def rebuild(self, db=None, progress=None, batch=2000):
        """Empty the index and index every root from one ZODB snapshot,
        committing every ``batch`` roots (a killed rebuild leaves a partial
        index that ``verify`` reports and ``repair`` completes)."""
        done = 0
        with self.writer_lock(), self._connection(db) as (conn, tm):
            with self._mutex:
                if self._searcher is not None:
                    self._searcher.close()
                self._searcher = None
                os.makedirs(self.index_dir, exist_ok=True)
                self._ix = windex.create_in(self.index_dir, make_schema(), INDEX_NAME)
            site = conn.root()[ZODB_ROOT_KEY]
            writer = self._writer(limitmb=256)
            try:
                for root in iter_roots(site):
                    for doc in documents(root):
                        writer.add_document(**_clean(doc))
                    done += 1
                    if done % batch == 0:
                        writer.commit()
                        conn.cacheGC()
                        writer = self._writer(limitmb=256)
                    if progress:
                        progress(done)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()      # segments merge as usual; no full optimize
        return done

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
        seen = set()
        with self._connection(db) as (conn, tm):
            site = conn.root()[ZODB_ROOT_KEY]
            queue = get_queue(site, create=False)
            report.queued = len(queue.entries) if queue is not None else 0
            for root in iter_roots(site):
                uid, current = root_uid(root), stamp(root)
                stale = False
                for doc_uid in expected_uids(root):
                    seen.add(doc_uid)
                    if doc_uid not in indexed:
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
        report.extra = sorted(set(indexed) - seen)
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
