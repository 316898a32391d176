"""QR codes as vector flowables: the module matrix from ``qrcode``, drawn
as filled rectangles (one per run of dark modules in a row) in a single
path. No raster image: nothing to encode as PNG and decode again while
the PDF is built, and the code stays sharp at any print size.

The mask is chosen as ``qrcode`` chooses it (the lowest penalty of the
eight, ISO/IEC 18004 and ``qrcode.util.lost_point``), but scored on numpy
arrays from one placement of the data instead of eight placements scored
in Python: the same matrix, a fifth of the time."""
import functools

import numpy as np
import qrcode
from qrcode import util
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
QUIET_ZONE = 4       # modules of white border the standard asks for


@functools.lru_cache(maxsize=None)
def mask_array(pattern, count):
    """Where mask ``pattern`` flips a module of a ``count`` x ``count`` symbol."""
    flips = util.mask_func(pattern)
    return np.array([[bool(flips(r, c)) for c in range(count)] for r in range(count)])


# The finder-like pattern the third penalty rule looks for, and its mirror,
# as 11-bit numbers (first module highest)
FINDER_LIKE = (0b10111010000, 0b00001011101)


def _runs_penalty(symbols):
    """Rule 1 along the rows: each run of five or more same-colour modules
    costs its length - 2; one total per symbol of the stack."""
    many, count, _ = symbols.shape
    change = np.ones((many, count, count + 1), dtype=bool)
    change[:, :, 1:count] = symbols[:, :, 1:] != symbols[:, :, :-1]
    ends = np.flatnonzero(change)
    lengths = np.diff(ends)           # a row's end to the next row's start: 1, no cost
    penalty = np.where(lengths >= 5, lengths - 2, 0)
    return np.bincount(ends[:-1] // (count * (count + 1)), penalty, minlength=many)


def _finder_penalty(symbols):
    """Rule 3 along the rows: 40 for each 1:1:3:1:1 pattern with four light
    modules on one side; one total per symbol of the stack."""
    count = symbols.shape[2]
    if count < 11:
        return np.zeros(symbols.shape[0], dtype=np.int64)
    codes = np.zeros(symbols[:, :, 10:].shape, dtype=np.int64)
    for k in range(11):
        codes = (codes << 1) | symbols[:, :, k:count - 10 + k]
    found = (codes == FINDER_LIKE[0]) | (codes == FINDER_LIKE[1])
    return 40 * found.sum(axis=(1, 2))


def lost_points(symbols):
    """``qrcode.util.lost_point`` of each symbol of a (k, n, n) boolean stack
    (no quiet zone), as a list of ints."""
    count = symbols.shape[1]
    columns = symbols.transpose(0, 2, 1)
    points = _runs_penalty(symbols) + _runs_penalty(columns)
    corner = symbols[:, :-1, :-1]
    same = ((corner == symbols[:, 1:, :-1]) & (corner == symbols[:, :-1, 1:])
            & (corner == symbols[:, 1:, 1:]))
    points = points + 3 * same.sum(axis=(1, 2))
    points = points + _finder_penalty(symbols) + _finder_penalty(columns)
    out = []
    for total, dark in zip(points.tolist(), symbols.sum(axis=(1, 2)).tolist()):
        percent = float(dark) / (count ** 2)
        out.append(total + int(abs(percent * 100 - 50) / 5) * 10)
    return out


def lost_point(modules):
    """``qrcode.util.lost_point`` of one boolean matrix."""
    return lost_points(np.asarray(modules, dtype=bool)[None])[0]


class _QRCode(qrcode.QRCode):
    """``qrcode.QRCode`` with the mask scored on arrays (same choice)."""

    def map_data(self, data, mask_pattern):
        self.free = np.array([[m is None for m in row] for row in self.modules])
        super().map_data(data, mask_pattern)

    def best_mask_pattern(self):
        # the test symbols differ only in their data modules (format bits are
        # all light while testing): place the data once, flip it per mask
        self.makeImpl(True, 0)
        count = self.modules_count
        unmasked = np.array(self.modules, dtype=bool) ^ (self.free & mask_array(0, count))
        points = lost_points(np.stack([unmasked ^ (self.free & mask_array(i, count))
                                       for i in range(8)]))
        return points.index(min(points))


def qr_matrix(data, level="M"):
    """The module matrix (rows of booleans, dark = True) with its quiet zone."""
    qr = _QRCode(error_correction=LEVELS[level], border=QUIET_ZONE)
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
        canvas.saveState()
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        # in module units the runs have whole-number coordinates: written as
        # one path of ``re`` operators, filled once (no number formatting per
        # rectangle, a third of the bytes)
        canvas.scale(self.size / count, self.size / count)
        canvas.addLiteral(" ".join(f"{x} {count - 1 - y} {length} 1 re"
                                   for y, x, length in dark_runs(self.matrix)) + " f")
        canvas.restoreState()


def qr_flowable(data, size=28 * mm, level="M"):
    """The QR code of ``data`` (a URL or token) as a flowable of side ``size``."""
    return QrCode(data, size, level)
