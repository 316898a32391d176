"""The archivist's workbench: browse, retention states, destruction with
approval and its record, locations, loans, BagIt export."""
import datetime as dt
import hashlib
import io
import zipfile

from pypdf import PdfReader

from silat.archive.model import RetentionRule, archive_state
from tests.web import login

TODAY = dt.date.today()


def _csrf(page):
    return page.html.select_one('input[name="csrf_token"]')["value"]


def test_retention_states_follow_the_rule(seeded, closed_dossier, edit_site):
    closed_dossier("SILAT-2026-000301", document=False)
    with edit_site() as site:
        dossier = site["berkas"]["SILAT-2026-000301"]
        keep = RetentionRule(2, 3, "permanen", "a")
        drop = RetentionRule(2, 3, "musnah", "a")
        assert archive_state(dossier, None, TODAY)[0] == "aktif"          # rule to be configured
        assert archive_state(dossier, drop, TODAY)[0] == "aktif"
        assert archive_state(dossier, drop, TODAY.replace(year=TODAY.year + 2))[0] == "inaktif"
        assert archive_state(dossier, drop, TODAY.replace(year=TODAY.year + 5))[0] == "usul_musnah"
        assert archive_state(dossier, keep, TODAY.replace(year=TODAY.year + 5))[0] == "permanen"
        dossier.state = "in_review"
        assert archive_state(dossier, drop, TODAY.replace(year=TODAY.year + 9))[0] == "terbuka"


def test_retention_schedule_page(testapp, seeded, edit_site):
    login(testapp, "arsiparis", seeded)
    page = testapp.get("/arsip/retensi")
    assert "perlu dikonfigurasi" in page.html.select_one('tr[data-code="IMB"]').text
    form = page.forms["retensi"]
    form["layanan"], form["aktif"], form["inaktif"], form["nasib_akhir"] = "IMB", "-1", "2", "musnah"
    bad = form.submit("simpan", status=400)
    assert "tidak sah" in bad.text
    with edit_site() as site:
        assert "IMB" not in site["arsip"].store.retention                # nothing changed
    form = bad.forms["retensi"]
    form["aktif"], form["inaktif"], form["nasib_akhir"] = "2", "8", "permanen"
    form.submit("simpan", status=303)
    row = testapp.get("/arsip/retensi").html.select_one('tr[data-code="IMB"]')
    assert [td.text for td in row.select("td")][2:] == ["2", "8", "Permanen"]


def test_browse_down_to_dossier_and_history(testapp, seeded, closed_dossier):
    closed_dossier("SILAT-2026-000310")
    closed_dossier("SILAT-2026-000311", service="IPPR")
    login(testapp, "arsiparis", seeded)
    page = testapp.get("/arsip")
    assert [a.text for a in page.html.select("ul.browse a")] == ["503"]
    page = page.click(linkid=None, href="klasifikasi=503")
    assert page.html.select_one("ul.browse .count").text == "2"
    page = page.click(href="tahun=2026")
    assert sorted(a.text for a in page.html.select("ul.browse a")) == ["IMB", "IPPR"]
    page = page.click(href="layanan=IMB")
    page = page.click(href="opd=DPMPTSP")
    assert [td.text for td in page.html.select("tr.dossier td")][0] == "SILAT-2026-000310"
    dossier = page.click(href="/arsip/berkas/SILAT-2026-000310")
    assert dossier.html.select_one(".archive-state")["data-state"] == "aktif"
    assert "Izin terbit" in dossier.html.select_one("table.history").text      # a sentence, no raw key


def test_location_and_loans(testapp, seeded, closed_dossier):
    closed_dossier("SILAT-2026-000320", document=False)
    login(testapp, "arsiparis", seeded)
    page = testapp.get("/arsip/berkas/SILAT-2026-000320")
    form = page.forms["lokasi"]
    assert form["nomor"].value == "SILAT-2026-000320"
    bad = form.submit("simpan", status=400)                              # nothing filled in
    assert "tidak sah" in bad.text and bad.html.select_one("#lokasi .is-invalid, #lokasi .has-error")
    form = bad.forms["lokasi"]
    form["gedung"], form["ruang"], form["rak"], form["boks"] = "Gedung B", "R. Arsip 2", "R-14", "B-203"
    form.submit("simpan", status=303)
    page = testapp.get("/arsip/berkas/SILAT-2026-000320")
    assert page.html.select_one(".location").text == "Gedung B / R. Arsip 2 / R-14 / B-203"

    loans = testapp.get("/arsip/peminjaman")
    values = {"nomor": "SILAT-2026-000320", "peminjam": "Inspektorat", "unit": "Irban II",
              "keperluan": "audit", "tanggal_pinjam": (TODAY - dt.timedelta(days=20)).isoformat(),
              "tanggal_kembali": (TODAY - dt.timedelta(days=6)).isoformat()}

    def lend(page, **changes):
        form = page.forms["pinjam"]
        for name, value in dict(values, **changes).items():
            form[name] = value
        return form

    lend(loans).submit("catat", status=303)
    again = lend(loans).submit("catat", status=400)                     # still out
    assert "masih dipinjam" in again.text
    bad = lend(loans, tanggal_kembali="31/12/2026").submit("catat", status=400)
    assert "tidak sah" in bad.text
    loans = testapp.get("/arsip/peminjaman")
    assert "Inspektorat" in loans.html.select_one(".overdue-list").text
    assert "1" in testapp.get("/arsip").html.select_one(".overdue").text
    loan_id = loans.html.select_one("tr.loan")["data-loan"]
    testapp.post("/arsip/peminjaman", {"csrf_token": _csrf(loans), "loan_id": loan_id}, status=303)
    loans = testapp.get("/arsip/peminjaman")
    assert loans.html.select_one(".overdue-list").text.strip() == ""
    assert TODAY.isoformat() in loans.html.select_one("tr.loan").text


def test_destruction_needs_a_second_archivist_and_leaves_a_record(testapp, seeded, closed_dossier,
                                                                  make_user, edit_site, app):
    make_user("arsip2", "arsiparis", password="Rahasia-2026x")
    closed_dossier("SILAT-2026-000330")
    closed_dossier("SILAT-2026-000331", state="in_review", document=False)   # not closed: kept
    with edit_site() as site:
        from silat.archive.model import get_store
        get_store(site["arsip"]).set_rule("IMB", 1, 0, "musnah", "test")
    login(testapp, "arsiparis", seeded)
    page = testapp.get("/arsip/pemusnahan")           # filed this year: kept one more year
    assert page.html.select("table.eligible tr") == []
    with edit_site() as site:
        get_store(site["arsip"]).set_rule("IMB", 0, 0, "musnah", "test")
    page = testapp.get("/arsip/pemusnahan")
    assert [tr.select("td")[0].text for tr in page.html.select("table.eligible tr")] == ["SILAT-2026-000330"]
    form = page.forms["propose"]
    assert [c.value for c in form.fields["checkbox"]] == ["SILAT-2026-000330"]   # all proposed by default
    form["checkbox"] = None
    assert "sekurang-kurangnya" in form.submit("usulkan", status=400).text
    form.get("checkbox", index=0).checked = True
    form.submit("usulkan", status=303)
    page = testapp.get("/arsip/pemusnahan")
    proposal = page.html.select_one("tr.proposal")
    assert proposal["data-status"] == "diusulkan"
    pdf = testapp.get(f"/arsip/usulan-musnah.pdf?id={proposal['data-id']}")
    assert pdf.content_type == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert "DAFTAR USUL MUSNAH" in text and "SILAT-2026-000330" in text
    # the proposer may not approve, nor may anyone execute before approval
    refused = testapp.post("/arsip/pemusnahan", {"csrf_token": _csrf(page), "action": "setujui",
                                                 "proposal": proposal["data-id"]}, status=400)
    assert "arsiparis lain" in refused.text
    early = testapp.post("/arsip/pemusnahan", {"csrf_token": _csrf(page), "action": "laksanakan",
                                               "proposal": proposal["data-id"]}, status=400)
    assert "belum disetujui" in early.text
    testapp.reset()
    login(testapp, "arsip2", "Rahasia-2026x")
    page = testapp.get("/arsip/pemusnahan")
    testapp.post("/arsip/pemusnahan", {"csrf_token": _csrf(page), "action": "setujui",
                                       "proposal": proposal["data-id"]}, status=303)
    testapp.post("/arsip/pemusnahan", {"csrf_token": _csrf(page), "action": "laksanakan",
                                       "proposal": proposal["data-id"]}, status=303)
    page = testapp.get("/arsip/pemusnahan")
    record = page.html.select_one("table.destroyed tr").text
    assert "SILAT-2026-000330" in record and "arsip2" in record
    with edit_site() as site:
        assert "SILAT-2026-000330" not in site["berkas"]
        assert "SILAT-2026-000331" in site["berkas"]
        entry = site["arsip"].store.destroyed["SILAT-2026-000330"]
        assert entry["decided_by"] == "arsip2" and entry["proposed_by"] == "arsiparis"
        assert entry["documents"] == 1
    index = app.registry.silat_index
    assert "dossier:SILAT-2026-000330" not in {f["uid"] for f in index.searcher().all_stored_fields()}
    assert index.verify().ok


def validate_bag(data):
    """A BagIt 1.0 validation: declaration, every payload file listed with
    the right sha256, nothing listed that is missing, tag manifest, Oxum."""
    bag = zipfile.ZipFile(io.BytesIO(data))
    names = set(bag.namelist())
    assert bag.read("bagit.txt").decode().startswith("BagIt-Version: 1.0\n")
    manifest = {}
    for line in bag.read("manifest-sha256.txt").decode().splitlines():
        digest, path = line.split("  ", 1)
        manifest[path] = digest
    payload = {n for n in names if n.startswith("data/")}
    assert set(manifest) == payload
    octets = 0
    for path, digest in manifest.items():
        content = bag.read(path)
        octets += len(content)
        assert hashlib.sha256(content).hexdigest() == digest, path
    for line in bag.read("tagmanifest-sha256.txt").decode().splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(bag.read(path)).hexdigest() == digest, path
    info = dict(line.split(": ", 1) for line in bag.read("bag-info.txt").decode().splitlines())
    assert info["Payload-Oxum"] == f"{octets}.{len(manifest)}"
    return bag, manifest


def test_bagit_export_of_one_dossier_and_of_a_year(testapp, seeded, closed_dossier):
    closed_dossier("SILAT-2026-000340")
    closed_dossier("SILAT-2026-000341")
    closed_dossier("SILAT-2026-000342", service="IPPR")
    login(testapp, "arsiparis", seeded)
    res = testapp.get("/arsip/ekspor", params={"nomor": "SILAT-2026-000340"})
    assert res.content_type == "application/zip"
    bag, manifest = validate_bag(res.body)
    assert "data/SILAT-2026-000340/metadata.json" in manifest
    pdfs = [p for p in manifest if p.endswith("surat.pdf")]
    assert len(pdfs) == 1 and bag.read(pdfs[0]).startswith(b"%PDF")
    import json
    meta = json.loads(bag.read("data/SILAT-2026-000340/metadata.json"))
    assert meta["archive"]["state"] == "aktif" and meta["state"] == "issued"
    year = testapp.get("/arsip/ekspor", params={"layanan": "IMB", "tahun": "2026"})
    bag, manifest = validate_bag(year.body)
    assert {p.split("/")[1] for p in manifest} == {"SILAT-2026-000340", "SILAT-2026-000341"}
    testapp.get("/arsip/ekspor", params={"layanan": "IMB", "tahun": "20x6"}, status=303)
    testapp.get("/arsip/ekspor", params={"nomor": "SILAT-1999-000001"}, status=404)


def test_cli_export_streams_with_progress(seeded, closed_dossier, app, settings, tmp_path):
    import subprocess
    import sys
    for n in range(350, 356):
        closed_dossier(f"SILAT-2026-000{n}")
    app.registry.silat_index.close()
    for database in app.registry._zodb_databases.values():
        database.close()
    ini = tmp_path / "t.ini"
    ini.write_text("[app:main]\nuse = egg:silat\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
    out = tmp_path / "imb-2026.zip"
    run = subprocess.run([sys.executable, "-m", "silat.cli.main", "-c", str(ini), "archive", "export",
                          "--service", "IMB", "--year", "2026", "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "6/6" in run.stderr and "6 dossiers" in run.stdout
    _bag, manifest = validate_bag(out.read_bytes())
    assert len({p.split("/")[1] for p in manifest}) == 6


def test_browse_counts_equal_whoosh_grouping():
    """The archive's counts (search.columns: facet codes counted over the
    permitted hits) give what a grouped Whoosh search gives: several
    segments, a deleted document, empty values and documents the caller
    may not view."""
    from whoosh import query as Q, sorting
    from whoosh.fields import ID, Schema
    from whoosh.filedb.filestore import RamStorage
    from silat.search.columns import DocColumns
    from silat.search.security import allowed_mask, search_allowed
    schema = Schema(uid=ID(unique=True, stored=True), kind=ID(sortable=True), allowed=ID(),
                    year=ID(sortable=True), service=ID(sortable=True))
    ix = RamStorage().create_index(schema)
    for batch in range(3):
        writer = ix.writer()
        for i in range(batch * 20, batch * 20 + 20):
            writer.add_document(uid=f"d{i}", kind="dossier" if i % 7 else "permit",
                                allowed="role:arsiparis" if i % 5 else "user:other",
                                year=str(2020 + i % 4) if i % 9 else "", service=f"S{i % 3}")
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("uid", "d8")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        columns = DocColumns("date", ("kind", "year", "service")).generation(searcher)
        principals = ("role:arsiparis", "system.Everyone")
        for filters in ([("kind", "dossier")], [("kind", "dossier"), ("service", "S1")]):
            query = Q.And([Q.Term(name, value) for name, value in filters])
            mask = allowed_mask(searcher, columns, principals) & columns.facet_mask(filters)
            for field in ("year", "service"):
                grouped = search_allowed(searcher, query, principals, limit=1,
                                         groupedby={field: sorting.FieldFacet(field, maptype=sorting.Count)})
                expected = {k: v for k, v in grouped.groups(field).items() if k}
                assert columns.facet_counts(mask, (field,))[field] == expected and expected
                assert int(mask.sum()) == len(grouped)
        assert columns.facet_counts(allowed_mask(searcher, columns, ()), ("year",)) == {"year": {}}
