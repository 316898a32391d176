"""A fresh site shows the whole seeded catalog, with facts as the seeds state them."""
import re

import yaml

from silat.catalog import loader

# The twenty agencies Instruksi Wali Kota 503/333/DPMPTSP (000) instructs, by code.
INSTRUCTED = {"WAKIL-WALIKOTA", "SETDA", "INSPEKTORAT", "BPKAD", "BAPENDA", "DPMPTSP", "DBMSDA",
              "DISDUKCAPIL", "DISPARBUD", "DISDAGPERIN", "DISHUB", "DISDIK", "DINKES",
              "DISDAMKAR", "DISNAKER", "DISPERTAN", "DISPERKIMTAN", "DISKOMINFOSTANDI",
              "DISTARU", "DLH"}


def service(testapp, code):
    return testapp.get(f"/api/v1/services/{code}").json


def test_fresh_site_lists_every_seeded_service(testapp, seeded):
    seed_codes = {e["code"] for e in loader.read_data("services.yaml")}
    assert len(seed_codes) > 100
    listed = testapp.get("/api/v1/services").json
    assert {s["code"] for s in listed} == seed_codes
    page = testapp.get("/layanan")
    text = re.sub(r"<[^>]+>", "", page.text)
    assert f"{len(seed_codes)} dari {len(seed_codes)} layanan" in text


def test_agencies_of_the_instruction_and_other_actors(testapp, seeded, edit_site):
    with edit_site() as site:
        codes = set(site["opd"].keys())
        assert INSTRUCTED <= codes
        kecamatan = [a for a in site["opd"].values() if a.kind == "kecamatan"]
        assert len(kecamatan) == 12
        assert site["opd"]["DISTARU"].title == "Dinas Tata Ruang Kota Bekasi"
        assert site["opd"]["DISTARU"].recommender is True
        assert site["opd"]["BAPENDA"].title == "Badan Pendapatan Daerah Kota Bekasi"
        positions = [o["position"] for o in site["opd"]["SETDA"].officials]
        assert "Sekretaris Daerah Kota Bekasi" in positions
    page = testapp.get("/opd/KEC-JATIASIH")
    assert "Jatimekar" in page.text       # kelurahan from kecamatan.yaml


def test_imb_as_in_tabel_3_2_1_and_instruction_000(testapp, seeded):
    imb = service(testapp, "IMB")
    # Tabel 3.2.1 no. 9: SOP IPPL, Rencana Tapak dan IMB - 14 Hari
    assert imb["completion_time"] == {"amount": 14, "unit": "days"}
    assert imb["agency"] == "DPMPTSP" and imb["category"] == "perizinan_jasa_usaha"
    # 000 huruf s: Dinas Tata Ruang issues "Rekomendasi mendirikan bangunan"
    assert imb["requires_recommendation_from"] == ["DISTARU"]
    # 000 huruf e angka c): Bukti Lunas Pembayaran PBB is a requirement of IMB
    assert [r["name"] for r in imb["requirements"]] == ["Bukti Lunas Pembayaran PBB"]
    assert imb["classification_code"] == "503"
    assert imb["fee"] is None and "fee" in imb["to_configure"]   # "(Terlampir)": not in the seeds


def test_more_completion_times_from_the_seeds(testapp, seeded):
    expected = {
        "SIUP": {"amount": 3, "unit": "days"},             # Tabel 3.2.1 no. 15
        "IPLC": {"amount": 10, "unit": "days"},            # no. 7
        "TDUP": {"amount": 5, "unit": "days"},             # no. 1
        "SETDA-04": {"amount": 30, "unit": "minutes"},     # 002: plakat/piala 30 menit
        "SETDA-05": {"amount": 10, "unit": "working_days"},  # 002: PPID 10 hari kerja
        "SETDA-20": {"amount": 3, "unit": "months"},         # 002 Lampiran XX: 3 (tiga) bulan
    }
    for code, time in expected.items():
        assert service(testapp, code)["completion_time"] == time, code


def test_recommendation_type_belongs_to_its_agency(testapp, seeded):
    rek = service(testapp, "REK-DISTARU-01")
    assert rek["name"] == "Rekomendasi mendirikan bangunan"
    assert rek["agency"] == "DISTARU" and rek["category"] == "rekomendasi_teknis"
    assert rek["completion_time"] is None and "completion_time" in rek["to_configure"]


def test_secretariat_standard_has_all_14_components_from_002(testapp, seeded):
    letter = service(testapp, "SETDA-01")
    assert letter["name"] == "Jasa Surat Menyurat ke Perangkat Daerah"
    assert letter["fee"] == {"kind": "free"}
    assert letter["completion_time"] == {"amount": 1, "unit": "days"}
    assert letter["product"] == "Disposisi Wali Kota/Wakil Wali Kota/Sekda atas surat masuk"
    assert letter["staff_count"] == "8 (delapan) orang"
    assert len(letter["procedure"]) == 4
    assert letter["procedure"][1]["actor"] == "Petugas Loket"
    assert "Buku agenda surat masuk" in letter["facilities"]
    assert "Survey Kepuasan Masyarakat (SKM)" in letter["performance_evaluation"]


def test_load_is_fast_enough_for_every_test(edit_site):
    import time
    loader.seed_services()       # parsing is cached once per process
    with edit_site() as site:
        start = time.perf_counter()
        report = loader.load(site)
        elapsed = time.perf_counter() - start
    assert len(report.added) == len(loader.read_data("services.yaml")) + \
        len(loader.read_data("agencies.yaml"))
    assert elapsed < 0.3


def test_seed_files_parse_and_use_known_units():
    for entry in yaml.safe_load(loader.resources.files("silat.catalog").joinpath(
            "data", "services.yaml").read_text("utf-8")):
        if entry["completion_time"]:
            assert entry["completion_time"]["unit"] in ("minutes", "hours", "days", "working_days", "months")
    assert len(loader.seed_services()) == len(loader.read_data("services.yaml"))
