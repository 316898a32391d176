"""The public catalog API: shapes, filters and errors."""
from tests.web import api_token, bearer

SUMMARY_KEYS = {"code", "name", "category", "agency", "completion_time", "fee",
                "requires_recommendation_from"}


def test_list_shape(testapp, seeded):
    res = testapp.get("/api/v1/services")
    assert res.content_type == "application/json"
    items = res.json
    assert isinstance(items, list) and int(res.headers["X-Total-Count"]) == len(items)
    for item in items:
        assert set(item) == SUMMARY_KEYS
        assert item["completion_time"] is None or set(item["completion_time"]) >= {"amount", "unit"}
        assert item["fee"] is None or item["fee"]["kind"] in ("free", "fixed", "formula")
        assert isinstance(item["requires_recommendation_from"], list)
    imb = next(i for i in items if i["code"] == "IMB")
    assert imb["requires_recommendation_from"] == ["DISTARU"]


def test_filters_q_agency_category(testapp, seeded):
    by_agency = testapp.get("/api/v1/services", {"agency": "dinkes"}).json
    assert by_agency and {i["agency"] for i in by_agency} == {"DINKES"}
    rek = testapp.get("/api/v1/services", {"category": "rekomendasi_teknis"}).json
    assert rek and {i["category"] for i in rek} == {"rekomendasi_teknis"}
    both = testapp.get("/api/v1/services", {"category": "rekomendasi_teknis",
                                            "agency": "DISTARU"}).json
    assert {i["code"] for i in both} == {"REK-DISTARU-01", "REK-DISTARU-02"}
    found = testapp.get("/api/v1/services", {"q": "mendirikan bangunan"}).json
    assert {"IMB", "REK-DISTARU-01"} <= {i["code"] for i in found}
    assert testapp.get("/api/v1/services", {"q": "tidakadalayananini"}).json == []


def test_unknown_category_is_a_400(testapp, seeded):
    res = testapp.get("/api/v1/services", {"category": "lain"}, status=400)
    assert res.json["error"]["code"] == "invalid_category"
    assert "rekomendasi_teknis" in res.json["error"]["fields"]["category"]


def test_detail_shape(testapp, seeded):
    std = testapp.get("/api/v1/services/SETDA-05").json
    assert SUMMARY_KEYS <= set(std)
    assert std["revision"] == 1
    for req in std["requirements"]:
        assert set(req) >= {"key", "name", "mandatory", "file_types"}
    assert [r["name"] for r in std["requirements"]][:2] == ["Data Identitas", "Surat Permohonan"]
    assert all(set(step) == {"step", "actor", "time", "output"} for step in std["procedure"])
    for name in ("legal_basis", "product", "facilities", "staff_competence",
                 "internal_supervision", "complaint_channels", "staff_count",
                 "service_guarantee", "security_guarantee", "performance_evaluation",
                 "validity", "classification_code", "to_configure"):
        assert name in std
    assert std["url"].endswith("/layanan/SETDA-05/")


def test_unknown_code_is_a_json_404(testapp, seeded):
    res = testapp.get("/api/v1/services/TIDAK-ADA", status=404)
    assert res.content_type == "application/json"
    assert res.json["error"]["code"] == "not_found"
    assert "TIDAK-ADA" in res.json["error"]["message"]
    res = testapp.get("/api/v1/services/IMB", {"revision": "9"}, status=404)
    assert res.json["error"]["code"] == "not_found"


def test_public_without_token_and_valid_token_accepted(testapp, seeded):
    token = api_token(testapp, "pemohon", seeded)
    assert testapp.get("/api/v1/services/IMB", headers=bearer(token)).json["code"] == "IMB"
    res = testapp.get("/api/v1/services", headers=bearer("rusak"), status=401)
    assert res.json["error"]["code"] == "invalid_token"


def test_api_is_read_only(testapp, seeded):
    res = testapp.post("/api/v1/services", "{}", content_type="application/json",
                       expect_errors=True)
    assert res.status_int in (404, 405)
    assert "error" in res.json
