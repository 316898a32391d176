"""Issue 12: the IMB flow (NOP at filing, the PBB check inside the
verifier's checklist, the roles that reach it, the import linked from the
admin page) and registration errors in one round."""
from webtest import Upload

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import APPLICANT, radios
from tests.web import login
from silat.workflow import transition
from tests.workflow.conftest import give_recommendation, walk

NOP = "32.75.010.001.002-0123.0"


def test_imb_asks_the_nop_and_the_verifier_checks_pbb_in_the_checklist(testapp, seeded, db, app,
                                                                        edit_site):
    with edit_site() as site:
        site["pengguna"]["pemohon"].address = "Jl. Kenanga No. 7, Bekasi"
    login(testapp, "pemohon", seeded)
    page = testapp.get("/layanan/IMB/ajukan")
    form = page.forms["deform"]
    assert form.get("address", index=0).value == "Jl. Kenanga No. 7, Bekasi"   # from registration
    assert "nop" in form.fields
    radios(form, "person")[0].value = "person"
    for key in ("name", "identity_number", "email", "phone", "business_name", "business_type"):
        form[key] = APPLICANT[key]
    form.set("address", "Jl. Ahmad Yani No. 1", index=1)
    form["kecamatan"], form["kelurahan"] = "KEC-BEKASI-SELATAN", "Kayuringin Jaya"
    form["nop"] = "123"
    refused = form.submit("simpan")
    assert refused.status_int == 200 and "NOP harus 18 digit." in refused.text
    form = refused.forms["deform"]
    form["nop"] = NOP
    saved = form.submit("simpan")
    assert saved.status_int == 303
    number = saved.location.split("/berkas/")[1].split("/")[0]
    with edit_site() as site:
        dossier = site["berkas"][number]
        assert dossier.location["nop"] == NOP
        walk(app.registry, dossier, "submitted")
    testapp.reset()

    # the admin page links the Bapenda import
    login(testapp, "admin", seeded)
    admin = testapp.get("/admin")
    link = admin.html.find("a", href=lambda h: h and h.endswith("/impor-pbb"))
    form = testapp.get(link["href"]).forms["impor"]
    form["upload"] = Upload("pbb.csv", b"nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n"
                                       b"32.75.010.001.002-0123.0,2026,Siti Aminah,350000,2026-03-01\n")
    form.submit("impor")
    testapp.reset()

    # the verifier checks PBB from the checklist page, with the NOP given at filing
    login(testapp, "verifikator", seeded)
    page = testapp.get(f"/berkas/{number}/verifikasi")
    inline = page.forms["cek-pbb-inline"]
    assert inline["nop"].value == NOP
    inline["year"] = "2026"
    back = inline.submit("periksa")
    assert back.location.endswith(f"/berkas/{number}/verifikasi")
    page = back.follow()
    assert "lunas pada 2026-03-01" in page.text
    assert "Lunas" in page.html.select_one("#pbb").text
    with edit_site() as site:
        dossier = site["berkas"][number]
        assert dossier.checklist["bukti_lunas_pbb"]["valid"] is True
        dossier.pbb_check = None                 # say it was never checked before approval
        transition(dossier, "verify", registry=app.registry, check_permission=False, actor="system")
        for code in dossier.standard().recommendations_from or ():
            give_recommendation(dossier, code)
        if dossier.standard().recommendations_from:
            transition(dossier, "request_review", registry=app.registry, check_permission=False,
                       actor="system")
        transition(dossier, "approve", registry=app.registry, check_permission=False, actor="system")
    # after approval the verifier and the signer still reach the check; the applicant not
    testapp.get(f"/berkas/{number}/cek-pbb")
    testapp.reset()
    login(testapp, "penandatangan", seeded)
    form = testapp.get(f"/berkas/{number}/cek-pbb").forms["cek-pbb"]
    assert form["nop"].value == NOP
    assert form.submit("periksa").location.endswith(f"/berkas/{number}/")
    testapp.reset()
    login(testapp, "pemohon", seeded)
    testapp.get(f"/berkas/{number}/cek-pbb", status=403)


def test_registration_states_the_rule_and_shows_every_error_at_once(testapp, seeded, db):
    page = testapp.get("/daftar")
    assert "Minimal 10 karakter" in page.text               # the rule, before any failure
    form = page.forms["deform"]
    form["username"] = "pemohon"                            # taken
    radios(form, "person")[0].value = "person"
    for key in ("name", "identity_number", "phone", "address"):
        form[key] = APPLICANT[key]
    form["email"] = "pemohon@demo.silat.invalid"             # taken
    form["password"] = form["password-confirm"] = "pendek1"  # weak
    refused = form.submit("daftar")
    text = refused.text
    assert "sudah dipakai" in text and "Email ini sudah terdaftar." in text
    assert "Kata sandi minimal 10 karakter." in text
    with db.transaction() as conn:
        assert conn.root()[ZODB_ROOT_KEY]["pengguna"]["pemohon"].title != APPLICANT["name"]
