"""The permission matrix: who may open which page or API call.

This table is the single place later issues extend: add a row per view
(path, and who may open it). Users are the demo accounts of
``silat init --demo``; ``anonymous`` is a visitor who is not logged in.
A denied page sends an anonymous visitor to the login page (303) and
answers a logged-in user with 403.
"""
import pytest

from silat.cli.demo import DEMO_ACCOUNTS
from tests.web import api_token, bearer, login

USERS = [row[0] for row in DEMO_ACCOUNTS]
EVERYONE = {"anonymous", *USERS}
LOGGED_IN = set(USERS)

# path -> the users who may open it (admin holds every permission)
PAGES = {
    "/": EVERYONE,
    "/masuk": EVERYONE,
    "/permohonan-saya": {"pemohon", "loket", "admin"},
    "/loket": {"loket", "admin"},
    "/verifikasi": {"verifikator", "admin"},
    "/opd/DINKES/kotak-masuk": {"opd.dinkes", "kepala.dinkes", "admin"},
    "/opd/DISTARU/kotak-masuk": {"opd.distaru", "kepala.distaru", "admin"},
    "/tanda-tangan": {"penandatangan", "admin"},
    "/arsip": {"arsiparis", "admin"},
    "/pengaduan/antrian": {"pengaduan", "admin"},
    "/pemantauan": {"pengawas", "admin"},
    "/kalender": {"admin"},
    "/admin": {"admin"},
    "/cari": LOGGED_IN,
    "/portal/izin": EVERYONE,
    "/portal/izin/feed.atom": EVERYONE,
    "/arsip/retensi": {"arsiparis", "admin"},
    "/arsip/peminjaman": {"arsiparis", "admin"},
    "/arsip/pemusnahan": {"arsiparis", "admin"},
    "/arsip/cari": {"arsiparis", "admin"},
    "/delegasi-tanda-tangan": {"admin"},
    "/impor-pembayaran": {"admin"},
    "/impor-pbb": {"admin"},
    "/ajukan": {"pemohon", "loket", "admin"},
    "/layanan/SETDA-02/ajukan": {"pemohon", "loket", "admin"},
    "/daftar": EVERYONE,
    "/lacak": EVERYONE,
    "/pengaduan/antrian": {"pengaduan", "admin"},
    "/pengaduan/terlambat": {"pengawas", "admin"},
    "/informasi/laporan": {"pengawas", "admin"},
    "/survei/laporan": {"pengawas", "admin"},
    "/dasbor": {"pengawas", "penandatangan", "admin"},
    "/dasbor-berkas?metric=received": {"pengawas", "penandatangan", "admin"},
    "/laporan.pdf?period=2026-10": {"pengawas", "penandatangan", "admin"},
    "/opd/DINKES/dasbor": {"kepala.dinkes", "pengawas", "penandatangan", "admin"},
    "/opd/DISTARU/dasbor-tabel?table=ringkasan": {"kepala.distaru", "pengawas", "penandatangan", "admin"},
    "/statistik": EVERYONE,
}

# API path -> the users whose token may call it
API = {
    "/api/v1/auth/me": LOGGED_IN,
    "/api/v1/search": LOGGED_IN,
    "/api/v1/permits": EVERYONE,
    "/api/v1/agencies/DINKES/requests": {"opd.dinkes", "kepala.dinkes", "admin"},
    "/api/v1/agencies/DISTARU/requests": {"opd.distaru", "kepala.distaru", "admin"},
    "/api/v1/applications": {"pemohon", "loket", "admin"},
    "/api/v1/stats": {"pengawas", "penandatangan", "kepala.dinkes", "kepala.distaru", "admin"},
}

CASES = [(path, user, user in allowed) for path, allowed in PAGES.items() for user in sorted(EVERYONE)]
API_CASES = [(path, user, user in allowed) for path, allowed in API.items() for user in sorted(EVERYONE)]


@pytest.mark.parametrize("path,user,allowed", CASES)
def test_page_permission(testapp, seeded, path, user, allowed):
    if user != "anonymous":
        login(testapp, user, seeded)
    response = testapp.get(path, expect_errors=True)
    if allowed:
        assert response.status_int == 200, (path, user, response.status)
    elif user == "anonymous":
        assert response.status_int == 303 and "/masuk?came_from=" in response.location
    else:
        assert response.status_int == 403, (path, user, response.status)


@pytest.mark.parametrize("path,user,allowed", API_CASES)
def test_api_permission(testapp, seeded, path, user, allowed):
    headers = {} if user == "anonymous" else bearer(api_token(testapp, user, seeded))
    response = testapp.get(path, headers=headers, expect_errors=True)
    if allowed:
        assert response.status_int == 200
    else:
        assert response.status_int == (401 if user == "anonymous" else 403)
        assert "error" in response.json


def test_every_role_reaches_its_home_from_beranda(testapp, seeded):
    expected = {
        "pemohon": "/permohonan-saya", "loket": "/loket", "verifikator": "/verifikasi",
        "opd.dinkes": "/opd/DINKES/kotak-masuk", "kepala.dinkes": "/opd/DINKES/kotak-masuk",
        "penandatangan": "/tanda-tangan", "arsiparis": "/arsip", "pengaduan": "/pengaduan/antrian",
        "pengawas": "/pemantauan", "admin": "/admin",
    }
    for user, home in expected.items():
        testapp.reset()
        login(testapp, user, seeded)
        page = testapp.get("/beranda").maybe_follow()
        assert page.request.path == home, (user, page.request.path)
        assert page.status_int == 200


def test_agency_role_is_local_to_its_agency(seeded, edit_site):
    """The OPD roles are granted on the agency folder only, never site-wide."""
    from silat.security.localroles import local_roles
    with edit_site() as site:
        assert local_roles(site["opd"]["DINKES"])["user:opd.dinkes"] == ("petugas_opd",)
        assert "role:petugas_opd" not in site["pengguna"]["opd.dinkes"].principals()
        assert "user:opd.dinkes" not in local_roles(site["opd"]["DISTARU"])


# -- per workflow state: who sees an application, who may edit it, and which
# transitions each user is offered now. The dossier (service IMB, DISTARU
# recommends) belongs to "pemohon"; a user missing from a state's row does
# not even see the dossier (the API answers 404).
V = "view"          # sees it, may not edit
E = "edit"          # sees it and may edit its data
STATE_MATRIX = {
    "draft": {"pemohon": (E, "submit", "withdraw"), "admin": (E, "submit", "withdraw")},
    "submitted": {"pemohon": (V, "withdraw"), "verifikator": (E,), "penandatangan": (V, "reject"),
                  "loket": (V,), "pengawas": (V,), "admin": (E, "reject", "withdraw")},
    "returned": {"pemohon": (E, "resubmit", "withdraw"), "verifikator": (V,), "penandatangan": (V,),
                 "loket": (V,), "pengawas": (V,), "admin": (E, "resubmit", "withdraw")},
    "verified": {"pemohon": (V,), "verifikator": (V, "request_review"), "penandatangan": (V, "reject"),
                 "loket": (V,), "pengawas": (V,), "admin": (E, "request_review", "reject")},
    "in_review": {"pemohon": (V,), "verifikator": (V,), "penandatangan": (V, "reject"),
                  "opd.distaru": (V,), "kepala.distaru": (V,), "loket": (V,), "pengawas": (V,),
                  "admin": (E, "reject")},
    "awaiting_payment": {"pemohon": (V,), "verifikator": (V,), "penandatangan": (V, "reject"),
                         "loket": (V,), "pengawas": (V,), "admin": (E, "reject")},
    "approved": {"pemohon": (V,), "verifikator": (V,), "penandatangan": (V, "issue", "reject"),
                 "loket": (V,), "pengawas": (V,), "admin": (E, "issue", "reject")},
    **{final: {"pemohon": (V,), "verifikator": (V,), "penandatangan": (V,), "loket": (V,),
               "pengawas": (V,), "arsiparis": (V,), "admin": (E,)}
       for final in ("issued", "rejected", "withdrawn")},
}


def _dossier_in(app, settings, edit_site, state):
    from silat.permits.signing import generate_dev_ca
    from tests.workflow.conftest import assess_fee, new_dossier, walk
    from silat.workflow import transition
    generate_dev_ca(settings)
    number = "SILAT-2026-000050"
    with edit_site() as site:
        dossier = new_dossier(site, number)
        before = {"awaiting_payment": "approved", "returned": "submitted", "rejected": "verified",
                  "withdrawn": "draft"}.get(state, state)
        walk(app.registry, dossier, before)
        if state != before:
            if state == "awaiting_payment":
                assess_fee(dossier)
            if state == "returned":
                dossier.checklist = {"bukti_lunas_pbb": {"valid": False, "reason": "x"}}
            name = {"awaiting_payment": "assess_fee", "returned": "return", "rejected": "reject",
                    "withdrawn": "withdraw"}[state]
            transition(dossier, name, registry=app.registry, check_permission=False, actor="system",
                       comment="alasan")
        if state == "submitted":
            dossier.checklist = {}
        assert dossier.state == state
    return number


@pytest.mark.parametrize("state", sorted(STATE_MATRIX))
def test_per_state_permissions(testapp, app, settings, seeded, edit_site, state):
    number = _dossier_in(app, settings, edit_site, state)
    expected = STATE_MATRIX[state]
    for user in USERS:
        res = testapp.get(f"/api/v1/applications/{number}/transitions",
                          headers=bearer(api_token(testapp, user, seeded)), expect_errors=True)
        if user not in expected:
            assert res.status_int == 404, (state, user, res.status)
            continue
        assert res.status_int == 200, (state, user, res.status)
        mode, *names = expected[user]
        assert res.json["may_edit"] == (mode == E), (state, user)
        assert [t["name"] for t in res.json["transitions"]] == names, (state, user)
