"""Due dates in Indonesian working days: real 2026 holidays, a pause while
the dossier is back with the applicant, each agency's own budget, and the
marks worklists show."""
import datetime as dt

from silat.workflow import sla
from silat.workflow.calendar import WIB, local_date
from tests.workflow.conftest import WORKING, add_revision, new_dossier
from tests.workflow.test_api_walk import post

D = dt.date


def at(day, hour=9):
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WIB)


def test_due_date_across_lebaran_with_a_pause(app, seeded, edit_site):
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        dossier = new_dossier(site, "SILAT-2026-000401", revision=revision)
        # Tue 10 March + 10 working days: 11-13, 16, 17, then Nyepi, Idul Fitri and
        # their cuti bersama (18-24 March) -> 25-27, 30, 31 March
        sla.start(dossier, now=at(D(2026, 3, 10)))
        assert dossier.due_date == D(2026, 3, 31)
        assert sla.sla_status(dossier, D(2026, 3, 11)) == ("ok", 10 - 1)
        # back with the applicant Thu 12 to Thu 26 March: 5 working days stood still
        sla.pause(dossier, now=at(D(2026, 3, 12), 10))
        assert sla.sla_status(dossier, D(2026, 3, 20)) == ("paused", 8)
        sla.resume(dossier, now=at(D(2026, 3, 26), 10))
        # 31 March + 5 working days: 1, 2 April, (Good Friday 3 April, weekend) 6, 7, 8 April
        assert dossier.due_date == D(2026, 4, 8)
        assert dossier.sla.pauses == ((at(D(2026, 3, 12), 10), at(D(2026, 3, 26), 10)),)
        assert sla.sla_status(dossier, D(2026, 4, 1)) == ("ok", 4)
        assert sla.sla_status(dossier, D(2026, 4, 6)) == ("due_soon", 2)
        assert sla.sla_status(dossier, D(2026, 4, 6), due_soon=1) == ("ok", 2)
        assert sla.sla_status(dossier, D(2026, 4, 8)) == ("due_soon", 0)
        assert sla.sla_status(dossier, D(2026, 4, 10)) == ("overdue", -2)

        # each agency: half the budget from the request, never past the whole
        assert sla.request_budget(dossier, "DISTARU", 0.5, now=at(D(2026, 3, 26))) == D(2026, 4, 2)
        assert sla.request_budget(dossier, "DINKES", 1.0, now=at(D(2026, 3, 26))) == D(2026, 4, 8)
        assert dossier.sla.agency_due == {"DISTARU": D(2026, 4, 2), "DINKES": D(2026, 4, 8)}
        assert sla.agency_status(dossier, "DISTARU", D(2026, 4, 6)) == ("overdue", -1)
        assert sla.agency_status(dossier, "DINKES", D(2026, 4, 6)) == ("due_soon", 2)

        sla.stop(dossier, now=at(D(2026, 4, 7)))
        assert sla.sla_status(dossier, D(2026, 4, 10)) == (None, None)
        assert not site.sla_watch.get("/berkas/SILAT-2026-000401")     # its clock stopped


def test_admin_day_off_moves_the_due_date(app, seeded, edit_site):
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        dossier = new_dossier(site, "SILAT-2026-000402", revision=revision)
        site.calendar_settings.days_off[D(2026, 3, 13)] = "Libur daerah (uji)"
        sla.start(dossier, now=at(D(2026, 3, 10)))
        assert dossier.due_date == D(2026, 4, 1)


def test_transitions_drive_the_clock(testapp, make_dossier, tokens, edit_site):
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
    number = make_dossier("SILAT-2026-000403", revision=revision)
    owner, verifier = tokens("pemohon"), tokens("verifikator")
    res = post(testapp, owner, number, "submit").json
    with edit_site() as site:
        dossier = site["berkas"][number]
        from silat.workflow.calendar import calendar_for
        start = local_date(dossier.sla.started_at)
        assert res["due_date"] == calendar_for(site).add_working_days(start, 10).isoformat()
        assert res["sla"]["mark"] == "ok" and res["sla"]["remaining_working_days"] == 10
        mark_invalid = {r.key: {"valid": False, "reason": "x"} for r in dossier.requirements()}
        dossier.checklist = mark_invalid
    res = post(testapp, verifier, number, "return", "Perbaiki").json
    assert res["sla"]["mark"] == "paused"
    with edit_site() as site:
        assert site["berkas"][number].sla.paused
    assert post(testapp, owner, number, "resubmit").json["sla"]["mark"] == "ok"
    with edit_site() as site:
        clock = site["berkas"][number].sla
        assert not clock.paused and len(clock.pauses) == 1


def test_watch_list_paths_resolve_as_find_resource_does():
    """sla._resolve (the supervisor's page) finds what find_resource finds,
    every name a folder allows, and raises KeyError for a missing one."""
    from pyramid.traversal import find_resource, resource_path
    from silat.resources.folder import Folder
    import pytest
    from silat.workflow.sla import _resolve
    root = Folder("root")
    root.add("berkas", Folder("Berkas"))
    for name in ("SILAT-2026-000001", "PGD-2026-0001", "kb@v1.2"):
        root["berkas"].add(name, Folder(name))
        path = resource_path(root["berkas"][name])
        assert _resolve(root, path) is find_resource(root, path) is root["berkas"][name]
    for missing in ("/berkas/SILAT-2026-999999", "/nope/x"):
        with pytest.raises(KeyError):
            _resolve(root, missing)
        with pytest.raises(KeyError):
            find_resource(root, missing)


def test_due_list_follows_the_earliest_due_date(app, seeded, edit_site):
    """The due list (the supervisors' page reads it) holds each running
    clock once, under its earliest due date (the whole or an agency's)."""
    from silat.resources import marks

    def listed(site):
        return [key for key, value in site.sla_due.items() if value != marks.CLOSED]

    path = "/berkas/SILAT-2026-000403"
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        dossier = new_dossier(site, "SILAT-2026-000403", revision=revision)
        sla.start(dossier, now=at(D(2026, 3, 10)))
        assert listed(site) == [("2026-03-31", path)]
        sla.pause(dossier, now=at(D(2026, 3, 12), 10))
        sla.resume(dossier, now=at(D(2026, 3, 26), 10))
        assert listed(site) == [("2026-04-08", path)]
        sla.request_budget(dossier, "DISTARU", 0.5, now=at(D(2026, 3, 26)))
        assert listed(site) == [("2026-04-02", path)]
        assert [o.__name__ for o in sla.due_before(site, D(2026, 4, 2))] == []
        assert [o.__name__ for o in sla.due_before(site, D(2026, 4, 3))] == ["SILAT-2026-000403"]
        sla.stop(dossier, now=at(D(2026, 4, 7)))
        assert listed(site) == [] and sla.due_before(site, D(2027, 1, 1)) == []


def test_evolve_step_80_lists_the_running_clocks(app, seeded, edit_site):
    from silat.evolve import steps
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        dossier = new_dossier(site, "SILAT-2026-000404", revision=revision)
        del site.sla_due                              # a site before step 80
        sla.start(dossier, now=at(D(2026, 3, 10)))
        assert sla.due_before(site, D(2027, 1, 1)) is None
        steps.open_marks(site)                        # earlier steps leave it to step 80
        assert getattr(site, "sla_due", None) is None
        steps.index_due_dates(site)
        assert [o.__name__ for o in sla.due_before(site, D(2027, 1, 1))] == ["SILAT-2026-000404"]
        assert dossier.sla.due_key == ("2026-03-31", "/berkas/SILAT-2026-000404")
