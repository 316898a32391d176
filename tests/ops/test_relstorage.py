"""The app's storage-facing behaviour on RelStorage + PostgreSQL: a private
cluster (Debian's postgresql, installed when absent) in a temp dir on a free port."""
import threading
import uuid

import pytest
import webtest
from pyramid.paster import get_app

from silat.cli.main import main as cli
from silat.intake import numbering
from silat.ops.jobs import Runner
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers, pdf_bytes
from tests.ops.helpers import ETC, dossiers, make_site, prepare
from tests.ops.postgres import Cluster, pg_bin


@pytest.fixture(scope="module")
def cluster():
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL cannot be installed here (no initdb, and apt-get "
                    "install postgresql failed or is not allowed): RelStorage not tested")
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def ini(cluster, tmp_path):
    """A copy of etc/relstorage.ini on a fresh database of the cluster."""
    name = "silat_" + uuid.uuid4().hex[:8]
    cluster.create_database(name)
    ini = make_site(tmp_path, "relstorage.ini")
    text = (tmp_path / "etc" / "relstorage.ini").read_text()
    text = text.replace("silat.search.indexer = external", "silat.search.indexer = inline")
    text = text.replace("silat.secure_cookies = true", "silat.secure_cookies = false")
    (tmp_path / "etc" / "relstorage.ini").write_text(text)
    conf = (ETC / "relstorage.conf").read_text()
    conf = conf.replace("/srv/silat/var/blobcache", str(tmp_path / "var" / "blobcache"))
    conf = conf.replace("dbname='silat' user='silat' host='127.0.0.1' port='5432' password='change-me'",
                        cluster.dsn(name))
    (tmp_path / "etc" / "relstorage.conf").write_text(conf)
    return ini


def test_numbers_stay_distinct_under_concurrent_commits(ini):
    assert cli(["-c", ini, "init"]) == 0
    app = get_app(ini, "main")
    db = app.registry._zodb_databases[""]
    taken, errors = [], []

    def work():
        try:
            for _ in range(10):
                taken.append(numbering.take(db, 2031))
        except Exception as exc:      # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.close()
    assert not errors
    assert len(taken) == len(set(taken)) == 60
    assert max(taken) == "SILAT-2031-000060"


def test_site_on_relstorage_submissions_blobs_history_index_jobs_pack(ini, capsys):
    assert cli(["-c", ini, "init"]) == 0
    app = get_app(ini, "main")
    db = app.registry._zodb_databases[""]
    users = ["pemohon1", "pemohon2"]
    service = prepare(db, users)
    acknowledged, errors = [], []

    def work(username):
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        headers = api_headers(client, username, "Rahasia-2026x")
        try:
            for _ in range(3):
                created = client.post_json("/api/v1/applications", {
                    "service": service, "applicant": APPLICANT, "location": LOCATION,
                    "fields": FIELDS}, headers=headers)
                number = created.json["registration_number"]
                for key in ("ktp", "denah"):
                    client.put(f"/api/v1/applications/{number}/documents/{key}", headers=headers,
                               upload_files=[("file", "a.pdf", pdf_bytes(number))])
                client.post(f"/api/v1/applications/{number}/submit", headers=headers)
                acknowledged.append((username, number))
        except Exception as exc:      # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    found = dossiers(db)
    assert sorted(found) == sorted(n for _u, n in acknowledged) and len(found) == 6
    assert all(s == "submitted" and sorted(d) == ["denah", "ktp"] for _o, s, d in found.values())
    db.close()
    capsys.readouterr()
    assert cli(["-c", ini, "audit", "verify"]) == 0
    assert "6 chains checked, 0 broken" in capsys.readouterr().out
    assert cli(["-c", ini, "index", "verify"]) == 0
    assert cli(["-c", ini, "pack", "--days", "0"]) == 0
    assert cli(["-c", ini, "audit", "verify"]) == 0
    # the jobs lease on RelStorage: two runners at once, one runs the job
    from silat.cli.env import CliEnv
    env = CliEnv(ini)
    try:
        results, barrier = [], threading.Barrier(2)

        def go(holder):
            barrier.wait()
            results.append(Runner(env, holder=holder).run_job("audit-verify", force=True))

        pair = [threading.Thread(target=go, args=(h,)) for h in "ab"]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
        assert sorted(results, key=str) == [0, None]
    finally:
        env.close()
