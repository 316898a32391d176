"""An old database is brought up to date by ``silat evolve``."""

from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat import evolve
from silat.cli.main import main as cli
from silat.resources.site import CONTAINERS, Site, ZODB_ROOT_KEY


def write_ini(tmp_path):
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    ini = tmp_path / "test.ini"
    ini.write_text(f"""[app:main]
use = egg:silat
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
silat.secret_file = {var}/secret
""")
    return ini, var


def make_generation_zero_db(var):
    """A database as the first release wrote it: generation 0, fewer containers."""
    db = DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs")))
    with db.transaction() as conn:
        site = Site("SILAT")
        for name in ("layanan", "opd", "berkas", "pengguna"):
            factory, title = CONTAINERS[name]
            site.add(name, factory(title))
        site.generation = 0
        conn.root()[ZODB_ROOT_KEY] = site
    db.close()


def read_site(var):
    db = DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs"), read_only=True))
    conn = db.open()
    site = conn.root()[ZODB_ROOT_KEY]
    result = site.generation, sorted(site.keys()), getattr(site, "calendar_settings", None) is not None
    conn.close()
    db.close()
    return result


def test_evolve_upgrades_an_old_database(tmp_path, capsys):
    ini, var = write_ini(tmp_path)
    make_generation_zero_db(var)
    assert cli(["-c", str(ini), "evolve", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "generation 0" in out and "pending 1" in out and "pending 2" in out
    assert read_site(var) == (0, ["berkas", "layanan", "opd", "pengguna"], False)

    assert cli(["-c", str(ini), "evolve"]) == 0
    assert f"applied: {[s[0] for s in evolve.STEPS]}" in capsys.readouterr().out
    generation, names, has_calendar = read_site(var)
    assert generation == evolve.LATEST
    assert names == sorted(CONTAINERS)
    assert has_calendar

    assert cli(["-c", str(ini), "evolve"]) == 0     # nothing left to do
    assert "applied" not in capsys.readouterr().out


def test_new_site_starts_at_latest_generation(edit_site):
    with edit_site() as site:
        assert site.generation == evolve.LATEST
        assert evolve.pending(site) == []


def test_evolve_seals_history_written_before_sealing(tmp_path, capsys):
    """Step 5 seals old entries whose chain verifies; a broken chain stays
    unsealed so verification keeps reporting it."""
    from silat.resources import history
    from silat.resources.dossier import Dossier
    ini, var = write_ini(tmp_path)
    assert cli(["-c", str(ini), "init"]) == 0          # configures the key from var/secret
    db = DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs")))
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        for number in ("SILAT-2020-000001", "SILAT-2020-000002"):
            dossier = Dossier(number, "IMB", 1, "pemohon")
            site["berkas"].add(number, dossier)
            for action in ("created", "upload"):
                entry = dossier.history.append("pemohon", action)
                dossier.history._entries[entry["seq"]] = {**entry, "seal": None}   # as before sealing
        broken = site["berkas"]["SILAT-2020-000002"].history._entries
        broken[1] = {**broken[1], "comment": "diubah"}
        site.generation = 4
    db.close()
    assert cli(["-c", str(ini), "evolve"]) == 0
    assert "applied: [5" in capsys.readouterr().out     # later steps may follow
    db = DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs"), read_only=True))
    site = db.open().root()[ZODB_ROOT_KEY]
    assert site["berkas"]["SILAT-2020-000001"].history.verify() is None
    assert site["berkas"]["SILAT-2020-000002"].history.verify() == (0, "entry is not sealed by this site's key")
    assert all(e["seal"] for e in site["berkas"]["SILAT-2020-000001"].history)
    db.close()
    assert history.seal("x") is not None
