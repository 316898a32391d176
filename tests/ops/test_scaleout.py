"""Scale-out: a real ZEO server, two app processes, one indexer process."""
import subprocess
import threading
import time

from silat.resources.site import ZODB_ROOT_KEY
from silat.search.queue import get_queue
from tests.ops.helpers import (PY, Client, dossiers, free_port, history, prepare, pserve, silat,
                               start_zeo, stop, zeo_db, zeo_site)

APPS, THREADS, EACH = 2, 3, 3


def wait_queue_empty(db, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        with db.transaction() as conn:
            left = len(get_queue(conn.root()[ZODB_ROOT_KEY]).entries)
        if not left:
            return
        assert time.monotonic() < deadline, f"{left} entries still queued"
        time.sleep(0.3)


def test_two_app_processes_on_one_zeo_server_with_an_indexer(tmp_path):
    zeo_port = free_port()
    ini = zeo_site(tmp_path, zeo_port, "silat.search.indexer = external\n")
    zeo = start_zeo(tmp_path / "var", zeo_port)
    processes = []
    db = None
    try:
        ports = [free_port() for _ in range(APPS)]
        for port in ports:          # one after the other: the first creates the site
            processes.append(pserve(ini, port))
        db = zeo_db(zeo_port, tmp_path / "var")
        users = [f"pemohon{n}" for n in range(APPS * THREADS)]
        service = prepare(db, users)
        processes.append(subprocess.Popen([PY, "-m", "silat.cli.main", "-c", ini,
                                           "indexer", "--poll", "0.3"]))
        acknowledged, errors = [], []
        barrier = threading.Barrier(APPS * THREADS)

        def work(port, username):
            try:
                client = Client(f"http://127.0.0.1:{port}").login(username)
                barrier.wait(180)
            except Exception as exc:            # noqa: BLE001 - reported below
                barrier.abort()
                errors.append(f"login {username}: {exc!r}")
                return
            for _ in range(EACH):
                try:
                    acknowledged.append((username, client.submit(service)))
                except Exception as exc:        # noqa: BLE001 - reported below
                    errors.append(str(exc))

        threads = [threading.Thread(target=work, args=(ports[n % APPS], user))
                   for n, user in enumerate(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        numbers = [n for _u, n in acknowledged]
        assert len(numbers) == len(set(numbers)) == APPS * THREADS * EACH   # every number distinct
        found = dossiers(db)
        assert sorted(found) == sorted(numbers)                             # every one exactly once
        for username, number in acknowledged:
            owner, status, docs = found[number]
            assert owner == username and status == "submitted" and sorted(docs) == ["denah", "ktp"], \
                (number, status, history(db, number), "app logs: pserve-<port>.log beside the ini")
        # the app processes only enqueued; the indexer process drained the queue
        wait_queue_empty(db)
        result = silat(ini, "index", "verify")
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        if db is not None:
            db.close()
        for process in processes:
            stop(process)
        stop(zeo)


def test_app_transactions_on_zeo_see_every_earlier_commit(tmp_path):
    """silat.read_your_writes: an app process's ZEO client makes a server
    round trip when a transaction begins, so a request never reads data
    older than a write another process had already acknowledged."""
    from pyramid.paster import get_app
    zeo_port = free_port()
    ini = zeo_site(tmp_path, zeo_port)
    zeo = start_zeo(tmp_path / "var", zeo_port)
    app = db = None
    try:
        app = get_app(ini)
        storage = app.registry._zodb_databases[""].storage
        assert storage.server_sync is True and storage.sync == storage.ping
        db = zeo_db(zeo_port, tmp_path / "var")          # another process's client
        with db.transaction() as conn:
            conn.root()["probe"] = 1
        with app.registry._zodb_databases[""].transaction() as conn:
            assert conn.root()["probe"] == 1
    finally:
        if db is not None:
            db.close()
        if app is not None:
            for database in app.registry._zodb_databases.values():
                database.close()
        stop(zeo)
