"""Reference facts from public legal sources (issue 15): national and
Kota Bekasi facts become values with their source, another region's
lists are only suggestions, loading is idempotent and keeps admin edits,
and filing an Apotek application asks for its documents."""
import html
import json
import re

from silat.catalog import loader, reference
from silat.catalog.completeness import incomplete
from silat.catalog.model import Duration
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers, pdf_bytes
from tests.web import login

APOTEK = "YANKES-APOTEK"


def text_of(page):
    """The page's text as a reader sees it: no tags, single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


OPTIKAL = "YANKES-OPTIKAL"


def test_loading_twice_changes_nothing_the_second_time(seeded, edit_site):
    with edit_site() as site:
        counts = {code: len(s.revisions) for code, s in site["layanan"].items()}
        report = loader.load(site, apply=True)
    assert report.reference == [] and len(report.unchanged_reference) == 23
    assert report.updated == [] and report.differs == []
    with edit_site() as site:
        assert {code: len(s.revisions) for code, s in site["layanan"].items()} == counts
        apotek = site["layanan"][APOTEK]
        rev = apotek.current
        assert rev.author == reference.AUTHOR and rev.number == 2
        assert rev.product == "Surat Izin Apotek (SIA)"
        assert rev.validity == Duration(5, "years")
        assert len(rev.requirements) == 14
        assert "Permenkes 9/2017 tentang Apotek" in rev.legal_basis
        # the seed's own legal basis is kept, in front
        assert rev.legal_basis[:len(apotek.revision(1).legal_basis)] == \
            apotek.revision(1).legal_basis
        assert rev.fee is None          # another region's "gratis" is only a suggestion
        assert [s.component for s in reference.suggestions(apotek)] == ["fee"]


def test_other_regions_list_is_only_a_suggestion_until_accepted(testapp, seeded, edit_site):
    public = testapp.get(f"/layanan/{OPTIKAL}")
    assert "Kotawaringin" not in public.text
    with edit_site() as site:
        optikal = site["layanan"][OPTIKAL]
        assert optikal.current.requirements is None
        offered = {s.component: s for s in reference.suggestions(optikal)}
        before = len(optikal.revisions)
    assert set(offered) == {"product", "validity", "requirements", "fee"}

    login(testapp, "admin", seeded)
    edit = testapp.get(f"/layanan/{OPTIKAL}/edit")
    assert "usulan dari" in edit.text and "DPMPTSP Kotawaringin Barat" in edit.text
    form = edit.forms[f"usulan-{offered['validity'].key}"]
    done = form.submit("terima").follow()
    assert "Usulan diterima" in done.text
    with edit_site() as site:
        rev = site["layanan"][OPTIKAL].current
        assert rev.validity == Duration(5, "years") and rev.author == "admin"
        assert "validity" not in rev.to_configure
        assert "validity" not in {s.component for s in reference.suggestions(site["layanan"][OPTIKAL])}
    page = testapp.get(f"/layanan/{OPTIKAL}")
    assert "5 tahun" in page.text
    assert "Sumber: administrator (usulan: DPMPTSP Kotawaringin Barat" in text_of(page)

    # the same key again: nothing more happens, a clear message
    again = testapp.post(f"/layanan/{OPTIKAL}/usulan", {
        "csrf_token": form["csrf_token"].value, "key": offered["validity"].key, "terima": ""})
    assert "Usulan tidak ditemukan atau sudah diterima." in again.follow().text
    with edit_site() as site:
        assert len(site["layanan"][OPTIKAL].revisions) == before + 1


def test_an_admin_edit_is_kept_when_the_facts_are_loaded_again(testapp, seeded, edit_site):
    login(testapp, "admin", seeded)
    page = testapp.get(f"/layanan/{APOTEK}/edit")
    form = page.forms["deform"]
    form["product"] = "SIA (diubah admin)"
    form["note"] = "koreksi admin"
    form.submit("simpan")
    with edit_site() as site:
        apotek = site["layanan"][APOTEK]
        assert apotek.latest.product == "SIA (diubah admin)"
        apotek.reference_digest = None          # as if the reference data had changed
        report = loader.load(site)
    assert any("differs: layanan/YANKES-APOTEK" in line for line in report.summary())
    with edit_site() as site:
        apotek = site["layanan"][APOTEK]
        assert apotek.latest.product == "SIA (diubah admin)"     # kept
        offered = [s for s in reference.suggestions(apotek) if s.component == "product"]
        assert [s.value for s in offered] == ["Surat Izin Apotek (SIA)"]


def test_public_page_shows_product_validity_and_legal_basis_with_sources(testapp, seeded):
    page = testapp.get(f"/layanan/{APOTEK}")
    assert "Surat Izin Apotek (SIA)" in page.text and "5 tahun" in page.text
    assert "Permenkes 9/2017 tentang Apotek" in page.text
    text = text_of(page)
    assert "Sumber: peraturan (Permenkes 9/2017) · berlaku sejak" in text
    assert "Sumber: data awal (dokumen seed)" in text     # the completion time
    testapp.set_cookie("silat_lang", "en")
    english = text_of(testapp.get(f"/layanan/{APOTEK}"))
    assert "Source: regulation (Permenkes 9/2017) · in effect since" in english


def test_filing_an_apotek_application_asks_for_the_reference_documents(testapp, seeded):
    headers = api_headers(testapp, "pemohon", seeded)
    body = {"service": APOTEK, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS}
    created = testapp.post("/api/v1/applications", json.dumps(body), headers=headers,
                           content_type="application/json")
    number = created.json["registration_number"]
    refused = testapp.post(f"/api/v1/applications/{number}/submit", headers=headers,
                           expect_errors=True)
    assert refused.status_int == 422
    assert refused.json["error"]["code"] == "missing_requirements"
    wanted = set(refused.json["error"]["fields"])
    assert {"stra_surat_tanda_registrasi_apoteker", "sipa_surat_izin_praktik_apoteker"} <= wanted
    assert len(wanted) == 13        # the agreement is only for non-individual owners
    for key in sorted(wanted):
        stored = testapp.put(f"/api/v1/applications/{number}/documents/{key}", headers=headers,
                             upload_files=[("file", f"{key}.pdf", pdf_bytes(key),
                                            "application/pdf")])
        assert stored.status_int == 201
    done = testapp.post(f"/api/v1/applications/{number}/submit", headers=headers)
    assert done.json["status"] == "submitted"


def test_completeness_page_and_report_agree(testapp, seeded, edit_site, capsys):
    with edit_site() as site:
        rows, total = incomplete(site)
    assert total > 0
    counts = {name: len(found) for name, _label, found in rows}
    login(testapp, "admin", seeded)
    page = testapp.get("/layanan/kelengkapan")
    assert f"{total} komponen dari 138 standar" in text_of(page)
    assert f"Masa Berlaku Produk · {counts['validity']}" in text_of(page)
    assert "YANKES-OPTIKAL" in page.text       # validity still to be configured
    assert testapp.get("/layanan/kelengkapan", status="*").status_int == 200


def test_completeness_page_is_for_admins_only(testapp, seeded):
    assert testapp.get("/layanan/kelengkapan", expect_errors=True).status_int in (302, 303, 403)
    login(testapp, "pemohon", seeded)
    assert testapp.get("/layanan/kelengkapan", expect_errors=True).status_int == 403


def test_only_an_admin_may_accept_a_suggestion(testapp, seeded, edit_site):
    with edit_site() as site:
        optikal = site["layanan"][OPTIKAL]
        key, before = reference.suggestions(optikal)[0].key, len(optikal.revisions)
    login(testapp, "pemohon", seeded)
    csrf = testapp.get("/layanan/SETDA-02/ajukan").html.select_one(
        "input[name=csrf_token]")["value"]          # a valid token of this session
    refused = testapp.post(f"/layanan/{OPTIKAL}/usulan", {"csrf_token": csrf, "key": key,
                                                          "terima": ""}, expect_errors=True)
    assert refused.status_int == 403
    with edit_site() as site:
        assert len(site["layanan"][OPTIKAL].revisions) == before
        assert key in {s.key for s in reference.suggestions(site["layanan"][OPTIKAL])}
