"""Officer search: permission filtering inside the query (hits, counts,
facets), field syntax, stemming, sorting, paging, snippets, bad input."""
import datetime as dt

import pytest

from tests.web import api_token, bearer, login


@pytest.fixture
def corpus(seeded, make_dossier, make_user):
    make_user("pemohon2", "pemohon")
    make_dossier("SILAT-2026-000101", state="submitted",
                 fields={"uraian": "Perizinan gedung kantor dua lantai"})
    make_dossier("SILAT-2026-000102", owner="pemohon2", state="in_review", reviewers=("DINKES",),
                 applicant={"name": "Budiman Wijaya"}, location={"kecamatan": "KEC-JATIASIH"},
                 fields={"uraian": "Klinik pratama"})
    make_dossier("SILAT-2026-000103", owner="pemohon2", state="in_review", reviewers=("DISTARU",),
                 applicant={"name": "Siti Aminah"}, fields={"uraian": "Rumah toko"})
    make_dossier("SILAT-2026-000104", state="draft", fields={"uraian": "Draf gudang"})
    make_dossier("SILAT-2025-000105", owner="pemohon2", state="rejected",
                 created=dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc),
                 fields={"uraian": "Gudang lama"})
    return seeded


def search(testapp, user, password, **params):
    token = api_token(testapp, user, password)
    return testapp.get("/api/v1/search", params=params, headers=bearer(token), expect_errors=True)


@pytest.mark.parametrize("user,expected", [
    ("verifikator", {"SILAT-2026-000101", "SILAT-2026-000102", "SILAT-2026-000103", "SILAT-2025-000105"}),
    ("opd.dinkes", {"SILAT-2026-000102"}),
    ("opd.distaru", {"SILAT-2026-000103"}),
    ("pemohon", {"SILAT-2026-000101", "SILAT-2026-000104"}),
    ("arsiparis", {"SILAT-2025-000105"}),
    ("admin", {"SILAT-2026-000101", "SILAT-2026-000102", "SILAT-2026-000103", "SILAT-2026-000104",
               "SILAT-2025-000105"}),
])
def test_hits_counts_and_facets_per_user(testapp, corpus, user, expected):
    res = search(testapp, user, corpus, size="100")
    assert res.status_int == 200
    found = {item["uid"].split(":", 1)[1] for item in res.json["items"]}
    assert found == expected
    assert res.json["items_total"] == len(expected)
    facets = res.json["facets"]
    assert sum(facets["service"].values()) == len(expected)
    assert sum(facets["state"].values()) == len(expected)
    assert sum(facets["year"].values()) == len(expected)


def test_agency_sees_only_its_facet_numbers(testapp, corpus):
    res = search(testapp, "opd.dinkes", corpus)
    assert res.json["facets"]["state"] == {"in_review": 1}
    assert res.json["facets"]["kecamatan"] == {"Jatiasih": 1}     # code shown as the name
    res = search(testapp, "opd.dinkes", corpus, q="rumah")        # DISTARU's dossier
    assert res.json["items_total"] == 0 and res.json["facets"]["state"] == {}


def test_facet_selection_narrows(testapp, corpus):
    res = search(testapp, "verifikator", corpus, facet="state:in_review")
    assert res.json["items_total"] == 2
    res = search(testapp, "verifikator", corpus, facet=["state:in_review", "kecamatan:Jatiasih"])
    assert [i["number"] for i in res.json["items"]] == ["SILAT-2026-000102"]
    res = search(testapp, "verifikator", corpus, facet="year:2025")
    assert res.json["items_total"] == 1


def test_field_syntax_stemming_and_names(testapp, corpus):
    assert search(testapp, "admin", corpus, q="nomor:SILAT-2026-000103").json["items_total"] == 1
    # "izin" finds "Perizinan" (stemmed free text) ...
    found = search(testapp, "admin", corpus, q="isi:izin").json["items"]
    assert [i["number"] for i in found] == ["SILAT-2026-000101"]
    # ... but a name is not stemmed: budi is not Budiman, budi* is
    assert search(testapp, "admin", corpus, q="pemohon:budiman").json["items_total"] == 1
    assert search(testapp, "admin", corpus, q="pemohon:budi").json["items_total"] == 3  # Budi Santoso x3
    assert search(testapp, "admin", corpus, q="pemohon:budim*").json["items_total"] == 1
    assert search(testapp, "admin", corpus, q="layanan:bangunan").json["items_total"] == 5
    # NIK is searchable by officers (never by the public)
    assert search(testapp, "verifikator", corpus, q="3275010101900001").json["items_total"] == 2


def test_quoted_phrases_search_every_field(testapp, corpus):
    """A quoted name was a 500: the phrase also went to the NIK field, which
    keeps no word positions; there it now means "all these words"."""
    res = search(testapp, "admin", corpus, q='"Budi Santoso"')
    assert res.status_int == 200 and res.json["items_total"] == 3
    assert search(testapp, "admin", corpus, q='"Santoso Budi"').json["items_total"] == 0
    assert search(testapp, "verifikator", corpus, q='"3275010101900001"').json["items_total"] == 2
    assert search(testapp, "admin", corpus, q='pemohon:"budi santoso"').json["items_total"] == 3


def test_sort_paging_and_snippets(testapp, corpus):
    res = search(testapp, "admin", corpus, sort="date", size="2", page="1")
    assert res.json["items_total"] == 5 and len(res.json["items"]) == 2
    dates = [i["date"] for i in res.json["items"]]
    assert dates == sorted(dates, reverse=True)
    last = search(testapp, "admin", corpus, sort="date", size="2", page="3")
    assert [i["number"] for i in last.json["items"]] == ["SILAT-2025-000105"]
    hit = search(testapp, "admin", corpus, q="klinik").json["items"][0]
    assert "<mark" in hit["snippet"] and "Klinik" in hit["snippet"]
    # newest first: found by date without scoring, highlighted all the same
    by_date = search(testapp, "admin", corpus, q="klinik", sort="date").json
    assert by_date["items_total"] == 1 and by_date["items"][0]["snippet"] == hit["snippet"]
    assert by_date["facets"] == search(testapp, "admin", corpus, q="klinik").json["facets"]


@pytest.mark.parametrize("params,field", [
    ({"q": "allowed:role:admin"}, "q"),
    ({"q": "identity:x stamp:y"}, "q"),
    ({"page": "99999999"}, "page"),
    ({"page": "-1"}, "page"),
    ({"size": "abc"}, "size"),
    ({"facet": "owner:pemohon"}, "facet"),
    ({"sort": "random"}, "sort"),
    ({"q": "x" * 600}, "q"),
])
def test_bad_input_is_refused_in_indonesian(testapp, corpus, params, field):
    res = search(testapp, "verifikator", corpus, **params)
    assert res.status_int == 400
    assert res.json["error"]["code"] == "invalid_query"
    assert field in res.json["error"]["fields"]


def test_hostile_syntax_does_not_break(testapp, corpus):
    for q in ['"unclosed', "((((", "AND OR NOT", "*", "nomor:", "<script>alert(1)</script>"]:
        res = search(testapp, "verifikator", corpus, q=q)
        assert res.status_int in (200, 400), q
        assert "items" in res.json or "error" in res.json


def test_search_page_filters_like_the_api(testapp, corpus):
    login(testapp, "opd.dinkes", corpus)
    page = testapp.get("/cari", params={"q": ""})
    assert page.html.select_one(".total").text == "1"
    assert [li["data-uid"] for li in page.html.select("li.hit")] == ["dossier:SILAT-2026-000102"]
    assert "SILAT-2026-000103" not in page.text
    bad = testapp.get("/cari", params={"page": "0"}, status=400)
    assert "minimal 1" in bad.html.select_one(".search-error").text
    testapp.reset()
    assert testapp.get("/cari").status_int == 303            # anonymous: to the login page
    assert testapp.get("/api/v1/search", expect_errors=True).status_int == 401


def test_workflow_transition_reindexes_permissions(app, corpus, edit_site, index):
    """A state change alters who may view: the IWorkflowEvent subscriber
    re-indexes the dossier after the commit."""
    from silat.search import query as SQ
    from silat.workflow import transition
    principals = ("role:arsiparis", "system.Authenticated", "system.Everyone", "user:arsiparis")
    assert SQ.officer_search(index, principals, SQ.Params(q="nomor:SILAT-2026-000101"))["total"] == 0
    with edit_site() as site:
        dossier = site["berkas"]["SILAT-2026-000101"]
        transition(dossier, "reject", None, comment="Tidak lengkap", actor="penandatangan",
                   check_permission=False, registry=app.registry)
    assert SQ.officer_search(index, principals, SQ.Params(q="nomor:SILAT-2026-000101"))["total"] == 1
