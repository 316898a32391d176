"""QR codes drawn as vector paths scan back (rendered as a scanner sees
the page), and the runs drawn are exactly the dark modules."""
from reportlab.lib.units import mm

from silat.pdf import build_pdf, para, qr_flowable
from silat.pdf.qr import dark_runs, qr_matrix
from tests.permits.flow import pdf_qr_codes

URL = "https://silat.bekasikota.go.id/verifikasi/2gQ0pVY7wzJ0nA1Xk4bC7m9e"


def test_runs_cover_exactly_the_dark_modules():
    matrix = qr_matrix(URL)
    drawn = {(y, x + i) for y, x, length in dark_runs(matrix) for i in range(length)}
    assert drawn == {(y, x) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert not any(matrix[0]) and not any(row[0] for row in matrix)      # quiet zone


def test_vector_codes_scan_at_print_sizes():
    other = "http://localhost:6543/standar/IMB"
    pdf = build_pdf([para("Pindai"), qr_flowable(URL, size=24 * mm),
                     qr_flowable(other, size=20 * mm, level="H")], title="QR")
    assert sorted(pdf_qr_codes(pdf)) == sorted([URL, other])
