"""Self-registration with NIK/NIB checks and email confirmation."""
import re

import pytest

from silat.intake.identity import nib_problem, nik_problem
from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import APPLICANT, NIK, radios
from tests.web import login

PASSWORD = "Kuat-sekali-2026"


def _register(testapp, **applicant):
    page = testapp.get("/daftar")
    form = page.forms["deform"]
    data = {**APPLICANT, **applicant}
    form["username"] = "siti"
    radios(form, "person")[0].value = data["kind"]
    for key in ("name", "identity_number", "email", "phone", "address"):
        form[key] = data[key]
    form["password"] = PASSWORD
    form["password-confirm"] = PASSWORD
    return form.submit("daftar")


def test_register_confirm_and_log_in(testapp, seeded, db, smtp_sink):
    response = _register(testapp)
    assert response.status_int == 303
    with db.transaction() as conn:
        user = conn.root()[ZODB_ROOT_KEY]["pengguna"]["siti"]
        assert user.roles == ("pemohon",) and not user.active and not user.email_confirmed
        assert user.identity_number == NIK and user.phone == APPLICANT["phone"]
    mail = smtp_sink.wait(1)
    assert mail[0]["to"] == [APPLICANT["email"]]
    link = re.search(r"http://localhost(/konfirmasi\?\S+)", mail[0]["body"]).group(1)
    # not active before confirmation
    assert "belum aktif: buka tautan konfirmasi" in login(testapp, "siti", PASSWORD).text
    assert "Nama pengguna atau kata sandi salah." in login(testapp, "siti", "Salah-sandi-2026").text
    # a wrong token does nothing
    testapp.get("/konfirmasi?u=siti&t=salah", status=400)
    assert "sudah aktif" in testapp.get(link).text
    testapp.get(link, status=400)                      # used once only
    home = login(testapp, "siti", PASSWORD).follow().maybe_follow()
    assert home.request.path == "/permohonan-saya"


@pytest.mark.parametrize("applicant,message", [
    ({"identity_number": "327501010190"}, "NIK harus 16 digit angka."),
    ({"identity_number": "3275013201900001"}, "Tanggal lahir pada NIK"),
    ({"kind": "company", "identity_number": NIK}, "NIB harus 13 digit angka."),
    ({"phone": "telepon"}, "Nomor telepon tidak sah"),
])
def test_bad_identity_is_refused(testapp, seeded, db, applicant, message):
    response = _register(testapp, **applicant)
    assert response.status_int == 200 and message in response.text
    with db.transaction() as conn:
        assert "siti" not in conn.root()[ZODB_ROOT_KEY]["pengguna"]


def test_nik_and_nib_rules():
    assert nik_problem(NIK) is None
    assert nik_problem("3275014101900002") is None           # a woman: day + 40
    assert nik_problem("3275010101900000") is not None       # sequence 0000
    assert nik_problem("3200010101900001") is not None       # regency 00
    assert nik_problem("3275013002900001") is not None       # 30 February
    assert nik_problem("32750101019000a1") is not None
    assert nib_problem("1234567890123") is None
    assert nib_problem("123456789012") is not None
