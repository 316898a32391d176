"""Public portal: issued-permit search that leaks no private field,
lists per day/week/month/year, the Atom feed, the API."""
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

NIK = "3275019988776655"
PHONE = "081298765432"
EMAIL = "rahasia.pemohon@example.id"
HOME = "Jl. Kenanga Rahasia 7"
UTC = dt.timezone.utc
TODAY = dt.date.today()
NOW = dt.datetime.now(UTC)
KEYS = {"permit_number", "service", "holder", "kecamatan", "issued_at", "valid_until", "state"}


@pytest.fixture
def permits(seeded, make_dossier):
    make_dossier("SILAT-2026-000201", state="issued",
                 applicant={"kind": "company", "name": "Ani Lestari", "identity_number": NIK,
                            "phone": PHONE, "email": EMAIL, "address": HOME,
                            "business_name": "CV Maju Jaya", "business_type": "toko"},
                 fields={"uraian": f"Toko bangunan, hubungi {PHONE}", "nik_pemilik": NIK},
                 permit={"number": "503/IMB/0201/2026", "issued_at": NOW,
                         "valid_until": TODAY.replace(year=TODAY.year + 5), "token": "vtok201"})
    make_dossier("SILAT-2026-000202", service="IPPR", state="issued",
                 location={"kecamatan": "Jatiasih"},
                 permit={"number": "503/IPPR/0202/2026", "issued_at": NOW - dt.timedelta(days=40)})
    make_dossier("SILAT-2025-000203", state="issued",
                 permit={"number": "503/IMB/0203/2025", "issued_at": NOW - dt.timedelta(days=400)})
    make_dossier("SILAT-2026-000204", state="approved")           # not issued: never public
    return seeded


def api(testapp, **params):
    return testapp.get("/api/v1/permits", params=params, expect_errors=True)


def test_planted_private_data_is_never_found_or_shown(testapp, permits):
    for secret in (NIK, PHONE, EMAIL, "Kenanga", "Rahasia", "nik_pemilik"):
        res = api(testapp, q=secret)
        assert res.status_int == 200 and res.json["items_total"] == 0, secret
        page = testapp.get("/portal/izin", params={"q": secret})
        assert page.html.select_one(".total").text == "0"
    everything = api(testapp, size="100")
    assert everything.json["items_total"] == 3
    body = everything.text + testapp.get("/portal/izin").text + testapp.get("/portal/izin/feed.atom").text
    for secret in (NIK, PHONE, EMAIL, HOME, "Ani Lestari"):
        assert secret not in body, secret
    for item in everything.json["items"]:
        assert set(item) == KEYS


def test_search_by_number_business_type_kecamatan_and_date(testapp, permits):
    assert [i["permit_number"] for i in api(testapp, q="CV Maju Jaya").json["items"]] == ["503/IMB/0201/2026"]
    assert api(testapp, q='nomor:"503/IPPR/0202/2026"').json["items_total"] == 1
    assert api(testapp, service="IMB").json["items_total"] == 2
    assert api(testapp, kecamatan="Jatiasih").json["items_total"] == 1
    day = (NOW - dt.timedelta(days=40)).date().isoformat()
    res = api(testapp, issued_from=day, issued_to=day)
    assert [i["permit_number"] for i in res.json["items"]] == ["503/IPPR/0202/2026"]
    item = api(testapp, q="maju").json["items"][0]
    assert item["holder"] == "CV Maju Jaya" and item["state"] == "active"
    assert item["valid_until"] == TODAY.replace(year=TODAY.year + 5).isoformat()
    # newest first when browsing
    assert [i["permit_number"] for i in api(testapp).json["items"]][0] == "503/IMB/0201/2026"


@pytest.mark.parametrize("params,field", [
    ({"issued_from": "31-12-2026"}, "issued_from"),
    ({"issued_to": "2026-02-30"}, "issued_to"),
    ({"issued_from": "2026-05-01", "issued_to": "2026-01-01"}, "issued_from"),
    ({"page": "100000"}, "page"),
    ({"size": "1000"}, "size"),
    ({"q": "identity:3275019988776655"}, "q"),
])
def test_bad_public_input(testapp, permits, params, field):
    res = api(testapp, **params)
    assert res.status_int == 400 and field in res.json["error"]["fields"]
    page = testapp.get("/portal/izin", params=params, status=400)
    assert page.html.select_one(".search-error").text.strip()


def test_search_form_lists_services_and_kecamatan_and_keeps_the_choice(testapp, permits):
    from silat.catalog.loader import kecamatan
    from silat.search.views import options
    page = testapp.get("/portal/izin", params={"service": "IPPR", "kecamatan": "Jatiasih"})
    services = page.html.select("#portal-service option")
    assert services[0]["value"] == "" and len(services) > 2
    titles = [o.text for o in services[1:]]
    assert titles == sorted(titles)
    assert [o["value"] for o in page.html.select("#portal-service option[selected]")] == ["IPPR"]
    places = page.html.select("#portal-kecamatan option")
    assert [o["value"] for o in places] == [""] + [k["name"] for k in kecamatan()]
    assert [o.text for o in places[1:]] == [k["name"] for k in kecamatan()]
    assert [o["value"] for o in page.html.select("#portal-kecamatan option[selected]")] == ["Jatiasih"]
    assert not testapp.get("/portal/izin").html.select("option[selected]")
    assert options([('a"<b', "R&D <i>"), ("c", "C")], "c") == (
        '<option value="a&quot;&lt;b">R&amp;D &lt;i&gt;</option><option value="c" selected="selected">C</option>')


def test_lists_per_period_and_links(testapp, permits):
    counts = {}
    for period in ("hari", "minggu", "bulan", "tahun"):
        page = testapp.get("/portal/izin", params={"periode": period})
        counts[period] = int(page.html.select_one(".total").text)
    assert counts["hari"] == 1
    assert counts["tahun"] == (2 if (NOW - dt.timedelta(days=40)).year == TODAY.year else 1)
    assert counts["hari"] <= counts["minggu"] <= counts["bulan"] <= counts["tahun"]
    last_year = testapp.get("/portal/izin", params={"periode": "tahun",
                                                    "tanggal": (NOW - dt.timedelta(days=400)).date().isoformat()})
    assert "503/IMB/0203/2025" in last_year.text
    page = testapp.get("/portal/izin")
    assert page.html.select_one('a[href$="/verifikasi/vtok201"]').text == "503/IMB/0201/2026"
    assert page.html.select_one('a[href$="/lacak"]') is not None
    testapp.get("/portal/izin", params={"periode": "abad"}, status=400)
    testapp.get("/portal/izin", params={"periode": "hari", "tanggal": "kemarin"}, status=400)


def test_atom_feed(testapp, permits):
    res = testapp.get("/portal/izin/feed.atom")
    assert res.content_type == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(res.body)
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries][0] == "urn:silat:izin:503/IMB/0201/2026"
    assert len(entries) == 3
    assert entries[0].find("a:link", ns).get("href").endswith("/verifikasi/vtok201")
    daily = ET.fromstring(testapp.get("/portal/izin/feed.atom", params={"periode": "hari"}).body)
    assert len(daily.findall("a:entry", ns)) == 1
    assert testapp.get("/portal/izin/feed.atom", params={"periode": "x"}, status=400)


def test_frozen_permit_state_follows(testapp, permits, edit_site, app):
    from silat.workflow import transition
    with edit_site() as site:
        permit = site["berkas"]["SILAT-2026-000201"].permit
        new = transition(permit, "freeze", None, comment="Pelanggaran", actor="penandatangan",
                         check_permission=False, registry=app.registry)
    item = api(testapp, q="maju").json["items"][0]
    assert new == "frozen" and item["state"] == "frozen"


@pytest.fixture
def more_permits(permits, make_dossier):
    """Ten more permits: shared words, two kecamatan, and three issued in
    the very same microsecond (ties, whose order neither engine defines)."""
    names = ["Toko Maju Sentosa", "Apotek Sehat Jaya", "CV Maju Bersama", "Bengkel Jaya Motor",
             "Klinik Sehat", "Toko Sentosa", "PT Jaya Abadi", "Warung Maju", "Toko Jaya", "Apotek Maju"]
    for n, name in enumerate(names):
        issued = NOW - dt.timedelta(days=3 if n in (2, 5, 8) else 10 * n + 1)
        make_dossier(f"SILAT-2026-0003{n:02d}", service="IMB" if n % 2 else "IPPR", state="issued",
                     location={"kecamatan": "Jatiasih" if n % 3 else "Bekasi Barat"},
                     applicant={"kind": "company", "name": "Pemilik", "business_name": name,
                                "identity_number": NIK},
                     permit={"number": f"503/X/03{n:02d}/2026", "issued_at": issued})
    return permits


def _tied(result):
    """The result with items of the same issue time in permit number order."""
    items = sorted(result["items"], key=lambda i: i["permit_number"])
    items.sort(key=lambda i: i["issued_at"], reverse=True)
    return {**result, "items": items}


def test_newest_first_on_sets_answers_as_whoosh_does(app, more_permits):
    """The arrays (search.columns) give the same totals, pages and
    order as the same newest-first search through Whoosh's parser."""
    from silat.search import query as SQ
    service = app.registry.silat_index
    queries = ["", "maju", "Maju Jaya", "toko sentosa", "jaya", "apotek", "503/X/0305/2026",
               "503/IMB/0201/2026", "izin", "tidakada", "Jatiasih", "bangunan", "sehat klinik",
               "pemegang:maju", 'nomor:"503/X/0305/2026"', "kecamatan:jatiasih toko",
               "layanan:bangunan jaya", "usaha:apotek", "dan", "SILAT-2026-000301"]
    checked = 0
    from silat.search.words import analyse
    schema = service.public_searcher().schema
    assert all(analyse(q, schema) is not None for q in queries)      # all served by the sets
    assert analyse('"maju jaya"', schema) is None and analyse("maj*", schema) is None
    for q in queries:
        for service_code, kecamatan in (("", ""), ("IMB", ""), ("", "Jatiasih"), ("IPPR", "Bekasi Barat")):
            for issued_from, issued_to in ((None, None), ((NOW - dt.timedelta(days=45)).date(), TODAY)):
                for page, size in ((1, 20), (1, 3), (2, 3), (9, 3)):
                    params = SQ.PublicParams(q, service_code, kecamatan, issued_from, issued_to,
                                             page, size, "date")
                    fast = SQ.public_search(service, params)
                    searcher = service.public_searcher()
                    start = SQ._day_start(issued_from) if issued_from else None
                    end = (SQ._day_start(issued_to) + dt.timedelta(days=1, microseconds=-1)
                           if issued_to else None)
                    filters = [(n, v) for n, v in (("service", service_code), ("kecamatan", kecamatan)) if v]
                    slow = SQ.whoosh_public_search(searcher, params, filters, start, end)
                    if size == 3:          # pages may cut through the tie: compare totals only
                        assert fast["items_total"] == slow["items_total"], (q, service_code, kecamatan)
                        continue
                    assert _tied(fast) == _tied(slow), (q, service_code, kecamatan, issued_from)
                    checked += bool(fast["items"])
    assert checked > 50


def test_relevance_on_arrays_ranks_as_whoosh_does(app, more_permits):
    """Plain words ranked on the register's arrays (BM25F with Whoosh's
    statistics) come in Whoosh's own relevance order, with its totals."""
    from silat.search import query as SQ
    service = app.registry.silat_index
    checked = 0
    for q in ["maju", "Maju Jaya", "toko sentosa", "jaya", "apotek", "izin", "bangunan",
              "sehat klinik", "pemegang:maju", "kecamatan:jatiasih toko", "layanan:bangunan jaya",
              "503/IMB/0201/2026", "tidakada"]:
        for service_code in ("", "IMB"):
            for page, size in ((1, 100), (2, 3)):
                params = SQ.PublicParams(q, service_code, "", None, None, page, size, "relevance")
                filters = [("service", service_code)] if service_code else []
                fast = SQ.public_search(service, params)
                slow = SQ.whoosh_public_search(service.public_searcher(), params, filters, None, None)
                assert fast == slow, (q, service_code, page)
                checked += len(fast["items"])
    assert checked > 30


def test_sets_follow_new_permits_and_state_changes(testapp, app, more_permits, make_dossier, edit_site):
    assert api(testapp, q="maju").json["items_total"] == 5
    make_dossier("SILAT-2026-000399", state="issued",
                 applicant={"kind": "company", "name": "X", "business_name": "Maju Baru"},
                 permit={"number": "503/X/0399/2026", "issued_at": NOW + dt.timedelta(seconds=1)})
    found = api(testapp, q="maju").json
    assert found["items_total"] == 6 and found["items"][0]["permit_number"] == "503/X/0399/2026"
    from silat.workflow import transition
    with edit_site() as site:
        transition(site["berkas"]["SILAT-2026-000399"].permit, "revoke", None, comment="Dicabut",
                   actor="penandatangan", check_permission=False, registry=app.registry)
    found = api(testapp, q="maju").json
    assert found["items_total"] == 6 and found["items"][0]["state"] == "revoked"
    assert api(testapp, q="maju", sort="relevance").json["items_total"] == 6
    assert api(testapp, q="maju", sort="acak").status_int == 400


def test_sets_under_threads_while_permits_are_issued(app, permits, make_dossier):
    """Four threads search newest first while new permits are committed,
    each a new Whoosh segment: no error, every page full, every total one
    the register really had, and the newest permits first at the end."""
    import threading
    from silat.search import query as SQ
    service = app.registry.silat_index
    errors, seen = [], []
    stop = threading.Event()

    def searching():
        try:
            while not stop.is_set():
                result = SQ.public_search(service, SQ.PublicParams(q="", size=5))
                seen.append(result["items_total"])
                assert len(result["items"]) == min(5, result["items_total"])
        except Exception as exc:      # reported below
            errors.append(exc)

    threads = [threading.Thread(target=searching) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(10):
            make_dossier(f"SILAT-2026-0005{n:02d}", state="issued",
                         permit={"number": f"503/T/05{n:02d}/2026", "issued_at": NOW + dt.timedelta(minutes=n)})
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert errors == []
    assert seen and set(seen) <= set(range(3, 14)) and max(seen) <= 13
    final = SQ.public_search(service, SQ.PublicParams(q="", size=3))
    assert final["items_total"] == 13
    assert [i["permit_number"] for i in final["items"]] == ["503/T/0509/2026", "503/T/0508/2026",
                                                           "503/T/0507/2026"]
