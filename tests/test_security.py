"""Login, logout, sessions, CSRF and login throttling through the real pages."""
import time

from silat.resources.site import ZODB_ROOT_KEY
from silat.security import throttle
from tests.web import login


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(testapp, make_user):
    password = make_user("verif", "verifikator")
    response = login(testapp, "verif", password)
    assert response.status_int == 303 and response.location.endswith("/beranda")
    cookie = [h for h in response.headerlist if h[0] == "Set-Cookie" and "silat_session=" in h[1]][0][1]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "secure" not in cookie.lower()
    home = response.follow().maybe_follow()
    assert home.request.path == "/verifikasi" and "Verifikasi Berkas" in home.text
    stolen = testapp.cookies["silat_session"]

    home.forms[0].submit().follow()       # "Keluar" in the header
    assert testapp.get("/verifikasi").status_int == 303      # back to login
    testapp.set_cookie("silat_session", stolen)               # a copied cookie is dead too
    assert testapp.get("/verifikasi").location.startswith("http://localhost/masuk")


def test_secure_cookie_flag_in_production_settings(settings):
    import webtest
    from silat import main
    from silat.security.accounts import create_user
    app = main({}, **{**settings, "silat.secure_cookies": "true"})
    try:
        with app.registry._zodb_databases[""].transaction() as conn:
            create_user(conn.root()[ZODB_ROOT_KEY], "adm", "Rahasia-2026x", roles=["admin"])
        testapp = webtest.TestApp(app, extra_environ={"wsgi.url_scheme": "https", "HTTP_HOST": "silat.test:443"})
        page = testapp.get("/masuk")
        form = page.forms["deform"]
        form["login"], form["password"] = "adm", "Rahasia-2026x"
        response = form.submit("masuk")
        cookie = [v for k, v in response.headerlist if k == "Set-Cookie" and "silat_session=" in v][0]
        assert "secure" in cookie.lower() and "HttpOnly" in cookie
    finally:
        app.registry._zodb_databases[""].close()


def test_wrong_password_is_refused_with_a_message(testapp, make_user):
    make_user("fo", "front_office")
    page = login(testapp, "fo", "salah-sekali-123")
    assert page.status_int == 200
    assert "Nama pengguna atau kata sandi salah." in page.text
    assert testapp.get("/loket").status_int == 303


def test_login_is_throttled_after_repeated_failures(testapp, make_user, db):
    password = make_user("pemohon1", "pemohon")
    for _ in range(throttle.FREE_PER_PAIR):
        assert "kata sandi salah" in login(testapp, "pemohon1", "tebak-tebak-1").text
    page = login(testapp, "pemohon1", password)      # from this address: wait first
    assert page.status_int == 200
    assert "Terlalu banyak percobaan" in page.text
    with db.transaction() as conn:
        record = conn.root()[ZODB_ROOT_KEY]["pengguna"].failures["pair:pemohon1|127.0.0.1"]
        assert record.count == throttle.FREE_PER_PAIR


def test_anonymous_is_sent_to_login_and_back(testapp, make_user):
    response = testapp.get("/verifikasi")
    assert response.status_int == 303
    assert response.location == "http://localhost/masuk?came_from=/verifikasi"
    password = make_user("verif", "verifikator")
    page = testapp.get(response.location)
    form = page.forms["deform"]
    form["login"], form["password"] = "verif", password
    assert form.submit("masuk").location == "http://localhost/verifikasi"


def test_login_never_redirects_off_site(testapp, make_user):
    password = make_user("verif", "verifikator")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        page = testapp.get("/masuk", params={"came_from": target})
        form = page.forms["deform"]
        form["login"], form["password"] = "verif", password
        location = form.submit("masuk").location
        assert location.startswith("http://localhost/"), location
        testapp.reset()


def test_post_without_or_with_forged_csrf_token_changes_nothing(testapp, make_user, db):
    password = make_user("pemohon1", "pemohon")
    login(testapp, "pemohon1", password)
    for data in ({"lang": "en"}, {"lang": "en", "csrf_token": "forged"}):
        response = testapp.post("/bahasa", data, status=400)
        assert "Formulir kedaluwarsa" in response.text
        assert "silat_lang" not in testapp.cookies
    with db.transaction() as conn:
        assert conn.root()[ZODB_ROOT_KEY]["pengguna"]["pemohon1"].language is None
    # a login POST with a forged token is refused too, and counts nothing
    response = testapp.post("/masuk", {"login": "pemohon1", "password": "x", "masuk": "masuk",
                                       "csrf_token": "forged"}, status=400)
    with db.transaction() as conn:
        assert "login:pemohon1" not in conn.root()[ZODB_ROOT_KEY]["pengguna"].failures


def test_idle_session_expires_with_a_message(app, testapp, make_user):
    password = make_user("verif", "verifikator")
    login(testapp, "verif", password)
    app.registry.settings["silat.session_idle_seconds"] = 1
    time.sleep(2.1)
    response = testapp.get("/verifikasi")
    assert response.status_int == 303 and "expired=1" in response.location
    assert "Sesi Anda telah berakhir" in response.follow().text


def test_password_change_logs_out_other_sessions(testapp, make_user, edit_site):
    password = make_user("verif", "verifikator")
    login(testapp, "verif", password)
    assert testapp.get("/verifikasi").status_int == 200
    with edit_site() as site:
        site["pengguna"]["verif"].set_password("Baru-Sekali-2026")
    assert testapp.get("/verifikasi").status_int == 303


def test_passwords_are_stored_as_argon2_hashes(make_user, db):
    password = make_user("arsip", "arsiparis")
    with db.transaction() as conn:
        stored = conn.root()[ZODB_ROOT_KEY]["pengguna"]["arsip"].password_hash
    assert stored.startswith("$argon2id$") and password not in stored


def test_templates_escape_user_supplied_text(testapp, make_user):
    password = make_user("pemohon1", "pemohon", title='<script>alert("x")</script>')
    page = login(testapp, "pemohon1", password).follow().maybe_follow()
    assert '<script>alert("x")</script>' not in page.text
    assert "&lt;script&gt;" in page.text


def test_admin_adds_a_user_through_the_form(testapp, seeded, db):
    login(testapp, "admin", seeded)
    page = testapp.get("/pengguna/tambah")
    form = page.forms["deform"]
    form["username"] = "Siti.Rahma"
    form["title"] = "Siti Rahma"
    form["email"] = "siti@example.org"
    form.get("checkbox", index=3).checked = True       # Petugas OPD
    form["agency"] = "DINKES"
    form["password"] = "Kuat-Sekali-2026"
    form["password-confirm"] = "Kuat-Sekali-2026"
    response = form.submit("simpan")
    assert response.status_int == 303
    assert "Pengguna siti.rahma ditambahkan." in response.follow().text
    with db.transaction() as conn:
        user = conn.root()[ZODB_ROOT_KEY]["pengguna"]["siti.rahma"]
        assert user.roles == ("petugas_opd",) and user.agency == "DINKES"


def test_admin_form_refuses_bad_input_and_stores_nothing(testapp, seeded, db):
    login(testapp, "admin", seeded)
    with db.transaction() as conn:
        before = len(conn.root()[ZODB_ROOT_KEY]["pengguna"])
    cases = [
        ({"email": "bukan-email"}, "Alamat email tidak sah."),
        ({"password": "pendek1", "password-confirm": "pendek1"}, "Kata sandi minimal 10 karakter."),
        ({"password-confirm": "lain-lagi-2026"}, "Kata sandi dan ulangannya tidak sama"),
        ({"agency": ""}, "harus terikat pada satu OPD"),
        ({"username": "pemohon"}, "sudah dipakai"),
    ]
    for change, message in cases:
        form = testapp.get("/pengguna/tambah").forms["deform"]
        values = {"username": "baru", "title": "Baru", "email": "baru@example.org", "agency": "DINKES",
                  "password": "Kuat-Sekali-2026", "password-confirm": "Kuat-Sekali-2026", **change}
        for key, value in values.items():
            form[key] = value
        form.get("checkbox", index=4).checked = True   # Kepala OPD
        page = form.submit("simpan")
        assert page.status_int == 200 and message in page.text, message
    with db.transaction() as conn:
        assert len(conn.root()[ZODB_ROOT_KEY]["pengguna"]) == before


def test_deactivated_user_cannot_log_in(testapp, seeded, db):
    login(testapp, "admin", seeded)
    page = testapp.get("/pengguna")
    form = [f for f in page.forms.values() if f.action.endswith("/pengguna/arsiparis/aktif")][0]
    form.submit().follow()
    testapp.reset()
    assert "kata sandi salah" in login(testapp, "arsiparis", seeded).text
