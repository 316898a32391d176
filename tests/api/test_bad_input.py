"""Every bad input named in issue 10 ("No 500 for any input"), through the
real WSGI stack on a real FileStorage: each gets a 4xx with the standard
error body (API) or a friendly page (HTML), never a 500."""
import json

import pytest

from tests.permits.test_decisions import REG, _to_review
from tests.web import api_token, bearer

APPLICATIONS = "/api/v1/applications"


def _post(testapp, url, raw, token, status):
    res = testapp.post(url, raw, headers=bearer(token), content_type="application/json",
                       status=status)
    error = res.json["error"]
    assert error["code"] and error["message"]
    return res


@pytest.fixture
def applicant(testapp, seeded):
    return api_token(testapp, "pemohon", seeded)


SERVICES = [
    (["IMB"], "Harus berupa teks."),
    (42, "Harus berupa teks."),
    (4.5, "Harus berupa teks."),
    ({"code": "IMB"}, "Harus berupa teks."),
    (True, "Harus berupa teks."),
    ("", "Wajib diisi."),
    (None, "Wajib diisi."),
    ("X" * 101, "Paling banyak 100 karakter."),
]


def test_service_of_the_wrong_type_is_422(testapp, applicant):
    for service, field_message in SERVICES:
        res = _post(testapp, APPLICATIONS, json.dumps({"service": service}), applicant, 422)
        assert res.json["error"]["code"] == "invalid_input"
        assert res.json["error"]["fields"]["service"] == field_message, service


NOT_AN_OBJECT = [
    '{"service": NaN}', '{"service": Infinity}', '{"service": -Infinity}',
    "[" * 100000 + "]" * 100000,                              # RecursionError before
    '{"a": ' * 30 + "1" + "}" * 30,                           # deeper than the limit
    "[1, 2]", '"text"', "17", "{", b"\xff\xfe{}",
    '{"service": "IMB\\udb42"}', '{"service": "IM\\u0000B"}',   # lone surrogate, NUL
    '{"applicant": {"\\ud800": "x"}, "service": "IMB"}',
]


def test_bodies_that_are_not_a_json_object_are_400(testapp, applicant):
    for raw in NOT_AN_OBJECT:
        res = _post(testapp, APPLICATIONS, raw, applicant, 400)
        assert res.json["error"]["code"] == "invalid_json", raw[:40]


def test_a_huge_body_is_413_and_messages_follow_accept_language(testapp, applicant):
    res = testapp.post(APPLICATIONS, b'{"service": "' + b"x" * (1024 * 1024 + 1) + b'"}',
                       headers=bearer(applicant), content_type="application/json", status=413)
    assert res.json["error"]["code"] == "body_too_large"
    res = testapp.post(APPLICATIONS, json.dumps({"service": ["IMB"]}),
                       headers={**bearer(applicant), "Accept-Language": "en"},
                       content_type="application/json", status=422)
    assert res.json["error"]["fields"]["service"] == "Must be text."


def test_application_parts_of_the_wrong_type_are_422(testapp, applicant):
    for part in ("applicant", "location", "fields"):
        for value in (["a"], "text", 3, {"nested": {"deep": 1}}, {"list": [1]}):
            res = _post(testapp, APPLICATIONS, json.dumps({"service": "IMB", part: value}),
                        applicant, 422)
            assert part in res.json["error"]["fields"], (part, value)


def test_submit_with_a_declaration_that_is_not_a_boolean_is_422(testapp, applicant, app,
                                                                 edit_site):
    _to_review(app, edit_site, recommendations=())             # the applicant's own dossier
    for declaration in (["yes"], "yes", 1, {"a": True}):
        res = _post(testapp, f"{APPLICATIONS}/{REG}/submit",
                    json.dumps({"declaration": declaration}), applicant, 422)
        assert res.json["error"]["fields"]["declaration"] == "Harus bernilai true atau false."


DECISIONS = [
    ({"decision": ["recommended"]}, "decision"),
    ({"decision": {"value": "recommended"}}, "decision"),
    ({"decision": 1}, "decision"),
    ({"decision": "recommended", "conditions": "one"}, "conditions"),
    ({"decision": "recommended", "conditions": [1, 2]}, "conditions"),
    ({"decision": "not_recommended", "reasons": ["a"]}, "reasons"),
    ({"decision": "recommended", "notes": {"a": 1}}, "notes"),
    ({"decision": "maybe"}, "decision"),
]


def test_recommendation_decision_of_the_wrong_type_is_422(testapp, seeded, app, edit_site):
    _to_review(app, edit_site)
    token = api_token(testapp, "opd.dinkes", seeded)
    url = f"{APPLICATIONS}/{REG}/recommendations/DINKES"
    for body, field in DECISIONS:
        res = _post(testapp, url, json.dumps(body), token, 422)
        assert field in res.json["error"]["fields"], body
    # nothing was saved: a valid draft afterwards is still accepted
    testapp.post(url, json.dumps({"decision": "recommended"}), headers=bearer(token),
                 content_type="application/json", status=202)


def test_signing_without_a_certificate_is_a_clear_503_and_saves_nothing(testapp, seeded, app,
                                                                          edit_site):
    _to_review(app, edit_site)                 # no ``signing_ca``: the site has no certificate
    token = api_token(testapp, "kepala.dinkes", seeded)
    url = f"{APPLICATIONS}/{REG}/recommendations/DINKES"
    res = testapp.post(url, json.dumps({"decision": "recommended"}), headers=bearer(token),
                       content_type="application/json", status=503)
    assert res.json["error"]["code"] == "signing_unavailable"
    assert "belum dikonfigurasi" in res.json["error"]["message"]
    with edit_site() as site:
        rec = site["berkas"][REG]["rekomendasi"]["DINKES"]
        assert rec.decision is None and rec.letter_number is None


def test_transition_comment_of_the_wrong_type_is_422(testapp, seeded, app, edit_site):
    _to_review(app, edit_site)
    token = api_token(testapp, "verifikator", seeded)
    for comment in (["a"], {"a": 1}, 5, "x" * 2001):
        _post(testapp, f"{APPLICATIONS}/{REG}/transitions/return",
              json.dumps({"comment": comment}), token, 422)


def test_token_request_with_wrong_types_is_422(testapp, seeded):
    for body in ({"username": ["pemohon"], "password": seeded}, {"username": "pemohon",
                                                                  "password": 12345}):
        res = testapp.post("/api/v1/auth/token", json.dumps(body),
                           content_type="application/json", status=422)
        assert res.json["error"]["code"] == "invalid_input"


FAR = "9999-12-31"


def test_far_dates_on_the_permits_api_are_400(testapp, seeded):
    for query in (f"issued_to={FAR}", f"issued_from={FAR}",
                  f"issued_from=0001-01-01&issued_to={FAR}", "issued_to=10000-01-01",
                  "issued_to=2026-02-30", "issued_from=0001-01-01"):
        res = testapp.get(f"/api/v1/permits?{query}", status=400)
        assert res.json["error"]["code"] == "invalid_query"
        message = res.json["error"]["message"]
        assert "TTTT-BB-HH" in message or "9998-12-31" in message, query
    res = testapp.get("/api/v1/permits?issued_from=1900-01-01&issued_to=9998-12-31")
    assert res.json["items_total"] == 0


PORTAL_QUERIES = [
    f"issued_to={FAR}", f"periode=tahun&tanggal={FAR}", f"periode=bulan&tanggal={FAR}",
    f"periode=minggu&tanggal={FAR}", f"periode=hari&tanggal={FAR}", "periode=abad&tanggal=2026-01-01",
]


def test_far_dates_on_the_portal_and_feed_are_a_clear_400(testapp, seeded):
    for path in ("/portal/izin", "/portal/izin/feed.atom"):
        for query in PORTAL_QUERIES:
            if path.endswith("atom") and query.startswith("issued_to"):
                res = testapp.get(f"{path}?{query}", status=(200, 400))  # the feed ignores it
            else:
                res = testapp.get(f"{path}?{query}", status=400)
            assert "Traceback" not in res.text
            if res.status_int == 400 and path == "/portal/izin":
                assert "9998-12-31" in res.text or "Periode tidak dikenal" in res.text, query


    res = testapp.get("/portal/izin?periode=tahun&tanggal=9998-12-31")   # the last year allowed
    assert res.status_int == 200


NOT_UTF8 = ["/portal/izin?q=%FF%FE", "/layanan?q=%C3%28", "/api/v1/permits?q=%FF",
            "/%FF%FE", "/api/v1/services/%FF"]


@pytest.mark.filterwarnings("ignore:http.cookiejar bug")
def test_non_utf8_paths_and_queries_are_400(app, seeded):
    import webtest
    for url in NOT_UTF8:      # (WebTest's own cookie jar cannot parse such URLs: warning ignored)
        res = webtest.TestApp(app).get(url, status=400)
        assert "Traceback" not in res.text
        if url.startswith("/api/"):
            assert res.json["error"]["code"] == "bad_encoding"
        else:
            assert "bukan UTF-8" in res.text and res.content_type == "text/html"


def test_a_non_utf8_form_body_is_read_as_a_wrong_login(testapp, seeded):
    """WebOb reads undecodable form bytes as replacement characters: the
    login is refused like any wrong one, never a 500."""
    form = testapp.get("/masuk").forms["deform"]
    token = form["csrf_token"].value.encode()
    res = testapp.post("/masuk", b"csrf_token=" + token + b"&login=%FF%FE&password=x&masuk=masuk",
                       content_type="application/x-www-form-urlencoded")
    assert "Nama pengguna atau kata sandi salah." in res.text


def _app_with(settings, view):
    """The real app plus one extra view, to drive the safety net."""
    from silat import make_config, open_site
    config = make_config(settings)
    config.add_route("boom", "/uji/boom")
    config.add_route("api.boom", "/api/v1/uji/boom")
    config.add_view(view, route_name="boom", renderer="string")
    config.add_view(view, route_name="api.boom", renderer="json")
    application = config.make_wsgi_app()
    open_site(application.registry)
    return application


def test_an_unexpected_error_is_a_friendly_page_and_a_logged_traceback(settings, caplog):
    import webtest

    def boom(request):
        raise KeyError("no such thing")

    application = _app_with(settings, boom)
    try:
        testapp = webtest.TestApp(application)
        res = testapp.get("/uji/boom", status=500)
        assert "Terjadi kesalahan" in res.text and "Traceback" not in res.text
        assert "KeyError" not in res.text
        res = testapp.get("/uji/boom", headers={"Cookie": "silat_lang=en"}, status=500)
        assert "Something went wrong" in res.text
        res = testapp.get("/api/v1/uji/boom", status=500)
        assert res.json == {"error": {"code": "internal_error", "message": res.json["error"]["message"]}}
        assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
    finally:
        application.registry._zodb_databases[""].close()


def test_the_safety_net_lets_conflicts_be_retried(settings):
    import webtest
    from ZODB.POSException import ConflictError
    calls = []

    def conflicting(request):
        calls.append(request.environ.get("retry.attempt"))
        if len(calls) < 3:
            raise ConflictError()
        return "ok"

    application = _app_with(settings, conflicting)
    try:
        assert webtest.TestApp(application).get("/uji/boom").text == "ok"
        assert calls == [0, 1, 2]
    finally:
        application.registry._zodb_databases[""].close()


ODD_REQUESTS = [
    ("/api/v1/auth/me", {"Authorization": "Bearer \xff\xfe"}, 401),
    ("/api/v1/auth/me", {"Authorization": "Basic !!!"}, 401),
    ("/api/v1/auth/me", {"Authorization": "Bearer"}, 401),
    ("/api/v1/services", {"Accept-Language": "*;q=abc,,;;"}, 200),
    ("/", {"Cookie": "silat_lang=\xff; auth_tkt=\xff\xfe"}, 200),
    ("/beranda", {"Cookie": "session=%%%%"}, 303),
    ("/cari?page=99999999999999999999", {}, 303),
    ("/portal/izin?page=-1&size=abc", {}, 400),
    ("/layanan?kategori=%00", {}, 200),
    ("/lacak?nomor=%00&kode=x", {}, 404),
    ("/verifikasi/%00", {}, 404),
    ("/api/v1/permits/%00", {}, 404),
    ("/api/v1/track/X?code=%00", {}, 404),
]


def test_odd_headers_and_parameters_get_a_clear_answer(app, seeded):
    import webtest
    for url, headers, status in ODD_REQUESTS:
        webtest.TestApp(app).get(url, headers=headers, status=status)
