"""``silat jobs run|list``: the periodic jobs without an external cron.

Each job is a ``silat`` command run on a schedule (seconds between runs).
A lease stored in ZODB (``root['silat.jobs']``) makes sure two runners, in
this process or on another machine, never run the same job at once: taking
the lease is a transaction, and of two runners taking it together one gets
a ConflictError and leaves the job to the other. A runner that dies keeps
its lease only until ``lease_until``. Every run logs what the command
printed and keeps a one-line summary (``silat jobs list``).

The commands stay available for a system cron (README, docs/operations.md).
"""
import contextlib
import datetime as dt
import io
import logging
import os
import signal
import socket
import sys
import threading
import time

import transaction
from persistent import Persistent
from persistent.mapping import PersistentMapping
from ZODB.POSException import ConflictError

log = logging.getLogger("silat.jobs")
ROOT_KEY = "silat.jobs"

# name: (command, seconds between runs); silat.jobs.schedule overrides
DEFAULT_SCHEDULE = {
    "sla-check": ("sla check", 3600),
    "permits-expire": ("permits expire", 86400),
    "index-catch-up": ("index catch-up", 600),
    "audit-verify": ("audit verify", 86400),
    "sweep": ("sweep", 86400),
}


class JobState(Persistent):
    holder = None
    lease_until = 0.0
    last_started = 0.0
    last_finished = 0.0
    last_status = None
    last_summary = ""


def schedule(settings):
    """{name: (argv, seconds)}; ``silat.jobs.schedule`` lines ``name = seconds``
    change an interval (0 disables) or add ``name = seconds silat-command ...``."""
    jobs = {name: (cmd.split(), secs) for name, (cmd, secs) in DEFAULT_SCHEDULE.items()}
    for line in (settings.get("silat.jobs.schedule") or "").splitlines():
        if "=" not in line:
            continue
        name, value = (part.strip() for part in line.split("=", 1))
        words = value.split()
        seconds = int(words[0])
        argv = words[1:] or jobs.get(name, ([], 0))[0]
        if not argv:
            raise ValueError(f"silat.jobs.schedule: job {name!r} needs a command")
        if seconds <= 0:
            jobs.pop(name, None)
        else:
            jobs[name] = (argv, seconds)
    return jobs


def _states(conn):
    root = conn.root()
    if ROOT_KEY not in root:
        root[ROOT_KEY] = PersistentMapping()
    return root[ROOT_KEY]


class Runner:
    def __init__(self, env, holder=None, max_runtime=3600):
        self.env = env
        self.jobs = schedule(env.settings)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.max_runtime = max_runtime
        self.stop_event = threading.Event()

    def _take(self, name, interval, now, force=False):
        """Take the lease of a due job; False if it is not due or held."""
        with self.env.connection() as (conn, tm):
            try:
                tm.begin()
                states = _states(conn)
                state = states.get(name)
                if state is None:
                    state = states[name] = JobState()
                if state.lease_until > now and state.holder != self.holder:
                    return False
                if not force and state.last_started and now - state.last_started < interval:
                    return False
                state.holder, state.lease_until = self.holder, now + self.max_runtime
                state.last_started = now
                tm.commit()
                return True
            except ConflictError:
                return False          # another runner took it in the same moment

    def _release(self, name, status, summary):
        for _attempt in range(5):
            with self.env.connection() as (conn, tm):
                try:
                    tm.begin()
                    state = _states(conn)[name]
                    state.holder, state.lease_until = None, 0.0
                    state.last_finished, state.last_status = time.time(), status
                    state.last_summary = summary[:500]
                    tm.commit()
                    return
                except ConflictError:
                    continue

    def run_job(self, name, force=False):
        """Run ``name`` if due and free; return its exit status or None if skipped."""
        argv, interval = self.jobs[name]
        if not self._take(name, interval, time.time(), force):
            return None
        from silat.cli.main import build_parser
        out = io.StringIO()
        started = time.monotonic()
        try:
            args = build_parser().parse_args(["-c", self.env.config_uri, *argv])
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                status = args.run(self.env, args) or 0
        except Exception as exc:           # noqa: BLE001 - a job's failure is logged, the runner goes on
            log.exception("job %s failed", name)
            status, out = 1, io.StringIO(f"{type(exc).__name__}: {exc}")
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        lines = [line.strip() for line in out.getvalue().replace("\r", "\n").splitlines() if line.strip()]
        summary = lines[-1] if lines else ""
        log.info("job %s (silat %s): exit %s in %.1fs: %s", name, " ".join(argv), status,
                 time.monotonic() - started, " | ".join(lines[-5:]))
        self._release(name, status, summary)
        return status

    def run_due(self):
        return {name: self.run_job(name) for name in self.jobs}

    def loop(self, tick=30.0):
        log.info("jobs runner %s: %s", self.holder,
                 ", ".join(f"{n} every {s}s" for n, (_a, s) in self.jobs.items()))
        while not self.stop_event.is_set():
            for name in self.jobs:
                if self.stop_event.is_set():
                    break
                self.run_job(name)
            self.stop_event.wait(tick)
        log.info("jobs runner %s stopped", self.holder)


def run(env, args):
    runner = Runner(env)
    if args.job:
        unknown = [n for n in args.job if n not in runner.jobs]
        if unknown:
            print(f"silat: unknown job {', '.join(unknown)}; known: {', '.join(runner.jobs)}",
                  file=sys.stderr)
            return 2
        runner.jobs = {n: runner.jobs[n] for n in args.job}
    if args.once or args.force:
        results = {n: runner.run_job(n, force=args.force) for n in runner.jobs}
        for name, status in results.items():
            print(f"{name}: {'skipped (not due or running elsewhere)' if status is None else f'exit {status}'}")
        return max((s for s in results.values() if s), default=0)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: runner.stop_event.set())
    runner.loop(float(args.tick or env.settings.get("silat.jobs.tick", 30)))
    return 0


def show(env, args):
    jobs = schedule(env.settings)
    with env.connection() as (conn, tm):
        states = conn.root().get(ROOT_KEY, {})
        for name, (argv, seconds) in jobs.items():
            state = states.get(name)
            when = (dt.datetime.fromtimestamp(state.last_started, dt.timezone.utc).isoformat(timespec="seconds")
                    if state is not None and state.last_started else "never")
            running = f" RUNNING on {state.holder}" if state is not None and state.lease_until > time.time() else ""
            last = f" exit {state.last_status}: {state.last_summary}" if state is not None and state.last_finished else ""
            print(f"{name:16} every {seconds:>6}s  silat {' '.join(argv):24} last {when}{last}{running}")
    return 0


def register(sub):
    p = sub.add_parser("jobs", help="periodic jobs: run them on a schedule, or list them")
    actions = p.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    r = actions.add_parser("run", help="run due jobs on the schedule until stopped (SIGTERM)")
    r.add_argument("--once", action="store_true", help="run the due jobs once and exit (for cron)")
    r.add_argument("--force", action="store_true", help="run now even if not due (never beside a running one)")
    r.add_argument("--tick", type=float, default=None, help="seconds between checks (default 30)")
    r.add_argument("job", nargs="*", help="only these jobs")
    r.set_defaults(run=run)
    actions.add_parser("list", help="the schedule and the last run of each job").set_defaults(run=show)
