"""kill -9 of an app process, then of the ZEO server, during a burst of
submissions: every acknowledged submission survives with its documents."""
import hashlib
import signal
import threading
import time

from silat.resources.site import ZODB_ROOT_KEY
from silat.search.queue import get_queue
from tests.intake.helpers import pdf_bytes
from tests.ops.helpers import (Client, dossiers, free_port, prepare, pserve, silat, start_zeo,
                               stop, zeo_db, zeo_site)

THREADS = 3
PDF = pdf_bytes("burst")


def burst(port, users, service, acknowledged, until):
    """Submit from each user's thread until ``until`` is set; acknowledged
    numbers go to ``acknowledged``; errors after the fault are expected."""
    def work(username):
        try:
            client = Client(f"http://127.0.0.1:{port}").login(username)
        except Exception:             # noqa: BLE001 - the fault came first
            return
        while not until.is_set():
            try:
                acknowledged.append((username, client.submit(service, PDF)))
            except Exception:         # noqa: BLE001 - the fault: stop this thread
                return

    threads = [threading.Thread(target=work, args=(u,)) for u in users]
    for t in threads:
        t.start()
    return threads


def fault_during_burst(port, users, service, kill, minimum=2):
    acknowledged, done = [], threading.Event()
    threads = burst(port, users, service, acknowledged, done)
    deadline = time.monotonic() + 90
    while len(acknowledged) < minimum:
        assert time.monotonic() < deadline, "the burst did not get going"
        time.sleep(0.05)
    kill()
    done.set()
    for t in threads:
        t.join(60)
    return list(acknowledged)


def assert_present(db, acknowledged):
    found = dossiers(db)
    digest = hashlib.sha256(PDF).hexdigest()
    for username, number in acknowledged:
        owner, status, docs = found[number]
        assert (owner, status) == (username, "submitted")
        assert docs == {"ktp": digest, "denah": digest}
    return found


def wait_indexed(db, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        with db.transaction() as conn:
            if not len(get_queue(conn.root()[ZODB_ROOT_KEY]).entries):
                return
        assert time.monotonic() < deadline, "search queue not drained"
        time.sleep(0.3)


def test_kill_9_of_the_app_and_of_the_zeo_server_loses_no_acknowledged_submission(tmp_path):
    zeo_port, port = free_port(), free_port()
    ini = zeo_site(tmp_path, zeo_port)
    var = tmp_path / "var"
    zeo = start_zeo(var, zeo_port)
    app = pserve(ini, port)
    db = zeo_db(zeo_port, var)
    users = [f"pemohon{n}" for n in range(THREADS)]
    service = prepare(db, users)
    try:
        # 1. the app process dies hard in the middle of the burst
        first = fault_during_burst(port, users, service, lambda: app.send_signal(signal.SIGKILL))
        app.wait()
        app = pserve(ini, port)
        assert_present(db, first)

        # 2. the ZEO server dies hard in the middle of the burst
        def kill_zeo():
            zeo.send_signal(signal.SIGKILL)
            zeo.wait()
        second = fault_during_burst(port, users, service, kill_zeo)
        db.close()
        zeo = start_zeo(var, zeo_port)
        db = zeo_db(zeo_port, var)
        found = assert_present(db, first + second)
        numbers = [n for _u, n in first + second]
        assert len(set(numbers)) == len(numbers)
        # the restarted app reconnects to the restarted ZEO by itself and takes new work
        deadline = time.monotonic() + 60
        while True:
            try:
                last = Client(f"http://127.0.0.1:{port}").login(users[1]).submit(service, PDF)
                break
            except (AssertionError, RuntimeError, OSError):
                assert time.monotonic() < deadline, "the app did not reconnect to ZEO"
                time.sleep(0.5)
        assert last not in found
        wait_indexed(db)
        audit = silat(ini, "audit", "verify")
        assert audit.returncode == 0 and ", 0 broken" in audit.stdout, audit.stdout + audit.stderr
        index = silat(ini, "index", "verify")
        assert index.returncode == 0, index.stdout + index.stderr
    finally:
        db.close()
        stop(app)
        stop(zeo)
