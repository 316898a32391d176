"""Who finds what (issue 10): every user tries a field query on every
indexed field of both indexes, on a fresh and on a populated site. The
expected hits are computed from permissions (``GET
/api/v1/applications/<no>`` answering 200 for that user), not written
down; the public register answers only public fields, whoever asks."""
import datetime as dt

import pytest

from silat.search.schema import make_public_schema, make_schema
from tests.web import api_token, bearer, login

NOW = dt.datetime.now(dt.timezone.utc)
OTHER_PASSWORD = "Rahasia-2026x"
USERS = (None, "pemohon", "pemohon2", "opd.distaru", "arsiparis")


def _dossier(number, owner, state, name, nik, word, service="IMB", kecamatan="Bekasi Barat",
             reviewers=(), permit=None, business=""):
    return dict(number=number, owner=owner, state=state, service=service, reviewers=reviewers,
                permit=permit, name=name, nik=nik, word=word, kecamatan=kecamatan, business=business)


FRESH = [_dossier("SILAT-2026-000301", "pemohon", "draft", "Zulkarnain Hadiwijaya", "3275010101900301",
                  "rekeningalfa")]
POPULATED = FRESH + [
    _dossier("SILAT-2026-000302", "pemohon2", "in_review", "Wiryawan Sastro", "3275010101900302",
             "rekeningbeta", service="IPPR", kecamatan="Jatiasih", reviewers=("DINKES",)),
    _dossier("SILAT-2026-000303", "pemohon", "issued", "Kartini Prameswari", "3275010101900303",
             "rekeninggama", business="CV Sentosa Abadi",
             permit={"number": "503/IMB/0303/2026", "issued_at": NOW, "token": "vt303"}),
    _dossier("SILAT-2025-000304", "pemohon2", "rejected", "Sukarno Wibisono", "3275010101900304",
             "rekeningdelta", kecamatan="Jatiasih"),
]


def _build(make_dossier, make_user, items):
    make_user("pemohon2", "pemohon")
    make_user("pemohon3", "pemohon")
    for d in items:
        make_dossier(d["number"], service=d["service"], owner=d["owner"], state=d["state"],
                     reviewers=d["reviewers"], permit=d["permit"],
                     applicant={"kind": "person", "name": d["name"], "identity_number": d["nik"],
                                "nik": d["nik"], "phone": "0812" + d["nik"][-8:],
                                "email": f"{d['word']}@example.id", "address": f"Jl. {d['word']} 9",
                                "business_name": d["business"]},
                     location={"kecamatan": d["kecamatan"], "address": f"Jl. Rumah {d['word']}"},
                     fields={"uraian": f"Uraian {d['word']} untuk bangunan"})
    return items


@pytest.fixture(params=["fresh", "populated"])
def site_items(request, seeded, make_dossier, make_user):
    return _build(make_dossier, make_user, FRESH if request.param == "fresh" else POPULATED)


def _password(user, seeded):
    return OTHER_PASSWORD if user in ("pemohon2", "pemohon3") else seeded


def _officer_queries(d):
    """(field name as typed, value, predicate on a dossier: does it hold the value)."""
    return [("nomor", f'"{d["number"]}"', lambda o: o["number"] == d["number"]),
            ("pemohon", d["name"].split()[0], lambda o: o["name"] == d["name"]),
            ("identity", d["nik"], lambda o: o["nik"] == d["nik"]),
            ("nik", d["nik"], lambda o: o["nik"] == d["nik"]),
            ("text", d["word"], lambda o: o["word"] == d["word"]),
            ("isi", d["word"], lambda o: o["word"] == d["word"]),
            ("title", d["number"][-6:], lambda o: o["number"] == d["number"]),
            ("judul", d["number"][-6:], lambda o: o["number"] == d["number"]),
            ("layanan", d["service"], lambda o: o["service"] == d["service"])]


def _refused(res):
    return res.status_int == 400 and res.json["error"]["fields"].get("q")


def test_officer_search_matrix(testapp, site_items, seeded):
    officer_fields = {"nomor", "title", "pemohon", "identity", "layanan", "text"}
    other_fields = sorted(set(make_schema().names()) - officer_fields)
    for user in USERS + ("pemohon3",):
        if user is None:          # the officer search needs an account
            for path in ("/api/v1/search", "/cari"):
                res = testapp.get(path, params={"q": "rekeningalfa"}, expect_errors=True)
                assert res.status_int in (302, 303, 401, 403), (path, res.status_int)
            continue
        headers = bearer(api_token(testapp, user, _password(user, seeded)))
        viewable = {d["number"] for d in site_items
                    if testapp.get(f"/api/v1/applications/{d['number']}", headers=headers,
                                   expect_errors=True).status_int == 200}
        everything = testapp.get("/api/v1/search", params={"size": "100"}, headers=headers).json
        found = {i["uid"].split(":", 1)[1] for i in everything["items"] if i["kind"] == "dossier"}
        assert found == viewable, user
        for d in site_items:
            for name, value, holds in _officer_queries(d):
                res = testapp.get("/api/v1/search", params={"q": f"{name}:{value}", "size": "100"},
                                  headers=headers, expect_errors=True)
                assert res.status_int == 200, (user, name, res.text[:300])
                hits = {i["uid"].split(":", 1)[1] for i in res.json["items"] if i["kind"] == "dossier"}
                expected = {o["number"] for o in site_items if holds(o) and o["number"] in viewable}
                assert hits == expected, (user, name, value)
                for item in res.json["items"]:      # other kinds: only what the user may see
                    if item["kind"] == "permit":
                        assert item["number"] in {o["permit"]["number"] for o in site_items if o["permit"]}
                    elif item["kind"] == "recommendation":
                        assert item["number"].split()[0] in viewable or user == "opd.distaru"
            for name in other_fields:              # not user fields: refused, never a filter
                res = testapp.get("/api/v1/search", params={"q": f"{name}:{d['word']}"},
                                  headers=headers, expect_errors=True)
                assert _refused(res), (user, name, res.status_int)
        login(testapp, user, _password(user, seeded))
        for d in site_items:
            page = testapp.get("/cari", params={"q": f"isi:{d['word']}"})
            assert (d["number"] in page.text) == (d["number"] in viewable), (user, d["number"])
        testapp.reset()


def test_public_register_matrix(testapp, site_items, seeded):
    public_user_fields = {"nomor", "holder", "pemohon", "pemegang", "usaha", "layanan", "kecamatan",
                          "kecamatan_name"}
    every_name = (set(make_schema().names()) | set(make_public_schema().names())
                  | {"isi", "judul", "nik", "nib", "pemohon", "pemegang", "usaha", "kecamatan"})
    issued = [d for d in site_items if d["permit"]]
    for user in USERS:
        headers = bearer(api_token(testapp, user, _password(user, seeded))) if user else {}
        listing = testapp.get("/api/v1/permits", params={"size": "100"}, headers=headers).json
        assert sorted(i["permit_number"] for i in listing["items"]) == \
            sorted(d["permit"]["number"] for d in issued)
        for d in site_items:
            private = [d["nik"], d["word"], d["name"].split()[0]]
            if user is not None:        # the register does not depend on who asks: one value each
                private = private[:1]
            for name in sorted(every_name):
                for value in private:
                    forms = (f"{name}:{value}", f'{name}:"{value}"', f"{name}:{value[:4]}*")
                    for q in (forms if user is None else forms[:1]) + (value,):
                        res = testapp.get("/api/v1/permits", params={"q": q}, headers=headers,
                                          expect_errors=True)
                        if name not in public_user_fields and ":" in q:
                            assert _refused(res), (user, q, res.status_int)
                        else:
                            assert res.status_int == 200 and res.json["items_total"] == 0, (user, q)
            if d["permit"]:
                res = testapp.get("/api/v1/permits", headers=headers,
                                  params={"q": f'nomor:"{d["permit"]["number"]}"'})
                assert [i["permit_number"] for i in res.json["items"]] == [d["permit"]["number"]]
                res = testapp.get("/api/v1/permits", headers=headers, params={"q": "pemegang:sentosa"})
                assert res.json["items_total"] == 1
        body = testapp.get("/portal/izin", headers=headers).text + \
            testapp.get("/portal/izin/feed.atom", headers=headers).text
        for d in site_items:
            for secret in (d["nik"], d["word"], d["name"]):
                assert secret not in body, (user, secret)
