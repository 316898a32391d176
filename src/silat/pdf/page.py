"""The page template: government letterhead on the first page, a running
header on the others, and a footer with ``Halaman x dari y``."""
import io
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageTemplate, BaseDocTemplate, NextPageTemplate

from silat.pdf.styles import FONT, FONT_BOLD, MUTED, RULE, styles
from silat.pdf.text import para

# Streams are Flate-compressed only. reportlab's default also wraps them in
# ASCII85 (a 7-bit-safe file a quarter larger), encoded in pure Python for
# every page and decoded again by every reader: a tenth of a letter's
# rendering, for nothing a PDF needs today. Process-wide, for every PDF.
rl_config.useA85 = 0

MARGIN = 18 * mm
LETTERHEAD_HEIGHT = 30 * mm


@dataclass(frozen=True)
class Letterhead:
    """Kop surat: the government, the agency and its address line."""

    agency: str
    government: str = "PEMERINTAH KOTA BEKASI"
    address: str = ""


def _numbered_canvas(page_label):
    """A Canvas class that writes ``page_label(n, total)`` once the total is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColor(MUTED)
                self.drawRightString(self._pagesize[0] - MARGIN, 10 * mm,
                                     page_label(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_letterhead(letterhead, canvas, doc):
    width, height = doc.pagesize
    box_width = width - 2 * MARGIN
    y = height - MARGIN
    for text, style in ((letterhead.government, "letterhead_gov"),
                        (letterhead.agency.upper(), "letterhead_agency"),
                        (letterhead.address, "letterhead_address")):
        if not text:
            continue
        p = para(text, style)
        _w, h = p.wrap(box_width, 40 * mm)
        y -= h
        p.drawOn(canvas, MARGIN, y)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(1.6)
    canvas.line(MARGIN, y - 3, width - MARGIN, y - 3)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 5.5, width - MARGIN, y - 5.5)


def build_pdf(story, *, title, letterhead=None, running_header="", footer="",
              page_label=lambda n, total: f"Halaman {n} dari {total}", pagesize=A4,
              author="SILAT", subject=""):
    """Render ``story`` (a list of flowables) and return the PDF bytes."""
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=pagesize, title=title, author=author, subject=subject,
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN)
    width, height = pagesize
    top_gap = LETTERHEAD_HEIGHT if letterhead else 0

    def decorate(canvas, doc, first):
        canvas.saveState()
        if first and letterhead:
            _draw_letterhead(letterhead, canvas, doc)
        elif running_header:
            canvas.setFont(FONT_BOLD, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, height - 12 * mm, running_header)
        if footer:
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.restoreState()

    first = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - top_gap, id="first")
    later = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id="later")
    doc.addPageTemplates([
        PageTemplate("first", [first], onPage=lambda c, d: decorate(c, d, True)),
        PageTemplate("later", [later], onPage=lambda c, d: decorate(c, d, False)),
    ])
    doc.build([NextPageTemplate("later")] + list(story),
              canvasmaker=_numbered_canvas(page_label))
    return out.getvalue()


__all__ = ["Letterhead", "build_pdf", "styles"]
