"""``silat catalog load|export`` and ``silat init``."""
import pytest
import yaml

from silat.catalog import loader, reference
from silat.cli.main import main as cli
from tests.test_cli import open_site
from tests.test_evolve import write_ini


@pytest.fixture
def ini(tmp_path):
    path, _var = write_ini(tmp_path)
    return str(path)


def test_init_loads_the_whole_catalog_and_is_idempotent(ini, capsys):
    assert cli(["-c", ini, "init"]) == 0
    first = capsys.readouterr().out
    total = len(loader.read_data("services.yaml")) + len(loader.read_data("agencies.yaml"))
    assert f"catalog: {total} added" in first
    assert cli(["-c", ini, "catalog", "load", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing stored" in out and f"{total} unchanged" in out
    assert cli(["-c", ini, "init"]) == 0
    assert f"0 added, 0 updated from the seed, {total} unchanged" in capsys.readouterr().out
    db, site = open_site(ini)
    try:
        assert len(site["layanan"]) == len(loader.read_data("services.yaml"))
        # one seed revision each, plus one for the services given reference facts
        given = {c for c, s in site["layanan"].items() if s.latest.author == reference.AUTHOR}
        assert given <= set(reference.facts()) and len(given) == 22
        assert all(len(s.revisions) == (2 if code in given else 1)
                   for code, s in site["layanan"].items())
    finally:
        db.close()


def test_export_round_trips(ini, tmp_path, capsys):
    assert cli(["-c", ini, "init"]) == 0
    out_dir = tmp_path / "ekspor"
    assert cli(["-c", ini, "catalog", "export", "-o", str(out_dir)]) == 0
    assert "exported" in capsys.readouterr().out
    services = yaml.safe_load((out_dir / "services.yaml").read_text("utf-8"))
    imb = next(s for s in services if s["code"] == "IMB")
    assert imb["completion_time"] == {"amount": 14, "unit": "days"}
    assert imb["recommendations_from"] == ["DISTARU"]
    agencies = yaml.safe_load((out_dir / "agencies.yaml").read_text("utf-8"))
    assert {"DISTARU", "DPMPTSP", "BAPENDA"} <= {a["code"] for a in agencies}
    # loading the export back changes nothing
    assert cli(["-c", ini, "catalog", "load", "--from", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 updated from the seed" in out and "0 differ" in out
    assert cli(["-c", ini, "catalog", "export"]) == 0
    whole = yaml.safe_load(capsys.readouterr().out)
    assert len(whole["services"]) == len(services)


def test_load_from_a_missing_directory_fails_cleanly(ini, tmp_path, capsys):
    assert cli(["-c", ini, "catalog", "load", "--from", str(tmp_path / "tidak-ada")]) == 1
    assert "silat:" in capsys.readouterr().err
