"""silat backup / restore to a point in time / pack, on a real FileStorage with blobs."""
import os
import time

import webtest
from pyramid.paster import get_app

from silat.cli.main import main as cli
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers, pdf_bytes
from tests.ops.helpers import dossiers, file_db, make_site, prepare


def submit(ini, count, username):
    """Submit ``count`` applications through the API of a freshly opened app."""
    app = get_app(ini, "main")
    db = app.registry._zodb_databases[""]
    try:
        service = prepare(db, [username] if count == 2 else [])
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        headers = api_headers(client, username, "Rahasia-2026x")
        for n in range(count):
            created = client.post_json("/api/v1/applications", {
                "service": service, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS},
                headers=headers)
            number = created.json["registration_number"]
            for key in ("ktp", "denah"):
                client.put(f"/api/v1/applications/{number}/documents/{key}", headers=headers,
                           upload_files=[("file", "a.pdf", pdf_bytes(f"{number} {key}"))])
            client.post(f"/api/v1/applications/{number}/submit", headers=headers)
    finally:
        db.close()


def state(var):
    db = file_db(var)
    try:
        return dossiers(db)
    finally:
        db.close()


def test_backup_change_backup_restore_to_a_point_in_time(tmp_path, capsys):
    site = tmp_path / "site"
    ini = make_site(site, "standalone.ini")
    assert cli(["-c", ini, "init"]) == 0
    submit(ini, 2, "pemohon1")
    first = state(site / "var")
    assert len(first) == 2 and all(len(docs) == 2 for _o, _s, docs in first.values())
    backups = str(tmp_path / "backup")
    assert cli(["-c", ini, "backup", "--full", "--dir", backups]) == 0
    out = capsys.readouterr()
    assert "backup blobs [" in out.err and "5 blob files (5 new)" in out.out    # progress line
    stamp1 = sorted(os.listdir(f"{backups}/sets"))[0]

    time.sleep(1.1)                                   # repozo names its files by the second
    submit(ini, 1, "pemohon1")
    second = state(site / "var")
    assert len(second) == 3
    assert cli(["-c", ini, "backup", "--dir", backups]) == 0
    assert "7 blob files (2 new)" in capsys.readouterr().out          # incremental

    # pack keeps the dossiers' sealed history (the history view reads it, not undo)
    assert cli(["-c", ini, "pack", "--days", "0"]) == 0
    assert cli(["-c", ini, "audit", "verify"]) == 0
    assert "3 chains checked, 0 broken" in capsys.readouterr().out

    for target, date, expected in (("at-first", stamp1, first), ("latest", None, second)):
        to = tmp_path / target
        args = ["-c", ini, "restore", "--dir", backups, "--to", str(to)]
        assert cli(args + (["--date", date] if date else [])) == 0
        assert state(to / "var") == expected
        assert (to / "var" / "secret").read_text() == (site / "var" / "secret").read_text()
    capsys.readouterr()

    restored = make_site(tmp_path / "at-first", "standalone.ini")
    assert cli(["-c", restored, "audit", "verify"]) == 0
    assert "2 chains checked, 0 broken" in capsys.readouterr().out
    assert cli(["-c", restored, "index", "rebuild"]) == 0
    assert cli(["-c", restored, "index", "verify"]) == 0
    # a restore never overwrites data
    assert cli(["-c", ini, "restore", "--dir", backups, "--to", str(tmp_path / "latest")]) == 1
    assert cli(["-c", ini, "restore", "--dir", backups, "--to", str(tmp_path / "x"),
                "--date", "2001-01-01"]) == 1


def test_rotate_key_keeps_every_history_verifiable(tmp_path, capsys):
    ini = make_site(tmp_path, "standalone.ini")
    assert cli(["-c", ini, "init"]) == 0
    submit(ini, 2, "pemohon1")
    secret = tmp_path / "var" / "secret"
    old = secret.read_text()
    assert cli(["-c", ini, "audit", "rotate-key"]) == 0
    assert "2 chains re-sealed" in capsys.readouterr().out
    assert secret.read_text() != old and oct(secret.stat().st_mode & 0o777) == "0o600"
    assert [p.read_text() for p in tmp_path.glob("var/secret.retired-*")] == [old]
    assert cli(["-c", ini, "audit", "verify"]) == 0              # under the new key
    assert "2 chains checked, 0 broken" in capsys.readouterr().out
    submit(ini, 1, "pemohon1")                                   # new entries, new key
    assert cli(["-c", ini, "audit", "verify"]) == 0
    # the old secret no longer verifies: the seals really changed
    (tmp_path / "var" / "secret").write_text(old)
    assert cli(["-c", ini, "audit", "verify"]) == 1
