"""``silat demo --procs P``: P generator processes sharing the database
through ZEO, each making every P-th dossier of the one deterministic plan.

The parent prepares the site and makes the first ``--warmup`` dossiers
alone (on a new site the shared trees, the report tallies above all, are
shallow: nearly every commit changes their top node, and parallel writers
would mostly conflict), then starts the workers (``silat demo ... --part
k/P/W``, each a ZEO client of its own, committing one dossier per
transaction as requests do: a conflict then costs one dossier, not a
batch), sums what they report and rebuilds the search index once at the
end. The workers file in plan order, so
their clocks run side by side through the ten years; a batch that
conflicts with the other workers' commits is made again.

What the same seed still gives: the same dossiers (service, state,
applicant, dates, documents, decisions). What it no longer gives: the
same registration (and letter, permit) number for each of them. Numbers
come from the shared counters in the order the workers reach them, so
within a year they follow the filing dates only roughly (two workers a
few dossiers apart interleave), and a retried batch leaves the numbers it
took unused, as a retried request does.
"""
import json
import subprocess
import sys

from silat.ops.stack import zeo_address


def shared_database(settings):
    """True when other processes can open the database beside this one (ZEO)."""
    return zeo_address(settings.get("zodbconn.uri", "")) is not None


def worker_command(args, until, part, procs, skip):
    return [sys.executable, "-m", "silat.cli.main", "-c", args.config, "demo",
            "--dossiers", str(args.dossiers), "--seed", str(args.seed),
            "--until", until.isoformat(), "--batch", "1",
            "--part", f"{part}/{procs}/{skip}"]


def report(counts, permits, retries):
    """The line a worker prints for its parent."""
    return json.dumps({"counts": dict(counts), "permits": permits, "retries": retries})


def run_workers(args, until, procs, skip):
    """Start ``procs`` workers on the plan after its first ``skip`` dossiers,
    wait for all; (counts, permits, retries) summed.
    Raises RuntimeError naming the workers that failed."""
    import collections
    workers = [subprocess.Popen(worker_command(args, until, k, procs, skip),
                                stdout=subprocess.PIPE, text=True) for k in range(procs)]
    counts, permits, retries, failed = collections.Counter(), 0, 0, []
    for k, proc in enumerate(workers):
        out, _err = proc.communicate()
        if proc.returncode:
            failed.append(f"worker {k} exited {proc.returncode}")
            continue
        done = json.loads(out.strip().splitlines()[-1])
        counts.update(done["counts"])
        permits += done["permits"]
        retries += done["retries"]
    if failed:
        raise RuntimeError("; ".join(failed))
    return counts, permits, retries
