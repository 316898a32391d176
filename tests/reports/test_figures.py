"""The dashboard's figures against the constructed dossiers A-H (conftest),
read through the stats API and the dashboard page."""
import transaction

from silat.reports import tallies
from silat.reports.figures import percentile
from silat.workflow.calendar import calendar_for
from tests.reports.conftest import KEC_B, at
from tests.web import login


def text(page, selector):
    return page.html.select_one(selector).get_text(" ", strip=True)


def href(page, selector):
    return page.html.select_one(selector)["href"]


def listed(page):
    return [a.text for a in page.html.select("table.silat-drilldown tbody a")]


def test_october_figures(testapp, dataset, tokens, edit_site):
    with edit_site() as site:     # the timings below assume a plain October
        cal = calendar_for(site)
        assert cal.working_days_between(at(10, 1).date(), at(10, 31).date()) == 21
    f = testapp.get("/api/v1/stats?from=2026-10&to=2026-10", headers=tokens("pengawas")).json
    assert (f["received"], f["issued"], f["rejected"], f["withdrawn"]) == (7, 3, 1, 1)
    assert f["returned"] == 2 and f["returned_rate"] == 28.6           # C and G of 7
    # A 5, B 13, C 9 (14 less 5 paused), D 2 working days
    assert f["working_days"] == {"count": 4, "median": 5, "p90": 13, "mean": 7.2}
    assert (f["on_time"], f["late"], f["on_time_share"]) == (3, 1, 75.0)   # B late; C on time by its pause
    assert f["in_progress"]["in_review"] == 1 and f["in_progress"]["returned"] == 1
    assert f["in_progress_total"] == 2
    assert f["overdue"] == 1 and f["overdue_by_agency"] == {"DPMPTSP": 1}  # F; G is paused
    assert {(b["agency"], b["stage"], b["count"]) for b in f["backlog"]} == {
        ("DISTARU", "in_review", 1), ("DPMPTSP", "returned", 1)}
    assert f["fees"] == {"assessed": 450000, "paid": 450000}
    assert f["recommendation_days"] == [{"agency": "DISTARU", "count": 3, "median": 2, "p90": 10,
                                         "mean": 4.7}]
    assert f["satisfaction"] is None                      # nobody has answered the survey yet
    imb = next(r for r in f["by_service"] if r["service"] == "IMB")
    assert imb["issued"] == 3 and imb["working_days"]["median"] == 5      # A, B, C and D (rejected)


def test_filters_and_periods(testapp, dataset, tokens):
    h = tokens("penandatangan")
    year = testapp.get("/api/v1/stats?from=2026", headers=h).json
    assert (year["received"], year["issued"]) == (8, 4)
    assert [m["month"] for m in year["by_month"]] == ["2026-10", "2026-11"]
    q4 = testapp.get("/api/v1/stats?period=2026-Q4&kecamatan=" + KEC_B, headers=h).json
    assert (q4["received"], q4["issued"], q4["working_days"]["median"]) == (1, 1, 2)
    setda = testapp.get("/api/v1/stats?from=2026-01&to=2026-12&agency=SETDA", headers=h).json
    assert (setda["received"], setda["issued"], setda["in_progress_total"]) == (1, 1, 0)
    front = testapp.get("/api/v1/stats?period=2026-10&channel=loket", headers=h).json
    assert (front["received"], front["rejected"], front["issued"]) == (1, 1, 0)
    sept = testapp.get("/api/v1/stats?period=2026-09", headers=h).json
    assert sept["received"] == 0 and sept["working_days"]["median"] is None
    bad = testapp.get("/api/v1/stats?period=bulan-lalu", headers=h, expect_errors=True)
    assert bad.status_int == 422 and "Periode" in bad.json["error"]["message"]
    bad = testapp.get("/api/v1/stats?from=2026-12&to=2026-01", headers=h, expect_errors=True)
    assert bad.status_int == 422


def test_agency_head_sees_only_their_agency(testapp, dataset, tokens, seeded):
    head = tokens("kepala.distaru")
    own = testapp.get("/api/v1/stats?period=2026", headers=head).json
    assert own["filters"] == {"agency": "DISTARU"}
    assert own["received"] == 0 and own["issued"] == 0          # DISTARU serves none of them
    assert own["backlog"] == [{"agency": "DISTARU", "stage": "in_review", "count": 1}]
    assert [r["agency"] for r in own["recommendation_days"]] == ["DISTARU"]
    other = testapp.get("/api/v1/stats?agency=DPMPTSP", headers=head, expect_errors=True)
    assert other.status_int == 403
    assert testapp.get("/api/v1/stats", headers=tokens("opd.distaru"), expect_errors=True).status_int == 403
    assert testapp.get("/api/v1/stats", headers=tokens("pemohon"), expect_errors=True).status_int == 403
    login(testapp, "kepala.distaru", seeded)
    page = testapp.get("/opd/DISTARU/dasbor?period=2026")
    assert text(page, "#fig-received") == "0"
    assert page.html.select_one("tr[data-agency=DISTARU][data-stage=in_review]")
    assert not page.html.select("tr[data-agency=DPMPTSP]")
    assert text(testapp.get("/opd/DISTARU/dasbor?period=2026&agency=DPMPTSP"), "#fig-received") == "0"
    assert testapp.get("/opd/DINKES/dasbor", expect_errors=True).status_int == 403
    assert testapp.get("/dasbor", expect_errors=True).status_int == 403


def test_dashboard_page_links_and_charts(testapp, dataset, seeded):
    login(testapp, "pengawas", seeded)
    page = testapp.get("/dasbor?from=2026-10&to=2026-10")
    assert text(page, "#fig-received") == "7" and text(page, "#fig-issued") == "3"
    assert text(page, "#fig-overdue") == "1" and text(page, "#fig-on_time_share") == "75.0"
    assert text(page, "#fig-median") == "5" and text(page, "#fig-p90") == "13"
    assert "Belum ada data survei" in text(page, "#fig-satisfaction")
    assert len(page.html.select("svg.silat-chart")) == 2
    assert page.html.select_one("svg.silat-chart title").text == "Dalam proses per tahap"
    assert "IMB" in text(page, "section[data-table=layanan] tbody")
    # every figure links to its list
    issued = testapp.get(href(page, "#fig-issued"))
    assert text(issued, "#list-total") == "3"
    assert sorted(listed(issued)) == [dataset[x] for x in "ABC"]
    assert listed(testapp.get(href(page, "#fig-late"))) == [dataset["B"]]
    assert listed(testapp.get(href(page, "#fig-overdue"))) == [dataset["F"]]
    assert sorted(listed(testapp.get(href(page, "#fig-returned")))) == [dataset["C"], dataset["G"]]
    backlog = href(page, "tr[data-agency=DISTARU][data-stage=in_review] a")
    assert listed(testapp.get(backlog)) == [dataset["F"]]
    returned_now = href(page, "tr[data-agency=DPMPTSP][data-stage=returned] a")
    assert listed(testapp.get(returned_now)) == [dataset["G"]]
    bad = testapp.get("/dasbor?period=xyz", expect_errors=True)
    assert bad.status_int == 400 and "Periode" in bad.text
    assert testapp.get("/dasbor-berkas?metric=nope", expect_errors=True).status_int == 400


def test_drilldown_is_permission_filtered(testapp, dataset, make_user, seeded):
    """A DPMPTSP agency head counts DPMPTSP's dossiers but may open none of them."""
    password = make_user("kepala.dpmptsp", "kepala_opd", agency="DPMPTSP")
    login(testapp, "kepala.dpmptsp", password)
    page = testapp.get("/opd/DPMPTSP/dasbor?period=2026-10")
    assert text(page, "#fig-received") == "7"
    drill = testapp.get(href(page, "#fig-received"))
    assert text(drill, "#list-total") == "7" and text(drill, "#list-hidden") == "7"
    assert not drill.html.select("table.silat-drilldown")
    assert dataset["A"] not in drill.text
    # the same list for the Pengawas shows all seven
    testapp.reset()
    login(testapp, "pengawas", seeded)
    assert len(listed(testapp.get("/dasbor-berkas?metric=received&period=2026-10"))) == 7


def test_drilldown_page_stops_at_its_limit_and_the_export_takes_all(testapp, dataset, seeded,
                                                                   monkeypatch):
    from silat.reports import lists
    monkeypatch.setattr(lists, "LIMIT", 3)
    login(testapp, "pengawas", seeded)
    page = testapp.get("/dasbor-berkas?metric=received&period=2026-10")
    assert len(listed(page)) == 3 and text(page, "#list-total") == "7"
    assert page.html.select_one(".silat-more") is not None and not page.html.select("#list-hidden")
    csv = testapp.get("/dasbor-berkas?metric=received&period=2026-10&format=csv")
    assert len(csv.text.strip().splitlines()) == 1 + 7          # header and every dossier


def test_backfill_gives_the_same_figures(testapp, dataset, tokens, edit_site):
    before = testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json
    with edit_site() as site:
        old_facts = dict(site.report_facts)
        tallies.rebuild(site)
        assert dict(site.report_facts) == old_facts
    after = testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json
    assert after == before


def test_parallel_transitions_merge_their_counts(app, db):
    """Two transactions adding to the same bucket both commit (conflict resolution)."""
    tms = [transaction.TransactionManager(explicit=True) for _ in range(2)]
    conns = [db.open(transaction_manager=tm) for tm in tms]
    try:
        with tms[0]:
            site = conns[0].root()["silat"]
            tallies.apply(site, [(("e", "2026-10", "X", "A", "K", "daring"), "received", 1)])
        for tm in tms:
            tm.begin()                       # both now see the same committed state
        sites = [conn.root()["silat"] for conn in conns]
        key = ("e", "2026-10", "X", "A", "K", "daring")
        tallies.apply(sites[0], [(key, "received", 1), (key, "days:3", 1)])
        tallies.apply(sites[1], [(key, "received", 2), (key, "days:3", 1), (key, "days:5", 1)])
        tms[0].commit()
        tms[1].commit()                      # would raise ConflictError without the merge
        tms[0].begin()
        counts = conns[0].root()["silat"].report_tallies[("e", "*", "2026-10", "X", "A", "K", "daring")].counts
        assert counts == {"received": 4, "days:3": 2, "days:5": 1}
        tms[0].abort()
    finally:
        for conn in conns:
            conn.close()


def test_percentile_nearest_rank():
    assert percentile({}, 0.5) is None
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.5) == 2
    assert percentile({1: 9, 100: 1}, 0.9) == 1 and percentile({1: 9, 100: 1}, 0.91) == 100


def test_satisfaction_index_from_the_survey_utility(app, testapp, dataset, tokens, seeded):
    """When a survey package registers ISurveyResults, its summary for the
    period and filters is shown (the survey itself is another package's)."""
    import datetime as dt
    from zope.interface import implementer
    from silat.interfaces import ISurveyResults

    @implementer(ISurveyResults)
    class Results:
        calls = []

        def summary(self, site, start=None, end=None, service=None, agency=None):
            self.calls.append((start, end, service, agency))
            return {"responses": 12, "index": 88.5, "grade": "B", "method": "skm9"}

    results = Results()
    app.registry.registerUtility(results, ISurveyResults)
    f = testapp.get("/api/v1/stats?period=2026-Q4&service=IMB", headers=tokens("pengawas")).json
    assert f["satisfaction"] == {"responses": 12, "index": 88.5, "grade": "B", "method": "skm9"}
    assert results.calls[-1] == (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "IMB", None)
    login(testapp, "kepala.distaru", seeded)
    page = testapp.get("/opd/DISTARU/dasbor?period=2026-10")
    assert "88.5" in text(page, "#fig-satisfaction")
    assert results.calls[-1] == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), None, "DISTARU")
    assert text(testapp.get("/statistik?period=2026"), "#pub-satisfaction") == "88.5"


def test_complaints_by_status(app, testapp, dataset, tokens, edit_site):
    from silat.resources.complaint import Complaint
    from silat.workflow import initialize, transition
    with edit_site() as site:
        for number in ("ADU-1", "ADU-2", "ADU-3"):
            complaint = Complaint(number, "Antrean lama", "Antrean loket lebih dari 3 jam",
                                  {"name": "Budi Santoso", "email": "budi@demo.silat.invalid"})
            site["pengaduan"].add(number, complaint)
            initialize(complaint)
        for name in ("accept", "answer", "close"):
            transition(site["pengaduan"]["ADU-2"], name, registry=app.registry, check_permission=False,
                       actor="pengaduan", comment="Loket ditambah")
        transition(site["pengaduan"]["ADU-3"], "accept", registry=app.registry, check_permission=False,
                   actor="pengaduan")
    f = testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json
    assert f["complaints"] == {"closed": 1, "in_progress": 1, "received": 1}
