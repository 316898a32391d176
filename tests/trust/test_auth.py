"""Authentication throttling and timing (issue 10, "Authentication"),
through WebTest on a real FileStorage."""
import json
import logging
import statistics
import time

import webtest

from silat.cli.main import main as cli
from silat.resources.site import ZODB_ROOT_KEY
from silat.security import throttle
from tests.web import login

RIGHT = "Rahasia-2026x"


def client(app, address):
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": address})


def token_status(testapp, username, password):
    res = testapp.post("/api/v1/auth/token", json.dumps({"username": username,
                                                         "password": password}),
                       content_type="application/json", expect_errors=True)
    return res


def test_unknown_user_costs_a_password_hash(app, settings, make_user):
    make_user("pemohon1", "pemohon", email="p1@contoh.invalid")
    from silat.security import passwords
    passwords.configure({"silat.argon2.time_cost": "2", "silat.argon2.memory_cost": "32768",
                         "silat.argon2.parallelism": "1"})
    try:
        def timed(name, n):
            res = token_status(client(app, f"10.1.0.{n}"), name, "salah-sekali-99")
            assert res.status_int == 401
            return res

        def median(name):
            took = []
            for n in range(5):
                start = time.perf_counter()
                timed(name, n)
                took.append(time.perf_counter() - start)
            return statistics.median(took)

        timed("pemohon1", 99)       # warm both paths
        timed("tidak.ada", 98)
        known, unknown = median("pemohon1"), median("tidak.ada")
    finally:
        passwords.configure(settings)
    assert unknown > known * 0.6, (known, unknown)


def test_name_forms_share_one_counter_and_others_are_not_locked_out(app, db, make_user):
    make_user("pemohon1", "pemohon", email="Siti@Contoh.invalid")
    attacker = client(app, "10.9.9.9")
    for name in ("pemohon1", "PEMOHON1", "siti@contoh.invalid", "SITI@contoh.INVALID", " Pemohon1 "):
        assert token_status(attacker, name, "tebakan-123").status_int == 401
    refused = token_status(attacker, "pemohon1", RIGHT)
    assert refused.status_int == 429 and refused.json["error"]["code"] == "too_many_attempts"
    assert int(refused.headers["Retry-After"]) >= 1
    with db.transaction() as conn:
        failures = conn.root()[ZODB_ROOT_KEY]["pengguna"].failures
        assert failures["pair:pemohon1|10.9.9.9"].count == 5
        assert failures["acct:pemohon1"].count == 5
    # the real user, elsewhere, is not refused by what the attacker caused
    assert token_status(client(app, "10.1.1.1"), "siti@contoh.invalid", RIGHT).status_int == 201
    page = login(client(app, "10.1.1.2"), "pemohon1", RIGHT)
    assert page.status_int == 303


def test_delay_grows_and_ends(app, make_user):
    make_user("pemohon1", "pemohon")
    attacker = client(app, "10.9.9.8")
    for _ in range(throttle.FREE_PER_PAIR):
        token_status(attacker, "pemohon1", "tebakan-123")
    first = token_status(attacker, "pemohon1", RIGHT)
    assert first.status_int == 429 and first.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert token_status(attacker, "pemohon1", "tebakan-123").status_int == 401
    second = token_status(attacker, "pemohon1", RIGHT)
    assert second.status_int == 429 and second.headers["Retry-After"] == "2"
    time.sleep(2.1)
    assert token_status(attacker, "pemohon1", RIGHT).status_int == 201


def test_spraying_from_one_address_is_delayed_there_only(app, make_user):
    for n in range(3):
        make_user(f"pegawai{n}", "front_office")
    sprayer = client(app, "10.9.9.7")
    for n in range(throttle.FREE_PER_ADDRESS):
        assert token_status(sprayer, f"pegawai{n % 3}" if n % 2 else f"x{n}",
                            "tebakan-123").status_int == 401
    assert token_status(sprayer, "pegawai0", RIGHT).status_int == 429
    assert token_status(client(app, "10.1.1.3"), "pegawai0", RIGHT).status_int == 201


def test_login_page_tells_how_long_to_wait(app, make_user):
    make_user("pemohon1", "pemohon")
    attacker = client(app, "10.9.9.6")
    for _ in range(throttle.FREE_PER_PAIR):
        assert "kata sandi salah" in login(attacker, "pemohon1", "tebakan-123").text
    page = login(attacker, "pemohon1", RIGHT)
    assert "Coba lagi dalam 1 detik" in page.text
    assert login(client(app, "10.1.1.4"), "pemohon1", RIGHT).status_int == 303


def test_admin_unlocks_on_the_page_with_a_log_entry(app, seeded, caplog):
    attacker = client(app, "10.9.9.5")
    for _ in range(throttle.FREE_PER_PAIR + 3):
        token_status(attacker, "penandatangan", "tebakan-123")
    assert token_status(attacker, "penandatangan", seeded).status_int == 429
    admin = client(app, "10.1.1.5")
    login(admin, "admin", seeded)
    page = admin.get("/pengguna/percobaan-masuk")
    assert "penandatangan" in page.text and "10.9.9.5" in page.text
    form = [f for f in page.forms.values()
            if "account" in f.fields and f["account"].value == "penandatangan"][0]
    with caplog.at_level(logging.WARNING, logger="silat.security.throttle"):
        form.submit().follow()
    assert any("admin unlocked account=penandatangan" in r.getMessage() for r in caplog.records)
    assert token_status(attacker, "penandatangan", seeded).status_int == 201
    # not for anyone else
    refused = client(app, "10.1.1.6").post("/pengguna/buka-kunci", {"account": "x"}, status=303)
    assert "/masuk" in refused.location


def test_cli_unlock(tmp_path, capsys):
    from tests.test_evolve import write_ini
    from tests.cli_helpers import open_site
    from silat.security.principals import utcnow
    ini, _var = write_ini(tmp_path)
    ini = str(ini)
    assert cli(["-c", ini, "init"]) == 0
    from silat.cli import env as cli_env  # noqa: F401 - the CLI's own site access
    import transaction
    from ZODB import DB
    from ZODB.FileStorage import FileStorage
    var = ini.rsplit("/", 1)[0] + "/var"
    db = DB(FileStorage(f"{var}/Data.fs", blob_dir=f"{var}/blobs"))
    with db.transaction() as conn:
        principals = conn.root()[ZODB_ROOT_KEY]["pengguna"]
        for _ in range(6):
            throttle.record_failure(principals, "ADMIN", "10.9.9.4", utcnow())
    db.close()
    assert cli(["-c", ini, "users", "unlock", "Admin"]) == 0
    assert "2 record(s) removed" in capsys.readouterr().out
    db, site = open_site(ini)
    try:
        assert not [k for k in site["pengguna"].failures if "admin" in k]
        assert "addr:10.9.9.4" in site["pengguna"].failures
    finally:
        db.close()
    del transaction


def test_wrong_tracking_codes_are_throttled(app, db, service, make_user):
    from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers
    password = make_user("pemohon1", "pemohon")
    owner = client(app, "10.1.1.7")
    created = owner.post("/api/v1/applications", json.dumps(
        {"service": service, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS}),
        headers=api_headers(owner, "pemohon1", password), content_type="application/json")
    number = created.json["registration_number"]
    with db.transaction() as conn:
        code = conn.root()[ZODB_ROOT_KEY]["berkas"][number].tracking_code
    guesser = client(app, "10.9.9.3")
    for n in range(throttle.FREE_TRACKING):
        res = guesser.get(f"/api/v1/track/{number}", {"code": f"SALAH{n}"}, status=404)
        assert res.json["error"]["code"] == "not_found"
    refused = guesser.get(f"/api/v1/track/{number}", {"code": code}, status=429)
    assert refused.json["error"]["code"] == "too_many_attempts"
    page = guesser.get("/lacak", {"nomor": number, "kode": code}, status=429)
    assert "Terlalu banyak percobaan pelacakan" in page.text
    # the applicant elsewhere still tracks the application
    assert client(app, "10.1.1.8").get(f"/api/v1/track/{number}",
                                       {"code": code}).json["registration_number"] == number
    page = client(app, "10.1.1.8").get("/lacak", {"nomor": number, "kode": code})
    assert page.status_int == 200
