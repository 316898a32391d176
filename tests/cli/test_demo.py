"""``silat demo``: deterministic, realistic dossiers through the real code
paths, on fresh FileStorage sites made from a copy of etc/standalone.ini."""
import collections
import datetime as dt
import os
import shutil

import pytest
import transaction
import webtest
from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat.cli.main import main as cli
from silat.resources.site import ZODB_ROOT_KEY

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UNTIL = "2026-11-30"
N = 40


def make_site(path):
    (path / "etc").mkdir(parents=True)
    (path / "var").mkdir()
    ini = path / "etc" / "standalone.ini"
    shutil.copy(os.path.join(ROOT, "etc", "standalone.ini"), ini)
    assert cli(["-c", str(ini), "init", "--demo"]) == 0
    return str(ini)


def open_site(ini):
    var = ini.rsplit("/etc/", 1)[0] + "/var"
    db = DB(FileStorage(f"{var}/Data.fs", blob_dir=f"{var}/blobs", read_only=True))
    return db, db.open().root()[ZODB_ROOT_KEY]


def rows(ini):
    db, site = open_site(ini)
    try:
        return sorted((d.registration_number, d.state, d.service_code, d.applicant["name"],
                       d.location["kelurahan"])
                      for d in site["berkas"].values() if hasattr(d, "registration_number"))
    finally:
        db.close()


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    inis = []
    for name in ("a", "b"):
        ini = make_site(tmp_path_factory.mktemp(f"demo-{name}"))
        assert cli(["-c", ini, "demo", "--dossiers", str(N), "--seed", "11", "--until", UNTIL,
                    "--batch", "10"]) == 0
        inis.append(ini)
    return inis


def test_same_seed_gives_the_same_dossiers(two_sites):
    first, second = rows(two_sites[0]), rows(two_sites[1])
    assert len(first) == N
    assert first == second
    assert len({r[2] for r in first}) > 5          # several services
    assert len({r[3] for r in first}) > N // 2     # many applicants


def test_every_dossier_reaches_its_planned_state_with_dated_history(two_sites):
    from silat.demodata.generator import plan
    from silat.permits import pbb
    db, site = open_site(two_sites[0])
    try:
        planned = plan(N, 11, site, dt.date.fromisoformat(UNTIL))
        # every dossier ends where the plan said, the plan being filed in date order
        made = sorted((d for d in site["berkas"].values() if hasattr(d, "registration_number")),
                      key=lambda d: d.registration_number)
        by_year = collections.defaultdict(list)
        for p in planned:
            by_year[p.filed.year].append(p)
        states = collections.Counter(d.state for d in made)
        assert states == collections.Counter(p.state for p in planned)
        for d in made:
            year = int(d.registration_number.split("-")[1])
            assert d.created.year == year
            stamps = [e["at"] for e in d.history]
            assert stamps == sorted(stamps)
            assert stamps[-1] <= UNTIL + "T23:59"
            if d.state == "issued" and pbb.requires_pbb(d):
                assert pbb.pbb_settled(d) and d.pbb_check["record"]["nop"] == d.pbb_check["nop"]
            if d.state != "draft" and [r for r in d.requirements() if r.provided_by == "applicant"]:
                assert len(d["dokumen"])
        assert any(d.state == "issued" and pbb.requires_pbb(d) for d in made)   # IMB leads
        from silat.permits.registry import registry
        permits = list(registry(site).by_number.values())
        assert len(permits) == states["issued"]
        assert {p.__parent__.state for p in permits} == ({"issued"} if permits else set())
        assert min(d.created for d in made).year <= 2020      # spread over ten years
    finally:
        db.close()


def test_state_proportions_of_the_plan(two_sites):
    """At scale every workflow stage appears in its proportion (awaiting
    payment only where a fee is configured: one revision here)."""
    from silat.catalog.fees import make_rule
    from silat.demodata.generator import STATES, plan
    var = two_sites[0].rsplit("/etc/", 1)[0] + "/var"
    db = DB(FileStorage(f"{var}/Data.fs", blob_dir=f"{var}/blobs"))
    try:
        tm = transaction.TransactionManager()
        conn = db.open(transaction_manager=tm)
        site = conn.root()[ZODB_ROOT_KEY]
        fields = site["layanan"]["IMB"].current.fields()
        fields["fee"] = make_rule({"kind": "formula", "formula": "luas_bangunan * 1000"})
        site["layanan"]["IMB"].add_revision(fields, dt.date(2016, 1, 1), "test", "demo fee")
        n = 4000
        counts = collections.Counter(p.state for p in plan(n, 3, site, dt.date(2026, 11, 30)))
        tm.abort()
        conn.close()
    finally:
        db.close()
    total = sum(w for _s, w in STATES)
    assert set(counts) == {s for s, _w in STATES}
    for state, weight in STATES:
        expected = n * weight / total
        assert abs(counts[state] - expected) < 4 * expected ** 0.5 + 5, (state, counts[state])


def test_generated_site_verifies_searches_and_shows_permits(two_sites):
    ini = two_sites[0]
    assert cli(["-c", ini, "audit", "verify"]) == 0
    from pyramid.paster import get_app
    app = get_app(ini, "main")
    try:
        testapp = webtest.TestApp(app)
        db = app.registry._zodb_databases[""]
        conn = db.open()
        site = conn.root()[ZODB_ROOT_KEY]
        from silat.permits.registry import registry
        permits = list(registry(site).by_number.values())
        assert permits
        permit = permits[0]
        number, token = permit.number, permit.token
        holder_nik = permit.__parent__.applicant["identity_number"]
        from silat.permits.signing import validate_pdf
        assert validate_pdf(permit.pdf.data(), app.registry.settings).ok
        conn.close()
        page = testapp.get(f"/verifikasi/{token}")
        assert number in page.text
        found = testapp.get("/api/v1/permits", {"q": f'nomor:"{number}"'}).json
        assert found["items_total"] == 1
        assert found["items"][0]["permit_number"] == number
        # personal data stays off the public verification page
        assert holder_nik not in page.text
        # officers find generated dossiers and open their pages, in every state
        from tests.web import api_token, bearer, login
        from silat.cli.demo import DEMO_PASSWORD
        token = api_token(testapp, "verifikator", DEMO_PASSWORD)
        conn = db.open()
        site = conn.root()[ZODB_ROOT_KEY]
        by_state = {}
        for d in site["berkas"].values():
            if hasattr(d, "registration_number"):
                by_state.setdefault(d.state, d)
        samples = [(d.registration_number, d.applicant["name"]) for d in by_state.values()]
        conn.close()
        number, name = samples[0]
        found = testapp.get("/api/v1/search", {"q": name, "size": 100},
                            headers=bearer(token)).json
        assert found["items_total"] >= 1
        assert number in str(found["items"])
        login(testapp, "admin", DEMO_PASSWORD)
        for number, _name in samples:
            assert number in testapp.get(f"/berkas/{number}").text
    finally:
        app.registry._zodb_databases[""].close()


def test_refuses_an_empty_catalog_and_a_bad_count(tmp_path, capsys):
    (tmp_path / "etc").mkdir()
    (tmp_path / "var").mkdir()
    ini = tmp_path / "etc" / "standalone.ini"
    shutil.copy(os.path.join(ROOT, "etc", "standalone.ini"), ini)
    assert cli(["-c", str(ini), "demo", "--dossiers", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
    assert cli(["-c", str(ini), "demo", "--dossiers", "3"]) == 2
    assert "run 'silat init' first" in capsys.readouterr().err


def test_commits_are_synced_once_at_the_end(tmp_path, monkeypatch):
    """FileStorage's fsync of each commit (three or four side transactions
    per dossier) is left out during the run, the disks are synced once at
    its end, and FileStorage syncs every commit again afterwards."""
    import importlib
    filestorage = importlib.import_module("ZODB.FileStorage.FileStorage")
    ini = make_site(tmp_path)
    fsyncs, syncs = [], []
    monkeypatch.setattr(filestorage, "fsync", lambda fd: fsyncs.append(fd) or os.fsync(fd))
    real_sync = os.sync
    monkeypatch.setattr(os, "sync", lambda: syncs.append(len(fsyncs)) or real_sync())
    assert cli(["-c", ini, "demo", "--dossiers", "6", "--seed", "3", "--until", UNTIL,
                "--batch", "2"]) == 0
    assert syncs == [0] and fsyncs == []
    var = ini.rsplit("/etc/", 1)[0] + "/var"
    db = DB(FileStorage(f"{var}/Data.fs", blob_dir=f"{var}/blobs"))
    try:
        conn = db.open()
        assert len([d for d in conn.root()[ZODB_ROOT_KEY]["berkas"].values()
                    if hasattr(d, "registration_number")]) == 6
        conn.root()["probe"] = 1
        transaction.commit()
        assert len(fsyncs) == 1
    finally:
        db.close()


def test_generated_documents_pass_inspection_and_read_back(tmp_path):
    """The applicants' documents are real PDFs: accepted by the upload
    check and read back, every line, by the search index's extractor."""
    import io
    from types import SimpleNamespace

    from silat.demodata.generator import pdf_document
    from silat.intake import uploads
    from silat.search.extract import pdf_text
    applicant = {"name": "Siti Aminah", "address": "Jl. Melati No. 3 (belakang), Margahayu"}
    data = pdf_document("SILAT-2026-000042", applicant,
                        SimpleNamespace(name="Surat Pernyataan Kebenaran Data"))
    inspected = uploads.inspect(io.BytesIO(data), "pernyataan.pdf", 10 ** 6, ("pdf",),
                                tmp_dir=str(tmp_path))
    try:
        assert inspected.mime == "application/pdf" and inspected.size == len(data)
    finally:
        inspected.discard()
    assert pdf_text(io.BytesIO(data)) == (
        "Surat Pernyataan Kebenaran Data Berkas SILAT-2026-000042 - Siti Aminah "
        "Alamat: Jl. Melati No. 3 (belakang), Margahayu Dokumen contoh (data demo SILAT).")
