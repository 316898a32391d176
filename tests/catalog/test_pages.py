"""Public catalog pages and the printable PDF of a standard."""
import io
import re

from pypdf import PdfReader

from silat.catalog.model import COMPONENTS


def text_of(page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


def test_search_and_filters(testapp, seeded):
    page = testapp.get("/layanan", {"q": "apotek"})
    names = re.findall(r'<strong class="fs-5">([^<]+)</strong>', page.text)
    assert names and all("apotek" in n.lower() for n in names)
    page = testapp.get("/layanan", {"opd": "DLH", "kategori": "rekomendasi_teknis"})
    assert "UPL-UKL" in page.text
    codes = re.findall(r'href="http://localhost/layanan/([A-Z0-9-]+)/"', page.text)
    assert codes and all(c.startswith("REK-DLH-") for c in codes)
    # the chosen filters stay selected
    assert '<option value="DLH" selected="selected">' in page.text
    page = testapp.get("/layanan", {"q": "xyzzy"})
    assert "Tidak ada layanan yang cocok" in page.text


def test_public_list_is_usable_on_phone_and_kiosk(testapp, seeded):
    page = testapp.get("/layanan")
    assert 'name="viewport"' in page.text
    assert 'type="search"' in page.text and "form-control-lg" in page.text
    assert "Tambah layanan" not in page.text       # not for the public


def test_detail_shows_all_14_components(testapp, seeded):
    page = testapp.get("/layanan/SETDA-05")
    text = text_of(page)
    for number, (name, label) in enumerate(COMPONENTS, 1):
        assert f'id="{name}"' in page.text
        assert f"{number}. {label}" in text
    assert "10 hari kerja" in text
    assert "Tidak dipungut biaya (gratis)" in text
    assert "data-silat-print" in page.text and "d-print-none" in page.text
    assert "/layanan/SETDA-05/pdf" in page.text


def test_unconfigured_components_are_marked_never_invented(testapp, seeded):
    text = text_of(testapp.get("/layanan/REK-DISTARU-01"))
    assert text.count("Belum ditetapkan (perlu dikonfigurasi)") == 14   # 13 components + validity
    text = text_of(testapp.get("/layanan/IMB"))
    assert "14 hari" in text and "Bukti Lunas Pembayaran PBB" in text
    assert "(belum lengkap, perlu dikonfigurasi)" in text     # requirements known only in part
    assert "DISTARU" in text


def test_unknown_service_and_revision_are_404(testapp, seeded):
    testapp.get("/layanan/TIDAK-ADA", status=404)
    testapp.get("/layanan/IMB", {"revisi": "7"}, status=404)
    testapp.get("/layanan/IMB", {"revisi": "x"}, status=404)


def test_pdf_of_the_standard(testapp, seeded):
    res = testapp.get("/layanan/SETDA-05/pdf")
    assert res.content_type == "application/pdf"
    assert "standar-pelayanan-SETDA-05-rev1.pdf" in res.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(res.body))
    text = " ".join(p.extract_text() for p in reader.pages)
    text = re.sub(r"\s+", " ", text)
    assert "PEMERINTAH KOTA BEKASI" in text
    assert "Permohonan Informasi Publik ke Pemerintah Kota Bekasi" in text
    assert "STANDAR PELAYANAN" in text and "Revisi 1" in text
    for _name, label in COMPONENTS:
        assert label in text, label
    assert "10 hari kerja" in text
    assert f"Halaman 1 dari {len(reader.pages)}" in text
    assert reader.metadata.title.startswith("STANDAR PELAYANAN")


def test_pdf_marks_unconfigured_components(testapp, seeded):
    res = testapp.get("/layanan/REK-DISTARU-01/pdf")
    pages = PdfReader(io.BytesIO(res.body)).pages
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))
    assert "Rekomendasi mendirikan bangunan" in text
    assert "DINAS TATA RUANG KOTA BEKASI" in text            # letterhead of the issuing agency
    assert text.count("Belum ditetapkan (perlu dikonfigurasi)") == 14


def test_agency_pages(testapp, seeded):
    page = testapp.get("/opd")
    assert "DISTARU" in page.text and "KEC-RAWALUMBU" in page.text
    text = text_of(testapp.get("/opd/DISTARU"))
    assert "Rekomendasi mendirikan bangunan" in text           # issued by DISTARU
    assert "Izin Mendirikan Bangunan (IMB)" in text            # DISTARU recommends for IMB
