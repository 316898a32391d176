"""``silat sla check`` and ``silat audit verify`` on a real FileStorage."""
import datetime as dt

import pytest
import transaction
from pyramid.registry import Registry
from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat.cli.main import main as cli
from silat.resources.history import entry_hash
from silat.resources.site import ZODB_ROOT_KEY
from silat.workflow import sla, transition
from silat.workflow.calendar import WIB
from tests.test_evolve import write_ini
from tests.workflow.conftest import WORKING, add_revision, new_dossier

QUIET = Registry("quiet")     # transitions taken here tell nobody (no subscribers)


def at(y, m, d):
    return dt.datetime(y, m, d, 9, 0, tzinfo=WIB)


@pytest.fixture
def ini(tmp_path, smtp_sink):
    ini, var = write_ini(tmp_path)
    with open(ini, "a") as out:
        out.write(f"mail.host = 127.0.0.1\nmail.port = {smtp_sink.controller.port}\n")
    assert cli(["-c", str(ini), "init", "--demo"]) == 0
    return str(ini)


class Stored:
    """The site of the ini's Data.fs, opened directly (the CLI must not run meanwhile)."""

    def __init__(self, ini):
        var = ini.rsplit("/", 1)[0] + "/var"
        self.db = DB(FileStorage(f"{var}/Data.fs", blob_dir=f"{var}/blobs"))
        self.tm = transaction.TransactionManager(explicit=True)
        self.conn = self.db.open(self.tm)
        self.tm.begin()
        self.site = self.conn.root()[ZODB_ROOT_KEY]

    def close(self, commit=True):
        self.tm.commit() if commit else self.tm.abort()
        self.conn.close()
        self.db.close()


def submitted(site, number, revision, started):
    dossier = new_dossier(site, number, revision=revision)
    transition(dossier, "submit", registry=QUIET, check_permission=False, actor="pemohon")
    sla.start(dossier, now=started)
    return dossier


def test_sla_check_notifies_each_mark_once(ini, smtp_sink, capsys):
    stored = Stored(ini)
    revision = add_revision(stored.site, completion_time=WORKING)
    submitted(stored.site, "SILAT-2026-000501", revision, at(2026, 3, 10))   # due 31 March
    review = submitted(stored.site, "SILAT-2026-000502", revision, at(2026, 3, 10))
    review.checklist = {r.key: {"valid": True} for r in review.requirements()}
    for name in ("verify", "request_review"):
        transition(review, name, registry=QUIET, check_permission=False, actor="verifikator")
    from silat.security.principals import agency_principal
    from silat.workflow.history import grant_local_role
    grant_local_role(review, agency_principal("DISTARU"), "reviewer", "verifikator")
    assert sla.request_budget(review, "DISTARU", 0.5, now=at(2026, 3, 11)) == dt.date(2026, 3, 25)
    stored.close()

    assert cli(["-c", ini, "sla", "check", "--today", "2026-03-30"]) == 0
    out = capsys.readouterr().out
    assert "SILAT-2026-000501: due_soon" in out and "SILAT-2026-000502: overdue:DISTARU" in out
    first = smtp_sink.wait(4)
    got = sorted((m["to"][0], m["subject"]) for m in first)
    assert got == [
        ("kepala.distaru@demo.silat.invalid", "Melewati batas waktu: Permohonan SILAT-2026-000502"),
        ("opd.distaru@demo.silat.invalid", "Melewati batas waktu: Permohonan SILAT-2026-000502"),
        ("pengawas@demo.silat.invalid", "Melewati batas waktu: Permohonan SILAT-2026-000502"),
        ("verifikator@demo.silat.invalid", "Mendekati batas waktu: Permohonan SILAT-2026-000501"),
    ]
    assert "31-03-2026" in [m for m in first if "000501" in m["subject"]][0]["body"]

    assert cli(["-c", ini, "sla", "check", "--today", "2026-03-30"]) == 0     # nothing new
    assert "0 new marks" in capsys.readouterr().out
    assert len(smtp_sink.wait(5, timeout=0.5)) == 4

    assert cli(["-c", ini, "sla", "check", "--today", "2026-04-01"]) == 0
    assert "SILAT-2026-000501: overdue" in capsys.readouterr().out
    later = sorted((m["to"][0], m["subject"]) for m in smtp_sink.wait(6)[4:])
    assert later == [
        ("pengawas@demo.silat.invalid", "Melewati batas waktu: Permohonan SILAT-2026-000501"),
        ("verifikator@demo.silat.invalid", "Melewati batas waktu: Permohonan SILAT-2026-000501"),
    ]
    assert cli(["-c", ini, "sla", "check", "--today", "2026-04-02"]) == 0
    assert "0 new marks" in capsys.readouterr().out


def test_audit_verify_reports_a_tampered_stored_entry(ini, capsys):
    stored = Stored(ini)
    dossier = new_dossier(stored.site, "SILAT-2026-000601")
    transition(dossier, "withdraw", registry=QUIET, check_permission=False, actor="pemohon",
               comment="Salah pilih layanan")
    new_dossier(stored.site, "SILAT-2026-000602")
    stored.close()
    assert cli(["-c", ini, "audit", "verify"]) == 0
    assert "2 chains checked, 0 broken" in capsys.readouterr().out

    stored = Stored(ini)            # someone edits the stored comment of entry #2
    entries = stored.site["berkas"]["SILAT-2026-000601"].history._entries
    assert entries[2]["action"] == "transition"
    entries[2] = {**entries[2], "comment": "Atas permintaan petugas"}
    stored.close()
    assert cli(["-c", ini, "audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert "BROKEN /berkas/SILAT-2026-000601: first broken entry #2 (entry content was changed)" \
        in captured.err
    assert "2 chains checked, 1 broken" in captured.out

    stored = Stored(ini)            # put it back, then forge entry #1 with a recomputed hash
    entries = stored.site["berkas"]["SILAT-2026-000601"].history._entries
    entries[2] = {**entries[2], "comment": "Salah pilih layanan"}
    original = dict(entries[1])
    forged = {**entries[1], "comment": "diberikan oleh admin"}
    forged["hash"] = entry_hash(forged)
    entries[1] = forged
    stored.close()
    assert cli(["-c", ini, "audit", "verify"]) == 1
    assert "first broken entry #1 (entry is not sealed by this site's key)" in capsys.readouterr().err

    stored = Stored(ini)            # the last entry rewritten, hash recomputed: only the seal tells
    entries = stored.site["berkas"]["SILAT-2026-000601"].history._entries
    entries[1] = original
    last = {**entries[2], "comment": "Atas permintaan petugas"}
    last["hash"] = entry_hash(last)
    entries[2] = last
    stored.close()
    assert cli(["-c", ini, "audit", "verify"]) == 1
    assert "first broken entry #2 (entry is not sealed by this site's key)" in capsys.readouterr().err

    stored = Stored(ini)            # removing an entry breaks the sequence
    history = stored.site["berkas"]["SILAT-2026-000602"].history
    del history._entries[0]
    stored.close()
    assert cli(["-c", ini, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "BROKEN /berkas/SILAT-2026-000602: first broken entry #1 (sequence gap or reordering)" in err
