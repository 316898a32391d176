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
