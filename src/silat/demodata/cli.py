"""``silat demo --dossiers N --seed S``: realistic demo dossiers at scale."""
import datetime as dt
import sys
import time

from silat.resources.site import ZODB_ROOT_KEY


def register(sub):
    p = sub.add_parser("demo", help="generate realistic demo dossiers through the real code paths")
    p.add_argument("--dossiers", type=int, required=True, metavar="N", help="how many dossiers")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    p.add_argument("--until", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="the simulated 'today' (default: today); history spans ten years before it")
    p.add_argument("--batch", type=int, default=200, help="dossiers per commit (default 200)")
    p.add_argument("--rebuild-index", action="store_true",
                   help="skip per-commit indexing and rebuild the search index at the end")
    p.set_defaults(run=run)


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


def generate(env, n, seed, until=None, batch=200, rebuild_index=False, progress=None):
    """Make ``n`` dossiers; return (counts per state, permits, elapsed seconds)."""
    from silat.demodata.generator import Generator, plan
    until = until or dt.datetime.now(dt.timezone.utc).date()
    service = getattr(env.registry, "silat_index", None)
    if rebuild_index and service is not None:
        service.request_processing = lambda: None      # indexed by the rebuild below
    started = time.monotonic()
    with env.connection() as (conn, tm):
        tm.begin()
        site = conn.root()[ZODB_ROOT_KEY]
        plans = plan(n, seed, site, until)
        prepare(site, until)
        tm.commit()
        gen = Generator(env.registry, conn, None)
        gen.ceiling = min(dt.datetime.combine(until, dt.time(10, 0), dt.timezone.utc),
                          dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1))
        for start in range(0, n, batch):
            tm.begin()
            gen.site = conn.root()[ZODB_ROOT_KEY]
            for done, p in enumerate(plans[start:start + batch], start + 1):
                gen.make(p)
                if progress:
                    progress(done)
            tm.get().note(f"silat demo: dossiers {start + 1}-{min(n, start + batch)}")
            tm.commit()
            conn.cacheGC()
    if rebuild_index and service is not None:
        del service.request_processing
        service.rebuild()
    return gen.counts, gen.permits, time.monotonic() - started


def run(env, args):
    if args.dossiers < 1:
        print("silat demo: --dossiers must be at least 1", file=sys.stderr)
        return 2
    with env.site() as site:
        empty = not any(getattr(s, "current", None) is not None for s in site["layanan"].values())
    if empty:
        print("silat demo: the service catalog is empty: run 'silat init' first", file=sys.stderr)
        return 2
    bar = Progress(args.dossiers)
    counts, permits, elapsed = generate(env, args.dossiers, args.seed, args.until, args.batch,
                                        args.rebuild_index, progress=bar)
    bar(args.dossiers, force=True)
    sys.stderr.write("\n")
    total = sum(counts.values())
    print(f"{total} dossiers in {elapsed:.1f}s ({total / max(elapsed, 1e-6):,.1f}/s); "
          f"{permits} permits issued")
    for state, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {state:18} {count:8} {100 * count / max(total, 1):5.1f}%")
    return 0
