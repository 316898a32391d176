"""Worklist indexes keep open marks (silat.resources.marks): evolve step 70
turns an older site's sets into marks, requests only mark, and
``silat sweep`` removes what is closed, leaving what is open."""
from BTrees.OOBTree import OOBTree, OOTreeSet
from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat.cli.main import main as cli
from silat.intake.index import intake_index
from silat.permits.registry import registry
from silat.recommendations.services import open_request_numbers, open_requests
from silat.resources import marks
from silat.resources.site import ZODB_ROOT_KEY
from silat.workflow.sla import open_items, watchlist
from tests.test_evolve import write_ini


def _db(var, read_only=False):
    return DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs"), read_only=read_only))


def test_evolve_70_then_sweep_keeps_only_open_work(tmp_path, capsys):
    ini, var = write_ini(tmp_path)
    assert cli(["-c", str(ini), "init"]) == 0
    db = _db(var)
    with db.transaction() as conn:           # as generation 60 kept them
        site = conn.root()[ZODB_ROOT_KEY]
        reg = registry(site)
        reg.worklist["sign"] = OOTreeSet(["SILAT-2026-000001", "SILAT-2026-000002"])
        index = intake_index(site)
        index.by_state["submitted"] = OOTreeSet(["SILAT-2026-000003"])
        agency = site["opd"]["DISTARU"]
        agency.recommendation_requests = OOBTree({"SILAT-2026-000004": None})
        site.generation = 60
    db.close()
    assert cli(["-c", str(ini), "evolve"]) == 0
    assert "applied: [70, 80" in capsys.readouterr().out       # later steps may follow

    db = _db(var)
    with db.transaction() as conn:           # what requests do: mark, never delete
        site = conn.root()[ZODB_ROOT_KEY]
        reg = registry(site)
        assert reg.open_numbers("sign") == ["SILAT-2026-000001", "SILAT-2026-000002"]
        assert intake_index(site).in_state("submitted") == ["SILAT-2026-000003"]
        assert open_request_numbers(site["opd"]["DISTARU"]) == ["SILAT-2026-000004"]
        marks.mark_closed(reg.marks("sign"), "SILAT-2026-000001")
        intake_index(site).move("SILAT-2026-000003", "submitted", "verified")
        marks.mark_closed(open_requests(site["opd"]["DISTARU"]), "SILAT-2026-000004")
        marks.mark_open(watchlist(site), "/berkas/SILAT-2026-000005")
        marks.mark_closed(watchlist(site), "/berkas/SILAT-2026-000005")
        assert len(reg.marks("sign")) == 2 and reg.open_numbers("sign") == ["SILAT-2026-000002"]
    db.close()

    assert cli(["-c", str(ini), "sweep"]) == 0
    out = capsys.readouterr().out
    assert "izin:sign: 1 closed marks removed" in out and "sweep: 4 closed marks removed" in out

    db = _db(var, read_only=True)
    site = db.open().root()[ZODB_ROOT_KEY]
    assert list(registry(site).marks("sign").items()) == [("SILAT-2026-000002", marks.OPEN)]
    index = intake_index(site)
    assert list(index.by_state["submitted"].items()) == []
    assert index.in_state("verified") == ["SILAT-2026-000003"]
    assert list(open_requests(site["opd"]["DISTARU"]).items()) == []
    assert list(site.sla_watch.items()) == [] and open_items(site) == []
    db.close()
    assert cli(["-c", str(ini), "sweep"]) == 0
    assert "sweep: 0 closed marks removed" in capsys.readouterr().out
