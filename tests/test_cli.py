"""The ``silat`` console script, run in-process on a real FileStorage."""
import io
import subprocess
import sys

import pytest

from silat.cli.main import main as cli
from tests.cli_helpers import open_site
from tests.test_evolve import write_ini


@pytest.fixture
def ini(tmp_path):
    ini, _var = write_ini(tmp_path)
    assert cli(["-c", str(ini), "init"]) == 0
    return str(ini)


def create(ini, monkeypatch, *args, password="Rahasia-2026x"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return cli(["-c", ini, "create-user", *args, "--password-stdin"])


def test_create_user_with_case_insensitive_role_and_agency(ini, monkeypatch, capsys):
    assert create(ini, monkeypatch, "siti", "--role", "PETUGAS opd", "--agency", "dinkes",
                  "--title", "Siti") == 0
    assert "created siti (petugas_opd @ DINKES)" in capsys.readouterr().out
    assert create(ini, monkeypatch, "rudi", "--role", "verifikator", "--role", "Arsiparis") == 0
    db, site = open_site(ini)
    try:
        assert site["pengguna"]["siti"].agency == "DINKES"
        assert site["pengguna"]["siti"].check_password("Rahasia-2026x")
        assert site["pengguna"]["rudi"].roles == ("arsiparis", "verifikator")
    finally:
        db.close()


@pytest.mark.parametrize("args,password,message", [
    (("weak", "--role", "pemohon"), "12345", "minimal 10 karakter"),
    (("weak", "--role", "pemohon"), "password123", "terlalu mudah ditebak"),
    (("weak", "--role", "pemohon"), "hanyahurufsaja", "huruf dan angka"),
    (("weak", "--role", "pemohon"), "weak2026weak", "nama pengguna"),
    (("x", "--role", "kepala opd"), "Rahasia-2026x", "harus terikat pada satu OPD"),
    (("x", "--role", "raja"), "Rahasia-2026x", "Peran tidak dikenal"),
    (("x", "--role", "pemohon", "--agency", "NOPE"), "Rahasia-2026x", "Kode OPD tidak dikenal"),
    (("bad name!", "--role", "pemohon"), "Rahasia-2026x", "Nama pengguna hanya boleh"),
])
def test_create_user_refusals_store_nothing(ini, monkeypatch, capsys, args, password, message):
    assert create(ini, monkeypatch, *args, password=password) == 1
    assert message in capsys.readouterr().err
    db, site = open_site(ini)
    try:
        assert len(site["pengguna"]) == 0
    finally:
        db.close()


def test_duplicate_username_is_refused(ini, monkeypatch, capsys):
    assert create(ini, monkeypatch, "sama", "--role", "pemohon") == 0
    assert create(ini, monkeypatch, "SAMA", "--role", "admin") == 1
    assert "sudah dipakai" in capsys.readouterr().err


def test_init_is_idempotent_and_prints_demo_accounts(ini, capsys):
    assert cli(["-c", ini, "init", "--demo"]) == 0
    first = capsys.readouterr().out
    assert "Demo accounts" in first and "kepala.dinkes" in first and "silat-demo-2026" in first
    assert cli(["-c", ini, "init", "--demo"]) == 0
    second = capsys.readouterr().out
    assert "0 added" in second
    db, site = open_site(ini)
    try:
        assert len(site["pengguna"]) == 12
    finally:
        db.close()


def test_console_script_is_installed_and_reports_a_missing_ini(tmp_path):
    result = subprocess.run([sys.executable, "-m", "silat.cli.main", "-c", str(tmp_path / "none.ini"), "evolve"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "ini file not found" in result.stderr
