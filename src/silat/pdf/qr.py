"""QR codes as flowables (reportlab's own encoder: no image files)."""
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm


def qr_drawing(data, size=28 * mm, level="M"):
    """A square Drawing of the QR code for ``data`` (a URL or token)."""
    widget = QrCodeWidget(data, barLevel=level)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


qr_flowable = qr_drawing
