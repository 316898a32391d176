"""Issue 12's observed faults, each through the pages."""
import re

from silat.resources.dossier import TRACKING_ALPHABET
from tests.permits import flow


def test_catalog_search_matches_words_and_pages_are_grouped(testapp, seeded):
    page = testapp.get("/layanan", {"q": "IMB"})
    names = [a.select_one("strong").text for a in page.html.select(".silat-catalog a")]
    assert names and not any("limbah" in n.lower() for n in names)
    assert any("IMB" in a.text for a in page.html.select(".silat-catalog a"))
    everything = testapp.get("/layanan")
    shown = everything.html.select(".silat-catalog a")
    assert 0 < len(shown) <= 30 and everything.html.select(".silat-catalog-group h2")
    second = testapp.get(everything.html.select(".silat-pages a")[1]["href"])
    assert {a["href"] for a in second.html.select(".silat-catalog a")}.isdisjoint(
        {a["href"] for a in shown})
    testapp.get("/layanan", {"halaman": "x"})            # bad page number: the first page
    testapp.get("/layanan", {"halaman": "9999"})


def test_tracking_code_has_no_lookalikes_and_the_form_posts(testapp, seeded, app, edit_site):
    with edit_site() as site:
        dossier = flow.file_dossier(site, app.registry, number="SILAT-2026-900013")
        code = dossier.tracking_code
    assert len(code) == 8 and set(code) <= set(TRACKING_ALPHABET)
    assert not set("lI1O0") & set(TRACKING_ALPHABET)
    page = testapp.get("/lacak")
    form = page.forms["deform"]
    assert form.method.lower() == "post"
    form["nomor"], form["kode"] = "silat-2026-900013", code.lower()
    result = form.submit("lacak")
    assert "Diajukan" in result.html.select_one("#hasil").text
    assert code not in result.request.url and "csrf" not in result.request.url
    form = testapp.get("/lacak").forms["deform"]
    form["nomor"], form["kode"] = "SILAT-2026-900013", "SALAH"
    wrong = form.submit("lacak", status=404)
    assert "tidak cocok" in wrong.text and "Diajukan" not in wrong.text
    # no CSRF token, no lookup
    testapp.post("/lacak", {"nomor": "SILAT-2026-900013", "kode": code, "lacak": "lacak"},
                 status=400)


def test_forms_use_bootstrap5_buttons_with_labels(testapp, seeded, app, edit_site):
    from tests.web import login
    from tests.workflow.conftest import new_dossier, walk
    with edit_site() as site:
        dossier = new_dossier(site, "SILAT-2026-900014")
        walk(app.registry, dossier, "in_review")
        code = sorted(dossier["rekomendasi"])[0]
    login(testapp, f"kepala.{code.lower()}", seeded)
    page = testapp.get(f"/berkas/SILAT-2026-900014/rekomendasi/{code}/peninjauan")
    assert "btn-default" not in page.text
    for button in page.html.select(".deform-seq button"):
        assert button.get("type") == "button"
        assert button.get("aria-label") and button.get_text(strip=True), button
    testapp.reset()
    login(testapp, "verifikator", seeded)
    with edit_site() as site:
        new_dossier(site, "SILAT-2026-900015")
        walk(app.registry, site["berkas"]["SILAT-2026-900015"], "submitted")
    page = testapp.get("/berkas/SILAT-2026-900015/verifikasi")
    assert "btn-default" not in page.text and "btn-outline-secondary" in page.text


def test_search_facets_and_hits_show_state_titles(testapp, seeded, app, edit_site):
    from tests.web import login
    from tests.workflow.conftest import new_dossier, walk
    with edit_site() as site:
        walk(app.registry, new_dossier(site, "SILAT-2026-900016"), "in_review")
    login(testapp, "verifikator", seeded)
    page = testapp.get("/cari", {"q": "SILAT-2026-900016"})
    facet = page.html.select_one('[data-facet="state"]')
    assert "Kajian teknis OPD" in facet.text and "in_review" not in facet.text
    chosen = testapp.get(facet.select_one("a")["href"])
    assert "in_review" not in chosen.html.select_one("main").get_text(" ")


def test_flash_messages_are_interpolated_and_translated(testapp, seeded, app, edit_site, signing_ca):
    from tests.web import login
    from tests.workflow.conftest import new_dossier, walk
    with edit_site() as site:
        dossier = new_dossier(site, "SILAT-2026-900017")
        walk(app.registry, dossier, "in_review")
        code = sorted(dossier["rekomendasi"])[0]
    login(testapp, f"kepala.{code.lower()}", seeded)
    testapp.set_cookie("silat_lang", "en")
    form = testapp.get(f"/berkas/SILAT-2026-900017/rekomendasi/{code}").forms["rekomendasi"]
    form["decision"] = "recommended"
    landed = form.submit("tandatangani").follow()
    assert landed.request.path.endswith("/kotak-masuk")            # back to the worklist
    assert "${" not in landed.text and f"503/1/{code}/" in landed.text
    assert "Rekomendasi ditandatangani" not in landed.text
    # the agency still reads the dossier it signed
    page = testapp.get("/berkas/SILAT-2026-900017")
    assert f"503/1/{code}/" in page.text
