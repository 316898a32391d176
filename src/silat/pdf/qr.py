"""QR codes as vector flowables: the module matrix from ``qrcode``, drawn
as filled rectangles (one per run of dark modules in a row) in a single
path. No raster image: nothing to encode as PNG and decode again while
the PDF is built, and the code stays sharp at any print size."""
import qrcode
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
QUIET_ZONE = 4       # modules of white border the standard asks for


def qr_matrix(data, level="M"):
    """The module matrix (rows of booleans, dark = True) with its quiet zone."""
    qr = qrcode.QRCode(error_correction=LEVELS[level], border=QUIET_ZONE)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


def dark_runs(matrix):
    """(row, first column, length) of each horizontal run of dark modules."""
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            yield y, start, x - start


class QrCode(Flowable):
    """A square QR code of side ``size`` (points), quiet zone included."""

    def __init__(self, data, size=28 * mm, level="M"):
        super().__init__()
        self.data, self.size = data, size
        self.matrix = qr_matrix(data, level)
        self.width = self.height = size

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        canvas, count = self.canv, len(self.matrix)
        module = self.size / count
        canvas.saveState()
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        path = canvas.beginPath()
        for y, x, length in dark_runs(self.matrix):
            path.rect(x * module, (count - 1 - y) * module, length * module, module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


def qr_flowable(data, size=28 * mm, level="M"):
    """The QR code of ``data`` (a URL or token) as a flowable of side ``size``."""
    return QrCode(data, size, level)
