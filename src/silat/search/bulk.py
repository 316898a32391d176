"""Writing a new index generation on every core.

A rebuild reads ZODB in one process (the database connection cannot be
shared) and hands the extracted documents, in batches, to worker
processes. Each batch becomes one finished Whoosh segment of the new
generation's index; when all are written the segments are listed in one
new table of contents, in batch order, without merging (Whoosh merges in
Python, posting by posting, which cost more than the writing itself as
the index grew). Nobody reads the new generation before it is swapped in,
so the workers need no lock; the caller holds the index writer lock.

Workers are started with ``spawn`` (never ``fork``): the rebuilding
process has ZODB, ZEO and indexer threads whose locks a forked child
would inherit.
"""
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from whoosh import index as windex
from whoosh.writing import SegmentWriter

from silat.search import postings, whoosh_patches

whoosh_patches.apply()


MEMO_LIMIT = 4096      # analysed short values kept per field while a segment is written
MEMO_LENGTH = 200      # longer values are analysed every time


def _memoize_analysis(field):
    """Let ``field`` (of this writer's own schema) analyse each short value
    once: a dossier and its permit repeat the applicant's name, service
    and kecamatan, and a batch repeats the few service and kecamatan names."""
    index, memo = field.index, {}

    def index_once(value, **kwargs):
        if kwargs or not isinstance(value, str) or len(value) > MEMO_LENGTH:
            return index(value, **kwargs)
        found = memo.get(value)
        if found is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            found = memo[value] = list(index(value))
        return found
    field.index = index_once


def write_segment(path, indexname, docs, limitmb):
    """In a worker: write ``docs`` into one new segment of the index at
    ``path`` and return the finished segment (not yet in the index's
    table of contents)."""
    writer = SegmentWriter(windex.open_dir(path, indexname=indexname), _lk=False, limitmb=limitmb)
    for name, field in writer.schema.items():
        if field.indexed:
            _memoize_analysis(field)
    try:
        for doc in docs:
            writer.add_document(**doc)
        segment = writer._finalize_segment()
    except BaseException:
        writer._close_segment()
        raise
    postings.write(path, writer.schema, segment)
    return segment


def _exit_with_parent(parent):
    """In a worker: end when the rebuilding process is gone (killed
    rebuilds must not leave workers behind)."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch, name="silat-parent-watch", daemon=True).start()


def workers():
    """Worker processes for a rebuild: one per core."""
    return max(1, os.cpu_count() or 1)


class SegmentBuilder:
    """Builds the indexes at ``paths`` (each empty, unlocked by others)
    from batches of documents, ``procs`` segments at a time. A rebuild
    that is a single batch (a small site, the tests) is written in this
    process, without starting workers."""

    def __init__(self, paths, indexname, procs=None, limitmb=256):
        self.paths, self.indexname, self.limitmb = list(paths), indexname, limitmb
        self.procs = procs or workers()
        self.pool = None
        self.futures = [[] for _ in self.paths]     # per index, in batch order

    def add(self, batches, last=False):
        """Queue one batch per index (a list of documents each; empty ones
        are skipped). Waits while more than two batches per worker are
        pending, so memory stays bounded."""
        if self.pool is None and not last:
            self.pool = ProcessPoolExecutor(self.procs, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_exit_with_parent, initargs=(os.getpid(),))
        for futures, path, docs in zip(self.futures, self.paths, batches):
            if not docs:
                continue
            if self.pool is None:
                future = Future()
                future.set_result(write_segment(path, self.indexname, docs, self.limitmb))
            else:
                future = self.pool.submit(write_segment, path, self.indexname, docs, self.limitmb)
            futures.append(future)
        pending = [f for futures in self.futures for f in futures if not f.done()]
        for future in pending[:max(0, len(pending) - 2 * self.procs)]:
            future.result()

    def finish(self):
        """Wait for every segment and list them in each index's table of
        contents (one Whoosh generation per index)."""
        try:
            for path, futures in zip(self.paths, self.futures):
                segments = [future.result() for future in futures]
                writer = windex.open_dir(path, indexname=self.indexname).writer()
                writer._close_segment()
                writer._commit_toc(writer.segments + segments)
                writer._finish()
        finally:
            self.close()

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


# -- merging on live commits ----------------------------------------------

LARGE = 10_000     # segments with this many documents are never merged by a live commit
FANOUT = 6         # small segments allowed before the smallest are merged


def merge_small(writer, segments):
    """Whoosh merge policy for live commits: once there are ``FANOUT``
    small segments (under ``LARGE`` documents), merge the smallest, taking
    each next one only while it is no larger than those taken together
    (segments of one size tier), and never past ``LARGE``; never touch a
    large one. A document is so rewritten about log2(LARGE / commit size)
    times, not each time a handful of new ones join a big small segment.
    Whoosh's default (``MERGE_SMALL``) would merge every segment at once
    when a rebuild left many of equal size: minutes of Python work inside
    an ordinary commit."""
    small = sorted((s for s in segments if s.doc_count_all() < LARGE), key=lambda s: s.doc_count_all())
    if len(small) < FANOUT:
        return segments
    chosen, total = [], 0
    for segment in small:
        count = segment.doc_count_all()
        if len(chosen) >= 2 and (total + count > LARGE or count > total):
            break
        chosen.append(segment)
        total += count
    from whoosh.reading import SegmentReader
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]
