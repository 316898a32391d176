"""``silat index rebuild|verify|repair|catch-up``: the search index."""
import argparse
import sys
import time


class Progress:
    """A one-line progress bar with a rate, on stderr."""

    def __init__(self, total, label, stream=None):
        self.total, self.label, self.stream = max(total, 1), label, stream or sys.stderr
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done, force=False):
        now = time.monotonic()
        if not force and now - self.last < 0.2 and done < self.total:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6)
        width = 30
        filled = int(width * min(done, self.total) / self.total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{done}/{self.total} {rate:,.0f}/s")
        self.stream.flush()

    def finish(self, done):
        self(done, force=True)
        self.stream.write("\n")


def _service(env):
    service = env.registry.silat_index
    if service is None:
        print("silat: no index directory: set silat.index_dir or silat.var_dir", file=sys.stderr)
        raise SystemExit(2)
    return service


def rebuild(env, args):
    service = _service(env)
    total = service.count_roots()
    bar = Progress(total, "rebuild")
    started = time.monotonic()
    done = service.rebuild(progress=bar, batch=args.batch, procs=args.procs)
    bar.finish(done)
    elapsed = time.monotonic() - started
    print(f"indexed {done} items in {elapsed:.1f}s ({done / max(elapsed, 1e-6):,.0f}/s)")
    return 0


def _print_report(report, limit=20):
    print(f"checked {report.checked} items; queued {report.queued}")
    for label, items in (("in ZODB, not in the index", report.missing),
                         ("in the index, not in ZODB", report.extra),
                         ("older in the index than in ZODB", report.stale)):
        print(f"{label}: {len(items)}")
        for uid in items[:limit]:
            print(f"  {uid}")
        if len(items) > limit:
            print(f"  ... and {len(items) - limit} more")


def verify(env, args):
    service = _service(env)
    bar = Progress(service.count_roots(), "verify")
    report = service.verify(progress=bar)
    bar.finish(report.checked)
    _print_report(report)
    return 0 if report.ok else 1


def repair(env, args):
    service = _service(env)
    report = service.repair()
    _print_report(report)
    after = service.verify()
    print("index is in step with ZODB" if after.ok else "index still differs; run 'silat index rebuild'")
    return 0 if after.ok else 1


def catch_up(env, args):
    service = _service(env)
    queued = service.queued()
    bar = Progress(queued, "catch-up")
    done = service.process_queue(progress=bar)
    bar.finish(done)
    print(f"indexed {done} queued items")
    return 0


def positive(text):
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def register(subparsers):
    parser = subparsers.add_parser("index", help="search index: rebuild, verify, repair, catch-up")
    sub = parser.add_subparsers(dest="index_command", required=True)
    p = sub.add_parser("rebuild", help="empty the index and index everything from ZODB")
    p.add_argument("--batch", type=positive, default=5000,
                   help="items per index segment, written by a worker process (default 5000)")
    p.add_argument("--procs", type=positive, default=None,
                   help="worker processes writing segments (default: one per core)")
    p.set_defaults(run=rebuild)
    sub.add_parser("verify", help="report what is in ZODB and not in the index, and back").set_defaults(run=verify)
    sub.add_parser("repair", help="index what verify finds missing or stale, drop the extra").set_defaults(run=repair)
    sub.add_parser("catch-up", help="index what the queue still holds").set_defaults(run=catch_up)
