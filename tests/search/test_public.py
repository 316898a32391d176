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
