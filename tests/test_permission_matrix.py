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
    "/pengaduan/kelola": {"pengaduan", "admin"},
    "/pemantauan": {"pengawas", "admin"},
    "/admin": {"admin"},
}

# API path -> the users whose token may call it
API = {
    "/api/v1/auth/me": LOGGED_IN,
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
        "penandatangan": "/tanda-tangan", "arsiparis": "/arsip", "pengaduan": "/pengaduan/kelola",
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
