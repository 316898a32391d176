"""The report PDF (web and ``silat report``), the CSV/XLSX exports, the
public statistics page and the evolve step that backfills the counters."""
import csv
import io

import pypdf
from openpyxl import load_workbook

from silat import evolve
from silat.cli.main import main as cli
from silat.reports import tallies
from tests.reports.test_figures import href, text
from tests.web import login


def pdf_text(body):
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


def test_monthly_report_pdf(testapp, dataset, seeded):
    login(testapp, "penandatangan", seeded)
    res = testapp.get("/laporan.pdf?period=2026-10")
    assert res.content_type == "application/pdf"
    content = pdf_text(res.body)
    assert "PEMERINTAH KOTA BEKASI" in content
    assert "Laporan Penerbitan dan Realisasi Perizinan dan Non Perizinan" in content
    assert "Periode 2026-10" in content
    assert "Izin terbit per bulan" in content and "Per layanan" in content
    assert "Diterima 7" in content and "Izin terbit 3" in content
    assert "Selesai tepat waktu (%) 75.0" in content
    assert "Retribusi ditetapkan (Rp) 450.000" in content      # Indonesian thousands separator
    assert "DISTARU Kajian teknis OPD 1" in content          # backlog table
    assert "Halaman 1 dari" in content
    english = testapp.get("/laporan.pdf?period=2026-Q4", headers={"Accept-Language": "en"})
    assert english.status_int == 200
    bad = testapp.get("/laporan.pdf?period=13-2026", expect_errors=True)
    assert bad.status_int == 400


def test_report_command(app, dataset, settings, tmp_path, capsys):
    for db in app.registry._zodb_databases.values():
        db.close()
    var = settings["silat.var_dir"]
    ini = tmp_path / "report.ini"
    ini.write_text(f"[app:main]\nuse = egg:silat\nzodbconn.uri = {settings['zodbconn.uri']}\n"
                   f"silat.secret_file = {settings['silat.secret_file']}\nsilat.var_dir = {var}\n"
                   "silat.search.background = false\n")
    out = tmp_path / "oktober.pdf"
    assert cli(["-c", str(ini), "report", "monthly", "--month", "2026-10", "-o", str(out)]) == 0
    assert "oktober.pdf" in capsys.readouterr().out
    content = pdf_text(out.read_bytes())
    assert "Periode 2026-10" in content and "Diterima 7" in content
    yearly = tmp_path / "tahun.pdf"
    assert cli(["-c", str(ini), "report", "yearly", "--year", "2026", "--agency", "SETDA",
                "-o", str(yearly)]) == 0
    content = pdf_text(yearly.read_bytes())
    assert "Periode 2026-01 s.d. 2026-12" in content and "Diterima 1" in content
    assert cli(["-c", str(ini), "report", "quarterly", "--quarter", "kuartal", "-o", str(yearly)]) == 2
    assert "Periode" in capsys.readouterr().err


def test_exports_of_lists_and_tables(testapp, dataset, seeded):
    login(testapp, "pengawas", seeded)
    res = testapp.get("/dasbor-berkas?metric=issued&period=2026&format=csv")
    assert res.content_type == "text/csv" and "attachment" in res.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(res.body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nomor pendaftaran", "Layanan", "Perangkat daerah"]
    assert "Tepat waktu" in rows[0]
    by_number = {r[0]: r for r in rows[1:]}
    assert sorted(by_number) == sorted(dataset[x] for x in "ABCH")
    b = by_number[dataset["B"]]
    assert (b[1], b[5], b[8], b[9]) == ("IMB", "Izin terbit", "13", "tidak")
    res = testapp.get("/dasbor-berkas?metric=late&period=2026-10&format=xlsx")
    sheet = load_workbook(io.BytesIO(res.body)).active
    values = list(sheet.values)
    assert values[0][0] == "Nomor pendaftaran" and values[1][0] == dataset["B"]
    assert len(values) == 2
    page = testapp.get("/dasbor?period=2026-10")
    table = testapp.get(href(page, "section[data-table=layanan] a"))     # CSV of "Per layanan"
    rows = list(csv.reader(io.StringIO(table.body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Layanan", "Diterima", "Izin terbit"]
    assert rows[1][:5] == ["IMB", "7", "3", "1", "1"]
    xlsx = testapp.get("/dasbor-tabel?table=ringkasan&period=2026-10&format=xlsx")
    summary = dict(list(load_workbook(io.BytesIO(xlsx.body)).active.values)[1:])
    assert summary["Diterima"] == 7 and summary["Terlambat saat ini"] == 1
    assert summary["Median hari kerja"] == 5
    assert testapp.get("/dasbor-tabel?table=rahasia", expect_errors=True).status_int == 400


def test_public_statistics(testapp, dataset):
    page = testapp.get("/statistik?period=2026")
    assert text(page, "#pub-issued") == "4"
    assert text(page, "#pub-on_time_share") == "80.0"           # A, C, D, H of A-D and H
    assert text(page, "#pub-mean") == "6.2"                     # (5 + 13 + 9 + 2 + 2) / 5
    assert "Belum ada data survei" in text(page, "#pub-satisfaction")
    assert "SETDA-05" in text(page, "table.silat-public-service")
    for number in dataset.values():                             # no dossier on a public page
        assert number not in page.text
    assert "Budi" not in page.text and "081234567890" not in page.text
    assert testapp.get("/statistik?period=2026&kecamatan=3275020").html.select_one(
        "#pub-issued").text == "1"
    assert testapp.get("/statistik?period=abc", expect_errors=True).status_int == 400
    assert testapp.get("/dasbor", expect_errors=True).status_int == 303      # login first


def test_evolve_step_backfills_an_existing_site(testapp, dataset, tokens, edit_site):
    before = testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json
    with edit_site() as site:
        del site.report_tallies, site.report_facts             # a site from before the reports
        site.generation = 5
    empty = testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json
    assert empty["received"] == 0
    step = {number: run for number, _title, run in evolve.STEPS}[40]
    with edit_site() as site:
        step(site)
    assert testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json == before


def unread_keys(site):
    return [key for key in site.report_tallies.keys() if key[0] in "gdqr" and key[1] in ("k", "s")]


def test_evolve_step_90_drops_the_views_no_figure_reads(testapp, dataset, tokens, edit_site):
    """Gauges, due dates, review queue and recommendations are kept in the
    views holding the agency only; step 90 removes the kecamatan and service
    views an older site still has for them, and every figure stays the same."""
    queries = ("period=2026", "period=2026-10", "period=2026&kecamatan=3275020",
               "period=2026&channel=daring", "period=2026-Q4&service=SETDA-05")
    before = {q: testapp.get(f"/api/v1/stats?{q}", headers=tokens("pengawas")).json for q in queries}
    with edit_site() as site:
        assert unread_keys(site) == []                          # not written any more
        store = site.report_tallies
        kinds = {key[0] for key in store.keys()}
        assert {"g", "d"} <= kinds
        for key, tally in list(store.items()):                # as an older site wrote them
            if key[0] in "gdqr" and key[1] == "*":
                _kind, _view, month, svc, _ag, kec, _ch = key
                for old in ((key[0], "k", month, kec), (key[0], "s", month, svc)):
                    if old not in store:
                        store[old] = tallies.Tally()
                    store[old].add(tally.counts)
        assert unread_keys(site)
        site.generation = 80
    with edit_site() as site:
        assert evolve.evolve(site) == [90]
        assert unread_keys(site) == []
    for query, figures in before.items():
        assert testapp.get(f"/api/v1/stats?{query}", headers=tokens("pengawas")).json == figures


def test_openapi_documents_the_stats_call(testapp, dataset, tokens):
    import yaml
    from importlib.resources import files
    spec = yaml.safe_load(files("silat.reports").joinpath("openapi.yaml").read_text())
    call = spec["paths"]["/api/v1/stats"]["get"]
    assert {p["name"] for p in call["parameters"]} == {"from", "to", "period", "service", "agency",
                                                        "kecamatan", "channel"}
    documented = set(spec["components"]["schemas"]["Stats"]["properties"])
    answer = testapp.get("/api/v1/stats?period=2026", headers=tokens("pengawas")).json
    assert set(answer) == documented
