"""Admin forms: agencies and service standards; invalid input stores nothing."""
import datetime as dt

import pytest

from tests.catalog.forms import service_post
from tests.web import login


@pytest.fixture
def admin(testapp, seeded):
    login(testapp, "admin", seeded)
    return testapp


# IMB after loading: the seed's revision and the reference facts' (test_reference)
IMB_LOADED = 2


def count_revisions(edit_site, code):
    with edit_site() as site:
        service = site["layanan"].get(code)
        return None if service is None else len(service.revisions)


def test_admin_adds_a_service_with_requirements_and_steps(admin, edit_site):
    page = admin.get("/layanan/tambah")
    res = admin.post("/layanan/tambah", service_post(page)).follow()
    assert "Layanan IZIN-UJI disimpan (revisi 1)." in res.text
    std = admin.get("/api/v1/services/IZIN-UJI").json
    assert std["completion_time"] == {"amount": 5, "unit": "working_days"}
    assert std["fee"] == {"kind": "fixed", "amount": 150000}
    assert std["requires_recommendation_from"] == ["DISTARU"]
    assert std["requirements"] == [
        {"key": "ktp", "name": "KTP pemohon", "mandatory": True, "file_types": ["jpg", "pdf"],
         "provided_by": "applicant"},
        {"key": "cek_lokasi", "name": "Pemeriksaan lokasi", "mandatory": True,
         "file_types": None, "provided_by": "officer"}]
    assert [s["step"] for s in std["procedure"]] == ["Pemohon mengajukan permohonan",
                                                     "Petugas memeriksa berkas"]
    assert std["validity"] == {"amount": 5, "unit": "years"}
    assert "staff_count" in std["to_configure"] and "product" not in std["to_configure"]
    with edit_site() as site:
        rev = site["layanan"]["IZIN-UJI"].current
        assert rev.author == "admin" and rev.note == "dibuat oleh uji"
        assert rev.effective_date == dt.date.today()


@pytest.mark.parametrize("changes,message", [
    ({"name": ""}, "Wajib diisi."),
    ({"code": "IMB"}, "Kode IMB sudah dipakai."),
    ({"code": "kode salah!"}, "Kode hanya huruf besar"),
    ({"category": "lainnya"}, "Pilihan tidak sah."),
    ({"agency": "TIDAKADA"}, "Kode OPD tidak dikenal: TIDAKADA."),
    ({"recommenders": ("DISTARU", "PALSU")}, "Kode OPD tidak dikenal: PALSU."),
    ({"fee": ("formula", "", "__import__('os').system('id')")}, "min, max dan round"),
    ({"fee": ("formula", "", "luas.__class__")}, "tidak diizinkan"),
    ({"fee": ("formula", "", "9 ** 9 ** 9")}, "hanya + - * /"),
    ({"fee": ("fixed", "", "")}, "Isi tarif tetap dalam rupiah."),
    ({"fee": ("fixed", "-500", "")}, "bilangan bulat tanpa tanda minus"),
    ({"time": ("dua", "days")}, "bilangan bulat"),
    ({"time": ("0", "days")}, "lebih dari nol"),
    ({"classification": "5O3"}, "Kode klasifikasi berupa tiga angka"),
    ({"effective_date": "2001-01-01"}, "tidak boleh sebelum hari ini"),
    ({"effective_date": "31-12-2030"}, "Tanggal tidak sah"),
    ({"requirements": [("ktp", "KTP", True, (), "applicant"),
                       ("ktp", "KTP lagi", False, (), "applicant")]},
     "Kunci persyaratan harus unik; ganda: ktp."),
    ({"requirements": [("KTP Pemohon", "KTP", True, (), "applicant")]},
     "Kunci hanya huruf kecil"),
    ({"requirements": [("ktp", "", True, (), "applicant")]}, "Wajib diisi."),
    ({"requirements": [("ktp", "KTP", True, (), "tetangga")]}, "Pilihan tidak sah."),
    ({"steps": [("", "Petugas", "", "")]}, "Wajib diisi."),
])
def test_invalid_service_is_refused_with_indonesian_message(admin, edit_site, changes, message):
    page = admin.get("/layanan/tambah")
    kw = {"code": "IZIN-SALAH"}
    kw.update(changes)
    res = admin.post("/layanan/tambah", service_post(page, **kw))
    assert res.status_int == 200                  # the form again, not a redirect
    assert message in res.text
    code = kw["code"] if kw["code"] != "IMB" else None
    if code:
        assert count_revisions(edit_site, code) is None
    assert count_revisions(edit_site, "IMB") == IMB_LOADED


def test_edit_creates_a_revision_and_keeps_the_old_one(admin, edit_site):
    page = admin.get("/layanan/SETDA-05/edit")
    form = page.forms["deform"]
    assert form.get("name", index=0).value == \
        "Permohonan Informasi Publik ke Pemerintah Kota Bekasi"
    form.set("amount", "7", index=0)     # completion_time.amount is the first "amount"
    form["note"] = "Percepatan layanan PPID"
    res = form.submit("simpan").follow()
    assert "Revisi 2 disimpan" in res.text
    assert "Percepatan layanan PPID" in res.text and "berlaku" in res.text
    assert admin.get("/api/v1/services/SETDA-05").json["completion_time"] == \
        {"amount": 7, "unit": "working_days"}
    old = admin.get("/api/v1/services/SETDA-05", {"revision": "1"}).json
    assert old["completion_time"] == {"amount": 10, "unit": "working_days"}
    page = admin.get("/layanan/SETDA-05", {"revisi": "1"})
    assert "bukan revisi yang berlaku saat ini" in page.text
    with edit_site() as site:
        service = site["layanan"]["SETDA-05"]
        assert [r.number for r in service.history()] == [2, 1]
        assert service.revision(2).author == "admin"
        # every other component was carried over unchanged
        assert service.revision(2).requirements == service.revision(1).requirements
        assert service.revision(2).source == service.revision(1).source


def test_edit_without_changes_makes_no_revision(admin, edit_site):
    form = admin.get("/layanan/IMB/edit").forms["deform"]
    res = form.submit("simpan").follow()
    assert "Tidak ada perubahan" in res.text
    assert count_revisions(edit_site, "IMB") == IMB_LOADED


def test_invalid_edit_stores_nothing(admin, edit_site):
    form = admin.get("/layanan/SETDA-01/edit").forms["deform"]
    form.set("key", "identitas_pengirim", index=1)      # duplicate requirement key
    form["kind"] = "formula"
    form["formula"] = "(lambda: 0)()"
    res = form.submit("simpan")
    assert "Kunci persyaratan harus unik" in res.text
    assert "min, max dan round" in res.text
    assert count_revisions(edit_site, "SETDA-01") == 1


def test_future_revision_waits_for_its_effective_date(admin, edit_site):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with edit_site() as site:
        loaded = site["layanan"]["TDUP"].current.number   # seed (+ reference facts)
    form = admin.get("/layanan/TDUP/edit").forms["deform"]
    form.set("amount", "3", index=0)
    form["effective_date"] = tomorrow.isoformat()
    history = form.submit("simpan").follow()
    assert "terjadwal" in history.text
    assert admin.get("/api/v1/services/TDUP").json["completion_time"]["amount"] == 5
    with edit_site() as site:
        service = site["layanan"]["TDUP"]
        assert service.current.number == loaded
        assert service.current_on(tomorrow).number == loaded + 1
        assert service.latest.completion_time.amount == 3


def test_admin_edits_and_adds_agencies(admin, edit_site):
    form = admin.get("/opd/DINKES/edit").forms["deform"]
    form["title"] = "Dinas Kesehatan Kota Bekasi (ubah)"
    form.set("name", "dr. Contoh", index=0)
    res = form.submit("simpan").follow()
    assert "OPD DINKES disimpan." in res.text
    page = admin.get("/opd/tambah")
    form = page.forms["deform"]
    form["code"] = "BPBD"
    form["title"] = "Badan Penanggulangan Bencana Daerah Kota Bekasi"
    form["kind"] = "badan"
    form.submit("simpan").follow()
    with edit_site() as site:
        assert site["opd"]["DINKES"].title == "Dinas Kesehatan Kota Bekasi (ubah)"
        assert site["opd"]["DINKES"].officials[0]["name"] == "dr. Contoh"
        assert site["opd"]["BPBD"].kind == "badan"
    form = admin.get("/opd/tambah").forms["deform"]
    form["code"] = "DINKES"
    form["title"] = ""
    res = form.submit("simpan")
    assert "Kode DINKES sudah dipakai." in res.text and "Wajib diisi." in res.text


def test_only_catalog_managers_may_edit(testapp, seeded, edit_site):
    res = testapp.get("/layanan/IMB/edit")
    assert res.status_int == 303 and "/masuk" in res.location
    login(testapp, "verifikator", seeded)
    testapp.get("/layanan/IMB/edit", status=403)
    testapp.get("/layanan/tambah", status=403)
    testapp.get("/layanan/IMB/riwayat", status=403)
    testapp.get("/opd/DINKES/edit", status=403)
    assert count_revisions(edit_site, "IMB") == IMB_LOADED
