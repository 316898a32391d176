"""The PDFs SILAT renders: compressed streams without the ASCII85 layer,
text still readable by a PDF reader."""
import io

import pypdf

from silat.pdf import Letterhead, build_pdf, para


def test_streams_are_flate_only_and_text_reads_back():
    pdf = build_pdf([para("Keputusan tentang izin mendirikan bangunan")], title="Uji",
                    letterhead=Letterhead("Dinas Penanaman Modal"), footer="Verifikasi: uji")
    assert b"/ASCII85Decode" not in pdf and b"/FlateDecode" in pdf
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Keputusan tentang izin mendirikan bangunan" in text
    assert "Halaman 1 dari 1" in text
