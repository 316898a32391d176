"""``silat permits ...`` run in-process against a real FileStorage."""
import pytest

from silat.cli.main import main as cli
from silat.permits.pbb import CsvPbbRecords
from tests.cli_helpers import open_site
from tests.test_evolve import write_ini

GOOD = b"nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n32.75.010.001.002-0123.0,2025,PT Maju Jaya,1250000,2025-06-30\n"
BAD = b"nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n32.75.010.001.002-0123.0,2025,PT Maju Jaya,1250000,2025-06-30\n1234,2025,X,10,2025-01-01\n"


@pytest.fixture
def ini(tmp_path):
    ini, _var = write_ini(tmp_path)
    assert cli(["-c", str(ini), "init"]) == 0
    return str(ini)


def pbb_record(ini):
    db, site = open_site(ini)
    try:
        return CsvPbbRecords().lookup(site, "327501000100201230", 2025)
    finally:
        db.close()


def test_import_pbb_refuses_a_bad_file_whole_and_accepts_a_good_one(ini, tmp_path, capsys):
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(BAD)
    good.write_bytes(GOOD)
    assert cli(["-c", ini, "permits", "import-pbb", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "NOP harus 18 digit" in err and "nothing changed" in err
    assert pbb_record(ini) is None                     # the valid first row was not kept either
    assert cli(["-c", ini, "permits", "import-pbb", str(good), "--dry-run"]) == 0
    assert pbb_record(ini) is None
    assert cli(["-c", ini, "permits", "import-pbb", str(good)]) == 0
    assert "1 row(s) valid, 1 applied" in capsys.readouterr().out
    assert pbb_record(ini)["taxpayer"] == "PT Maju Jaya"


def test_dev_ca_is_made_by_init_once_and_expire_runs_on_an_empty_register(ini, capsys):
    assert cli(["-c", ini, "permits", "dev-ca"]) == 0
    assert "signing certificate present" in capsys.readouterr().out
    assert cli(["-c", ini, "permits", "expire", "--date", "2031-01-01"]) == 0
    assert "0 permit(s) expired" in capsys.readouterr().out
