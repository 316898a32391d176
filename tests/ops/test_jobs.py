"""The jobs runner: schedule, logging, and one runner per job at a time (a ZODB lease)."""
import logging
import threading
import time

import pytest

from silat.cli.env import CliEnv
from silat.cli.main import main as cli
from silat.ops.jobs import Runner, schedule
from tests.ops.helpers import make_site

EXTRA = "silat.jobs.schedule =\n    permits-expire = 0\n    verify-twice = 60 audit verify\n    broken = 60 index nope\n"


@pytest.fixture
def env(tmp_path):
    ini = make_site(tmp_path, "standalone.ini", EXTRA)
    assert cli(["-c", ini, "init"]) == 0
    env = CliEnv(ini)
    yield env
    env.close()


def test_schedule_reads_the_settings():
    jobs = schedule({"silat.jobs.schedule": "sla-check = 120\npermits-expire = 0\nx = 5 audit verify"})
    assert jobs["sla-check"] == (["sla", "check"], 120)
    assert "permits-expire" not in jobs
    assert jobs["x"] == (["audit", "verify"], 5)
    assert jobs["audit-verify"] == (["audit", "verify"], 86400)


def test_due_jobs_run_once_and_log_what_they_did(env, caplog):
    runner = Runner(env, holder="a")
    with caplog.at_level(logging.INFO, logger="silat.jobs"):
        first = runner.run_due()
    assert first["sla-check"] == 0 and first["verify-twice"] == 0 and first["audit-verify"] == 0
    assert "permits-expire" not in first
    assert first["broken"] == 2                  # a failing job is logged, the runner goes on
    assert "job verify-twice (silat audit verify): exit 0" in caplog.text
    assert "audit verify: 0 chains checked, 0 broken" in caplog.text
    assert set(Runner(env, holder="b").run_due().values()) == {None}     # not due again yet


def test_two_runners_never_run_the_same_job_at_once(env):
    a, b = Runner(env, holder="a"), Runner(env, holder="b")
    assert a._take("verify-twice", 60, time.time(), force=True)
    # while a holds the lease, b skips the job, even when forced
    assert b.run_job("verify-twice", force=True) is None
    a._release("verify-twice", 0, "done")
    assert b.run_job("verify-twice", force=True) == 0
    # both at the same moment: exactly one runs it
    results, barrier = [], threading.Barrier(2)

    def go(runner):
        barrier.wait()
        results.append(runner.run_job("audit-verify", force=True))

    threads = [threading.Thread(target=go, args=(r,)) for r in (Runner(env, holder="c"), Runner(env, holder="d"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [0, None]


def test_jobs_list_and_once_for_cron(tmp_path, capsys):
    ini = make_site(tmp_path, "standalone.ini", EXTRA)
    assert cli(["-c", ini, "init"]) == 0
    assert cli(["-c", ini, "jobs", "run", "--once", "sla-check"]) == 0
    assert "sla-check: exit 0" in capsys.readouterr().out
    assert cli(["-c", ini, "jobs", "run", "--once", "sla-check"]) == 0
    assert "sla-check: skipped" in capsys.readouterr().out
    assert cli(["-c", ini, "jobs", "list"]) == 0
    out = capsys.readouterr().out
    assert "sla-check" in out and "exit 0: sla check" in out
    assert cli(["-c", ini, "jobs", "run", "--once", "nope"]) == 2
