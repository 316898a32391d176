"""Issue 12: the archivist reaches any dossier in one search (filters by
year, service, agency, kecamatan, state, archive state, location), and
the BagIt export passes the Library of Congress validator."""
import io
import zipfile

import bagit

from silat.archive.model import get_store
from tests.web import login


def test_one_search_with_every_filter(testapp, seeded, closed_dossier, edit_site):
    closed_dossier("SILAT-2026-000360")
    closed_dossier("SILAT-2026-000361", service="IPPR")
    closed_dossier("SILAT-2026-000362", state="rejected")
    with edit_site() as site:
        get_store(site["arsip"]).set_location("SILAT-2026-000361", "Gedung A", "R.2", "Rak 3", "Boks 7",
                                              "arsiparis")
    login(testapp, "arsiparis", seeded)
    home = testapp.get("/arsip")
    form = [f for f in home.forms.values() if f.action.endswith("/arsip/cari")][0]
    form["q"] = "SILAT-2026-000360"
    found = form.submit()

    def numbers(page):
        return [a.text for a in page.html.select("table.silat-archive-found tr.dossier td a")]

    assert numbers(found) == ["SILAT-2026-000360"]
    assert numbers(found.click(href="/arsip/berkas/SILAT-2026-000360")) == []   # the dossier page
    assert sorted(numbers(testapp.get("/arsip/cari", {"tahun": "2026"}))) == [
        "SILAT-2026-000360", "SILAT-2026-000361", "SILAT-2026-000362"]
    assert numbers(testapp.get("/arsip/cari", {"layanan": "IPPR"})) == ["SILAT-2026-000361"]
    assert numbers(testapp.get("/arsip/cari", {"status": "rejected"})) == ["SILAT-2026-000362"]
    assert numbers(testapp.get("/arsip/cari", {"lokasi": "rak 3"})) == ["SILAT-2026-000361"]
    assert numbers(testapp.get("/arsip/cari", {"kecamatan": "Bekasi Barat", "tahun": "2026",
                                               "arsip": "aktif"}))
    assert numbers(testapp.get("/arsip/cari", {"arsip": "musnah", "tahun": "2026"})) == []
    for odd in ('"((', "rahasia:x", "x" * 500):          # odd input: a page, never a 500
        assert testapp.get("/arsip/cari", {"q": odd}, status="*").status_int in (200, 400)
    testapp.reset()
    login(testapp, "pemohon", seeded)
    testapp.get("/arsip/cari", {"q": "SILAT"}, status=403)


def validate_with_bagit(data, directory):
    """Extract the zip and let the Library of Congress ``bagit`` validate it."""
    zipfile.ZipFile(io.BytesIO(data)).extractall(directory)
    bag = bagit.Bag(str(directory))
    bag.validate()                     # raises BagValidationError when anything is off
    return bag


def test_bagit_export_passes_the_library_of_congress_validator(testapp, seeded, closed_dossier,
                                                                tmp_path):
    closed_dossier("SILAT-2026-000370")
    closed_dossier("SILAT-2026-000371")
    login(testapp, "arsiparis", seeded)
    one = testapp.get("/arsip/ekspor", params={"nomor": "SILAT-2026-000370"})
    bag = validate_with_bagit(one.body, tmp_path / "one")
    assert bag.is_valid() and bag.version_info == (1, 0)
    assert any(p.endswith(".pdf") for p in bag.payload_files())
    year = testapp.get("/arsip/ekspor", params={"layanan": "IMB", "tahun": "2026"})
    bag = validate_with_bagit(year.body, tmp_path / "year")
    assert {p.split("/")[1] for p in bag.payload_files()} == {"SILAT-2026-000370", "SILAT-2026-000371"}
    # an altered payload file fails the same validator
    victim = next(p for p in bag.payload_files() if p.endswith(".pdf"))
    with open(tmp_path / "year" / victim, "ab") as out:
        out.write(b"x")
    assert not bagit.Bag(str(tmp_path / "year")).is_valid()
