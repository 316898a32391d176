"""``silat demo --procs 2``: two generator processes on one ZEO server make
the same dossiers as one process, each year's registration numbers in
filing order (every year is one worker's)."""
import datetime as dt

from silat.cli.main import main as cli
from silat.resources.site import ZODB_ROOT_KEY
from silat.demodata.generator import COST, OTHER_COST, plan, share
from tests.cli.test_demo import N, UNTIL, make_site, open_site
from tests.ops.helpers import free_port, silat_ok, start_zeo, stop, zeo_db, zeo_site


def made(site):
    return sorted((d.state, d.service_code, d.applicant["name"], d.location["kelurahan"],
                   d.created.isoformat()) for d in site["berkas"].values()
                  if hasattr(d, "registration_number"))


def test_shares_cover_the_plan_in_order_cut_between_years(tmp_path):
    db, site = open_site(make_site(tmp_path))
    try:
        planned = plan(3000, 5, site, dt.date.fromisoformat(UNTIL))
    finally:
        db.close()
    for procs in (1, 2, 3):
        parts = [share(planned, k, procs) for k in range(procs)]
        assert [p for part in parts for p in part] == planned
        for before, after in zip(parts, parts[1:]):
            assert before[-1].filed.year < after[0].filed.year
        costs = [sum(COST.get(p.state, OTHER_COST) for p in part) for part in parts]
        assert max(costs) < 1.5 * sum(costs) / procs
    few = planned[:3]                  # more workers than dossiers: some get none
    assert [p for k in range(5) for p in share(few, k, 5)] == few


def test_two_processes_on_zeo_make_what_one_process_makes(tmp_path):
    one = make_site(tmp_path / "one")
    assert cli(["-c", one, "demo", "--dossiers", str(N), "--seed", "11", "--until", UNTIL,
                "--batch", "10"]) == 0
    port = free_port()
    ini = zeo_site(tmp_path / "two", port)
    zeo = start_zeo(tmp_path / "two" / "var", port)
    db = None
    try:
        silat_ok(ini, "init", "--demo")
        out = silat_ok(ini, "demo", "--dossiers", str(N), "--seed", "11", "--until", UNTIL,
                       "--batch", "5", "--procs", "2", "--warmup", "4", timeout=600)
        assert f"{N} dossiers in" in out and "in 2 process(es)" in out
        db = zeo_db(port, tmp_path / "two" / "var")
        site = db.open().root()[ZODB_ROOT_KEY]
        parallel = made(site)
        dossiers = [d for d in site["berkas"].values() if hasattr(d, "registration_number")]
        by_year = {}
        for d in dossiers:
            by_year.setdefault(d.registration_number.split("-")[1], []).append(d)
        for year, group in by_year.items():
            numbers = [d.registration_number for d in sorted(group, key=lambda d: d.created)]
            assert numbers == sorted(numbers), year
        from silat.permits.signing import validate_pdf
        from pyramid.paster import get_appsettings
        permits = [d.permit for d in dossiers if d.state == "issued"]
        assert permits and validate_pdf(permits[0].pdf.data(), get_appsettings(ini, "main")).ok
    finally:
        if db is not None:
            db.close()
        stop(zeo)
    sequential_db, sequential = open_site(one)
    try:
        assert parallel == made(sequential)
    finally:
        sequential_db.close()


def test_procs_needs_a_shared_database(tmp_path, capsys):
    ini = make_site(tmp_path)
    assert cli(["-c", ini, "demo", "--dossiers", "4", "--procs", "2"]) == 2
    assert "--procs needs" in capsys.readouterr().err


def test_procs_and_warmup_below_their_minimum_are_refused(tmp_path, capsys):
    ini = make_site(tmp_path)
    for bad in (["--procs", "0"], ["--procs", "-2"], ["--warmup", "-1"]):
        assert cli(["-c", ini, "demo", "--dossiers", "4", *bad]) == 2, bad
        assert "must be at least 1" in capsys.readouterr().err
