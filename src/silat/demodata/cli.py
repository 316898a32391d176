"""``silat demo --dossiers N --seed S``: realistic demo dossiers at scale."""
import argparse
import contextlib
import datetime as dt
import logging
import os
import random
import sys
import time

from silat.resources.site import ZODB_ROOT_KEY


def register(sub):
    p = sub.add_parser("demo", help="generate realistic demo dossiers through the real code paths")
    p.add_argument("--dossiers", type=int, required=True, metavar="N", help="how many dossiers")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    p.add_argument("--until", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="the simulated 'today' (default: today); history spans ten years before it")
    p.add_argument("--batch", type=int, default=200,
                   help="dossiers per commit (default 200; --procs workers commit each dossier)")
    p.add_argument("--rebuild-index", action="store_true",
                   help="skip per-commit indexing and rebuild the search index at the end")
    p.add_argument("--procs", type=int, default=1, metavar="P",
                   help="generator processes (needs a ZEO database, zeo:// in zodbconn.uri); "
                        "they rebuild the index at the end")
    p.add_argument("--warmup", type=int, default=1000, metavar="W",
                   help="with --procs: the first W dossiers are made by one process (on a "
                        "new site every commit changes the top of the shared trees, and "
                        "parallel writers would mostly conflict); default 1000")
    p.add_argument("--part", type=_part, default=None, help=argparse.SUPPRESS)   # a worker's share
    p.set_defaults(run=run)


def _part(text):
    """``k/P/W``: the k-th of P shares of the plan after its first W dossiers."""
    k, procs, skip = (int(x) for x in text.split("/"))
    if not 0 <= k < procs or skip < 0:
        raise argparse.ArgumentTypeError(f"bad part {text!r}")
    return k, procs, skip


class Progress:
    """done/total, rate and ETA on one stderr line."""

    def __init__(self, total, stream=None):
        self.total, self.stream = max(total, 1), stream or sys.stderr
        self.start = self.last = time.monotonic()

    def __call__(self, done, force=False):
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6)
        eta = (self.total - done) / rate if rate else 0
        self.stream.write(f"\rdemo {done}/{self.total} {rate:,.1f}/s ETA {eta / 60:,.1f} min   ")
        self.stream.flush()


def prepare(site, until):
    """Create, in one commit before the batches, the lazily attached
    containers that side transactions (numbering) would otherwise create
    under objects a batch is changing (a conflict the real code avoids by
    committing one dossier per request)."""
    from silat.intake import numbering as intake_numbering
    from silat.permits import numbering as permit_numbering
    from silat.recommendations.services import open_requests
    intake_numbering.counters(site)
    for agency in site["opd"].values():
        tree = permit_numbering.counters(agency)
        # permit numbers are committed on their own while a batch takes letter
        # numbers from the same tree: fix its keys now so that only the
        # separate counters change (an empty counter numbers from 1, as new)
        for series in ("permit", "rejection", "cancellation", "recommendation", "skrd"):
            for year in range(until.year - 11, until.year + 2):
                if f"{series}:{year}" not in tree:
                    tree[f"{series}:{year}"] = permit_numbering.Counter()
        open_requests(agency)


log = logging.getLogger(__name__)
ATTEMPTS = 50        # a batch that conflicts with another writer is made again


@contextlib.contextmanager
def indexing_deferred(env, rebuild=True):
    """No indexing after each commit inside; the index rebuilt once on
    leaving (unless ``rebuild`` is false: a worker leaves it to its parent)."""
    service = getattr(env.registry, "silat_index", None)
    if service is None:
        yield
        return
    service.request_processing = lambda: None
    try:
        yield
    finally:
        del service.request_processing
    if rebuild:
        service.rebuild()


@contextlib.contextmanager
def synced_once():
    """FileStorage commits without an fsync each, and one sync at the end.

    Real use commits three or four short side transactions per dossier
    (registration, letter and permit numbers, survey tokens: see
    ``resources/apart.py``), and the generator does too; FileStorage fsyncs
    each commit, 2.7 ms of waiting here, about a third of a dossier's time.
    The records written are the same; only a crash of the machine (not of
    the process) during the run could lose its tail, and a demo is then
    made again. ZEO clients are unaffected (their server syncs)."""
    import importlib
    filestorage = importlib.import_module("ZODB.FileStorage.FileStorage")   # the module
    saved = filestorage.fsync
    filestorage.fsync = None
    try:
        yield
    finally:
        filestorage.fsync = saved
        os.sync()


def generate(env, n, seed, until=None, batch=200, progress=None, part=None, first=None):
    """Make ``n`` dossiers; return (counts per state, permits, seconds, batches made again).

    ``first`` = W makes only the first W planned dossiers; ``part`` = (k,
    procs, W) only the k-th of procs shares of the rest (a worker of ``silat
    demo --procs``; the parent prepared the site and made the first W)."""
    from silat.demodata.generator import Generator, plan, share
    until = until or dt.datetime.now(dt.timezone.utc).date()
    started = time.monotonic()
    with env.connection() as (conn, tm):
        tm.begin()
        site = conn.root()[ZODB_ROOT_KEY]
        plans = plan(n, seed, site, until)
        if part is None:
            prepare(site, until)
            tm.commit()
            plans = plans[:first] if first is not None else plans
        else:
            tm.abort()
            k, procs, skip = part
            plans = share(plans[skip:], k, procs)
        gen = Generator(env.registry, conn, None)
        gen.ceiling = min(dt.datetime.combine(until, dt.time(10, 0), dt.timezone.utc),
                          dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))
        for start in range(0, len(plans), batch):
            chunk = plans[start:start + batch]
            share_of = f" (part {part[0] + 1} of {part[1]})" if part else ""
            _commit_batch(gen, tm, chunk, f"silat demo: dossiers {start + 1}-"
                                          f"{start + len(chunk)}{share_of}")
            if progress:
                progress(start + len(chunk))
            conn.cacheGC()
    return gen.counts, gen.permits, time.monotonic() - started, gen.retries


def _commit_batch(gen, tm, chunk, note):
    """Make ``chunk`` in one transaction. When it conflicts with another
    writer's commit, it is made again as pyramid_retry reruns a request
    (the numbers the failed attempt took stay unused): one dossier per
    transaction, so that a busy tree does not fail a whole batch again."""
    from transaction.interfaces import TransientError
    for attempt in range(ATTEMPTS):
        saved = gen.tally()
        tm.begin()
        try:
            gen.site = gen.conn.root()[ZODB_ROOT_KEY]
            for p in chunk:
                gen.make(p)
            tm.get().note(note)
            tm.commit()
            return
        except TransientError as exc:
            log.info("%s conflicted (%s); making it again", note, exc)
            tm.abort()
            gen.restore(saved)
            gen.retries += 1
            if attempt == ATTEMPTS - 1:
                raise
            if len(chunk) > 1:
                for p in chunk:
                    _commit_batch(gen, tm, [p], f"{note}: {p.index + 1}")
                return
            time.sleep(random.uniform(0, 0.02 * min(attempt + 1, 25)))


def run(env, args):
    from silat.demodata import parallel
    if args.dossiers < 1 or args.batch < 1 or args.procs < 1 or args.warmup < 0:
        print("silat demo: --dossiers, --batch and --procs must be at least 1 "
              "(--warmup at least 0)", file=sys.stderr)
        return 2
    if args.procs > 1 and not parallel.shared_database(env.settings):
        print("silat demo: --procs needs a database other processes can open: a ZEO "
              "server (zeo:// in zodbconn.uri, e.g. etc/development.ini)", file=sys.stderr)
        return 2
    with env.site() as site:
        empty = not any(getattr(s, "current", None) is not None for s in site["layanan"].values())
    if empty:
        print("silat demo: the service catalog is empty: run 'silat init' first", file=sys.stderr)
        return 2
    if args.part is not None:        # a worker: its share, the parent rebuilds the index
        with indexing_deferred(env, rebuild=False):
            counts, permits, _elapsed, retries = generate(
                env, args.dossiers, args.seed, args.until, args.batch,
                progress=Progress((args.dossiers - args.part[2]) // args.part[1]), part=args.part)
        sys.stderr.write("\n")
        print(parallel.report(counts, permits, retries))
        return 0
    started = time.monotonic()
    deferred = args.rebuild_index or args.procs > 1
    with indexing_deferred(env) if deferred else contextlib.nullcontext(), synced_once():
        if args.procs > 1:
            until = args.until or dt.datetime.now(dt.timezone.utc).date()
            warmup = min(args.warmup, args.dossiers)
            counts, permits, _made, retries = generate(
                env, args.dossiers, args.seed, until, args.batch, progress=Progress(warmup),
                first=warmup)
            sys.stderr.write("\n")
            try:
                more = parallel.run_workers(args, until, args.procs, warmup)
            except RuntimeError as exc:
                print(f"silat demo: {exc}", file=sys.stderr)
                return 1
            counts.update(more[0])
            permits, retries = permits + more[1], retries + more[2]
        else:
            bar = Progress(args.dossiers)
            counts, permits, _made, retries = generate(env, args.dossiers, args.seed,
                                                       args.until, args.batch, progress=bar)
            bar(args.dossiers, force=True)
            sys.stderr.write("\n")
        made = time.monotonic() - started
    elapsed = time.monotonic() - started
    total = sum(counts.values())
    print(f"{total} dossiers in {elapsed:.1f}s ({total / max(elapsed, 1e-6):,.1f}/s), of which "
          f"making them {made:.1f}s ({total / max(made, 1e-6):,.1f}/s) in {args.procs} "
          f"process(es), {retries} batch(es) made again; {permits} permits issued")
    for state, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {state:18} {count:8} {100 * count / max(total, 1):5.1f}%")
    return 0
