"""The history tab, the supervisors' overdue list and the calendar admin page."""
import datetime as dt

from silat.workflow import sla
from silat.workflow.calendar import WIB
from tests.web import login
from tests.workflow.conftest import WORKING, add_revision, new_dossier
from tests.workflow.test_api_walk import post


def test_history_tab_lists_every_step_and_detects_tampering(testapp, make_dossier, tokens, edit_site, seeded):
    number = make_dossier("SILAT-2026-000701", state="submitted")
    with edit_site() as site:
        site["berkas"][number].checklist = {"bukti_lunas_pbb": {"valid": False, "reason": "x"}}
    post(testapp, tokens("verifikator"), number, "return", "Bukti PBB tidak terbaca")
    login(testapp, "pemohon", seeded)
    page = testapp.get(f"/berkas/{number}/riwayat")
    assert "Rantai riwayat utuh" in page.text
    rows = page.html.select("table.silat-history tbody tr")
    texts = [r.get_text(" ", strip=True) for r in rows]
    # the applicant sees no role grants (internal); steps read as sentences
    assert not any("peran" in t.lower() for t in texts)
    assert "Ajukan. Status berubah dari Draf menjadi Diajukan." in texts[1]
    assert "Kembalikan ke pemohon" in texts[2] and "Verifikator Berkas (demo)" in texts[2]
    assert "Bukti PBB tidak terbaca" in texts[2] and "WIB" in texts[2]
    assert "submitted" not in page.text and "old_state" not in page.text
    testapp.reset()
    login(testapp, "pengawas", seeded)
    page = testapp.get(f"/berkas/{number}/riwayat")
    texts = [r.get_text(" ", strip=True) for r in page.html.select("table.silat-history tbody tr")]
    assert "memberi" in texts[1] and "peran Pemilik berkas" in texts[1]
    assert "user:" not in page.text and "owner" not in texts[1]
    with edit_site() as site:
        entry = site["berkas"][number].history._entries[3]
        assert dt.datetime.fromisoformat(entry["at"]).astimezone(WIB).strftime("%d-%m-%Y %H:%M") in texts[3]
        site["berkas"][number].history._entries[3] = {**entry, "comment": "Lengkap"}
    page = testapp.get(f"/berkas/{number}/riwayat")
    assert page.html.select_one(".silat-chain-broken strong").text == "3"


def test_supervisors_see_overdue_work_per_agency_and_stage(testapp, app, seeded, edit_site):
    today = dt.datetime.now(WIB).date()
    long_ago = dt.datetime.now(WIB) - dt.timedelta(days=60)
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        for i, state in enumerate(("submitted", "submitted", "verified", "in_review", "submitted")):
            from tests.workflow.conftest import walk
            dossier = new_dossier(site, f"SILAT-2026-00080{i}", revision=revision)
            walk(app.registry, dossier, state)
            sla.start(dossier, now=long_ago if i < 4 else dt.datetime.now(WIB))
            if state == "in_review":
                sla.request_budget(dossier, "DISTARU", 0.5, now=long_ago)
    login(testapp, "pengawas", seeded)
    page = testapp.get("/pemantauan")
    summary = {(r["data-agency"], r["data-stage"]): r.select_one(".silat-count").text
               for r in page.html.select("table.silat-overdue-summary tbody tr")}
    assert summary == {("DPMPTSP", "submitted"): "2", ("DPMPTSP", "verified"): "1",
                       ("DISTARU", "in_review"): "1"}
    assert "SILAT-2026-000804" not in page.text          # still within its time
    assert page.html.select_one('a[href="http://localhost/berkas/SILAT-2026-000800/riwayat"]')
    assert "4</strong> berkas terlambat" in page.text and today.strftime("%d-%m-%Y") in page.text
    from silat.workflow.calendar import calendar_for
    from silat.workflow.monitor import overdue_groups, responsible_agencies
    from silat.workflow.sla import open_items
    with edit_site() as site:                 # the due list finds what the whole watch list does
        indexed = overdue_groups(site, today)
        kept = site.sla_due
        del site.sla_due
        scanned = overdue_groups(site, today)
        site.sla_due = kept
        # and the dates give the agencies and working days the SLA marks give
        calendar = calendar_for(site)
        by_marks = sorted((code, obj.__name__, -remaining) for obj in open_items(site)
                          for code, remaining in responsible_agencies(obj, today, 2))
        by_dates = sorted((code, obj.__name__, -calendar.working_days_between(today, due))
                          for (code, _stage), items in indexed.items() for obj, due in items)
    assert {k: [(o.__name__, d) for o, d in v] for k, v in indexed.items()} == \
        {k: [(o.__name__, d) for o, d in v] for k, v in scanned.items()}
    assert len(indexed) == 3 and by_marks == by_dates and len(by_dates) == 4


def test_calendar_admin_page(testapp, seeded, edit_site):
    login(testapp, "admin", seeded)
    page = testapp.get("/kalender?tahun=2026")
    assert "Hari Raya Idul Fitri" in page.text and "nasional" in page.text
    form = page.forms["deform"]
    form["days_off"] = "2026-13-01 Salah\n"
    res = form.submit("simpan")
    assert "Baris 1: tanggal" in res.text and "tidak sah" in res.text
    form = res.forms["deform"]
    form["days_off"] = "2026-04-28 HUT Kota Bekasi (uji)\n2026-05-04"
    res = form.submit("simpan")
    assert "Baris 2: keterangan wajib diisi." in res.text
    form = res.forms["deform"]
    form["days_off"] = "2026-04-28 HUT Kota Bekasi (uji)"
    form["working_days"] = "2026-04-28"
    res = form.submit("simpan")
    assert "tidak boleh sekaligus hari libur dan hari kerja" in res.text
    with edit_site() as site:
        assert len(site.calendar_settings.days_off) == 0        # nothing stored
    form = res.forms["deform"]
    form["working_days"] = "2026-12-24"
    res = form.submit("simpan").follow()
    assert "Kalender hari kerja disimpan." in res.text and "HUT Kota Bekasi (uji)" in res.text
    with edit_site() as site:
        settings = site.calendar_settings
        assert dict(settings.days_off) == {dt.date(2026, 4, 28): "HUT Kota Bekasi (uji)"}
        assert list(settings.working_days) == [dt.date(2026, 12, 24)]
        from silat.workflow.calendar import calendar_for
        assert calendar_for(site).add_working_days(dt.date(2026, 4, 27), 1) == dt.date(2026, 4, 29)
    testapp.reset()
    login(testapp, "pengawas", seeded)
    testapp.get("/kalender", status=403)


def test_worklists_mark_due_soon_and_overdue_work(testapp, app, seeded, edit_site):
    """The verifier's queue and the agency inbox show each item's mark and
    the working days left (issue 5: worklists with due-soon/overdue marks)."""
    now = dt.datetime.now(WIB)
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        late = new_dossier(site, "SILAT-2026-000901", revision=revision)
        fresh = new_dossier(site, "SILAT-2026-000902", revision=revision)
        reviewed = new_dossier(site, "SILAT-2026-000903", revision=revision)
        from tests.workflow.conftest import walk
        for dossier in (late, fresh):
            walk(app.registry, dossier, "submitted")
        walk(app.registry, reviewed, "in_review")
        sla.start(late, now=now - dt.timedelta(days=60))
        sla.start(reviewed, now=now - dt.timedelta(days=60))
        sla.request_budget(reviewed, "DISTARU", 0.5, now=now - dt.timedelta(days=60))
    login(testapp, "verifikator", seeded)
    rows = {tr.select_one("a").text: tr for tr in testapp.get("/verifikasi").html.select("tbody tr")}
    assert "Melewati batas waktu" in rows["SILAT-2026-000901"].text
    late_text = " ".join(rows["SILAT-2026-000901"].text.split())
    assert "terlambat" in late_text and "sisa -" not in late_text     # days late, never "-N left"
    assert "Sesuai jadwal" in rows["SILAT-2026-000902"].text
    assert "sisa" in rows["SILAT-2026-000902"].text
    assert "hari kerja" in rows["SILAT-2026-000902"].text
    testapp.reset()
    login(testapp, "opd.distaru", seeded)
    inbox = testapp.get("/opd/DISTARU/kotak-masuk").html.select_one("#permintaan")
    assert "SILAT-2026-000903" in inbox.text and "Melewati batas waktu" in inbox.text


def test_long_verifier_queue_is_paged_in_due_order(testapp, app, seeded, edit_site, monkeypatch):
    """Page 2 has the next rows in the same (due date) order; the total
    counts the dossiers the verifier may view; a bad page number says so,
    one past the end shows the last page; the links keep other parameters."""
    from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL
    import silat.workflow
    from silat.views import paging
    from tests.workflow.conftest import walk
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    now = dt.datetime.now(WIB)
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        for n in range(1, 7):                  # filed in number order, due in reverse
            dossier = new_dossier(site, f"SILAT-2026-00095{n}", revision=revision)
            walk(app.registry, dossier, "submitted")
            sla.start(dossier, now=now - dt.timedelta(days=10 * n))
    hidden = "SILAT-2026-000954"
    acl_for = silat.workflow.acl_for
    monkeypatch.setattr(silat.workflow, "acl_for", lambda d: [DENY_ALL] if getattr(
        d, "registration_number", None) == hidden else acl_for(d))
    login(testapp, "verifikator", seeded)

    def shown(url):
        page = testapp.get(url, status=200)
        return [a.text for a in page.html.select("tbody tr a")], page

    first, page = shown("/verifikasi")
    assert first == ["SILAT-2026-000956", "SILAT-2026-000955"]
    assert "Menampilkan 1-2 dari 5" in page.html.select_one(".silat-page-count").text
    assert page.html.select_one('a[rel="next"]')["href"] == "http://localhost/verifikasi?halaman=2"
    second, page = shown("/verifikasi?halaman=2&urut=x")
    assert second == ["SILAT-2026-000953", "SILAT-2026-000952"]        # 954 is hidden
    assert "Menampilkan 3-4 dari 5" in page.text
    assert page.html.select_one('a[rel="prev"]')["href"] == "http://localhost/verifikasi?urut=x"
    assert page.html.select_one('a[rel="next"]')["href"] == "http://localhost/verifikasi?urut=x&halaman=3"
    assert [a.text for a in page.html.select(".silat-pages a[aria-current]")] == ["2", "2"]   # above and below the rows
    last, page = shown("/verifikasi?halaman=99")
    assert last == ["SILAT-2026-000951"] and "Menampilkan 5-5 dari 5" in page.text
    for bad in ("dua", "0", "-3", "<b>x</b>"):
        rows, page = shown(f"/verifikasi?halaman={bad}")
        assert rows == first
        assert "tidak valid; ditampilkan halaman 1" in page.html.select_one(".silat-page-error").text
    assert "<b>x</b>" not in page.text
    rows, page = shown("/verifikasi?halaman=")
    assert rows == first and not page.html.select_one(".silat-page-error")
    testapp.get(f"/berkas/{hidden}", status=404)


def test_supervisors_late_list_is_paged_and_counts_every_group(testapp, app, seeded, edit_site,
                                                                monkeypatch):
    from silat.views import paging
    from tests.workflow.conftest import walk
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    long_ago = dt.datetime.now(WIB) - dt.timedelta(days=60)
    with edit_site() as site:
        revision = add_revision(site, completion_time=WORKING)
        for i, state in enumerate(("submitted", "submitted", "verified")):
            dossier = new_dossier(site, f"SILAT-2026-00085{i}", revision=revision)
            walk(app.registry, dossier, state)
            sla.start(dossier, now=long_ago - dt.timedelta(days=10 * i))
    login(testapp, "pengawas", seeded)
    pages = [testapp.get(url) for url in ("/pemantauan", "/pemantauan?halaman=2")]
    for page in pages:
        summary = {(r["data-agency"], r["data-stage"]): r.select_one(".silat-count").text
                   for r in page.html.select("table.silat-overdue-summary tbody tr")}
        assert summary == {("DPMPTSP", "submitted"): "2", ("DPMPTSP", "verified"): "1"}
        assert "3</strong> berkas terlambat" in page.text
    rows = [[(t["data-stage"], a.text) for t in page.html.select("table.silat-overdue") for a in t.select("a")]
            for page in pages]
    assert rows == [[("submitted", "SILAT-2026-000851"), ("submitted", "SILAT-2026-000850")],
                    [("verified", "SILAT-2026-000852")]]
    assert "Menampilkan 3-3 dari 3" in pages[1].text
