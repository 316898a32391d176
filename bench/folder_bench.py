#!/usr/bin/env python3
"""BTree folders at scale: add N dossiers-like children, then time lookups,
range scans and len() on a real FileStorage.

    .venv/bin/python bench/folder_bench.py [N]      # default 1,000,000

Prints the add rate, commit sizes, and p50/p95 of random lookups after a
cold restart (cache emptied), which is what a request sees.
"""
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import transaction
from persistent import Persistent
from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat.resources.folder import Folder


class Item(Persistent):
    def __init__(self, n):
        self.n = n


def main(total):
    var = Path(tempfile.mkdtemp(prefix="silat-bench-"))
    db = DB(FileStorage(str(var / "Data.fs")), cache_size=50_000)
    conn = db.open()
    root = conn.root()
    root["berkas"] = folder = Folder()
    transaction.commit()
    batch = 10_000
    start = time.perf_counter()
    for first in range(0, total, batch):
        for i in range(first, min(first + batch, total)):
            folder.add(f"SILAT-{2016 + i % 10}-{i:07d}", Item(i))
        transaction.commit()
        conn.cacheMinimize()
    elapsed = time.perf_counter() - start
    print(f"added {total:,} children in {elapsed:.1f} s: {total / elapsed:,.0f}/s "
          f"(commits of {batch:,}); Data.fs {(var / 'Data.fs').stat().st_size / 1e6:,.0f} MB")
    conn.close()
    db.close()

    db = DB(FileStorage(str(var / "Data.fs"), read_only=True), cache_size=5_000)
    conn = db.open()
    folder = conn.root()["berkas"]
    names = [f"SILAT-{2016 + i % 10}-{i:07d}" for i in random.sample(range(total), 2_000)]
    timings = []
    for name in names:
        t0 = time.perf_counter()
        assert folder[name].n >= 0
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(f"random lookup, cold cache: p50 {statistics.median(timings):.3f} ms, "
          f"p95 {timings[int(len(timings) * .95)]:.3f} ms")
    t0 = time.perf_counter()
    count = len(folder)
    print(f"len() = {count:,} in {(time.perf_counter() - t0) * 1000:.3f} ms")
    t0 = time.perf_counter()
    page = list(itertools.islice(folder.keys("SILAT-2020-", "SILAT-2020-\xff"), 50))
    print(f"first 50 keys of one year by range scan: {(time.perf_counter() - t0) * 1000:.2f} ms ({page[0]})")
    conn.close()
    db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
