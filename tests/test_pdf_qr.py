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


def test_mask_choice_and_matrix_are_qrcodes_own():
    """The mask is scored on arrays, but chosen (and the symbol drawn)
    exactly as ``qrcode`` itself does, at every level and many sizes."""
    import random
    import string

    import qrcode

    from silat.pdf.qr import LEVELS, QUIET_ZONE
    rnd = random.Random(5)
    for i in range(80):
        level = "LMQH"[i % 4]
        data = "".join(rnd.choice(string.ascii_letters + string.digits + "-_/:.")
                       for _ in range(rnd.randint(1, 300)))
        reference = qrcode.QRCode(error_correction=LEVELS[level], border=QUIET_ZONE)
        reference.add_data(data)
        reference.make(fit=True)
        assert qr_matrix(data, level) == reference.get_matrix(), (data, level)


def test_penalty_is_qrcodes_lost_point():
    import random

    import numpy as np
    from qrcode import util

    from silat.pdf.qr import lost_point
    rnd = random.Random(3)
    for size in (21, 25, 33, 57):
        for _ in range(25):
            density = rnd.random()
            matrix = [[rnd.random() < density for _ in range(size)] for _ in range(size)]
            assert lost_point(np.array(matrix)) == util.lost_point(matrix)
