"""The periodic report as a PDF: "Laporan Penerbitan dan Realisasi Perizinan
dan Non Perizinan" for a month, quarter or year (letterhead, charts, tables)."""
import datetime as dt
import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from silat.i18n import _
from silat.pdf.page import MARGIN, Letterhead, build_pdf
from silat.pdf.tables import grid_table
from silat.pdf.text import para
from silat.present import number
from silat.reports import figures as F
from silat.reports.reporttables import tables

WIDTH = 210 * mm - 2 * MARGIN
HOME = "DPMPTSP"


def bar_drawing(title, rows):
    """A reportlab horizontal bar chart of [(label, value)]."""
    rows = rows or [("-", 0)]
    height = 20 + 14 * len(rows)
    drawing = Drawing(WIDTH, height + 18)
    drawing.add(String(0, height + 6, title, fontName="Helvetica-Bold", fontSize=9))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 70 * mm, 10, WIDTH - 90 * mm, height - 10
    chart.data = [[value or 0 for _label, value in rows]]
    chart.categoryAxis.categoryNames = [str(label)[:28] for label, _value in rows]
    chart.categoryAxis.labels.fontSize = 7
    top = max([value or 0 for _label, value in rows] + [1])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))      # counts: whole numbers
    chart.valueAxis.labelTextFormat = lambda v: number(int(v))
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#1b6e3c")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    drawing.add(chart)
    return drawing


def report_pdf(site, filters, today, registry, translate):
    """PDF bytes of the report for ``filters`` (its period is the report's)."""
    t = translate
    figures = F.compute(site, filters, today, registry)
    agencies = site["opd"]
    home = agencies.get(HOME)
    agency = agencies.get(filters.agency) if filters.agency else None
    letterhead = Letterhead((home.title if home is not None else HOME) if agency is None else agency.title)
    title = t(_("Laporan Penerbitan dan Realisasi Perizinan dan Non Perizinan"))
    story = [para(title, "title"),
             para(t(_("Periode ${period}", mapping={"period": filters.period_label})), "subtitle")]
    chosen = [(t(label), value) for label, value in (
        (_("Layanan"), filters.service), (_("Perangkat daerah"), filters.agency),
        (_("Kecamatan"), filters.kecamatan), (_("Kanal"), filters.channel)) if value]
    if chosen:
        story.append(para("; ".join(f"{k}: {v}" for k, v in chosen), "muted"))
    story.append(Spacer(1, 3 * mm))
    story.append(bar_drawing(t(_("Izin terbit per bulan")),
                             [(r["month"], r["issued"]) for r in figures["by_month"]]))
    story.append(bar_drawing(t(_("Dalam proses per tahap")),
                             [(t(_s(s)), n) for s, n in figures["in_progress"].items()]))
    for _name, heading, header, rows in tables(figures, t):
        story.append(para(heading, "heading"))
        if not rows:
            story.append(para(t(_("Tidak ada data.")), "muted"))
            continue
        width = WIDTH / len(header)
        story.append(grid_table(header, [[_cell(v) for v in row] for row in rows], [width] * len(header)))
    printed = dt.datetime.now().strftime("%d-%m-%Y %H:%M")
    return build_pdf(story, title=f"{title} {filters.period_label}", letterhead=letterhead,
                     running_header=f"{title} - {filters.period_label}",
                     footer=t(_("Dicetak dari SILAT ${date}", mapping={"date": printed})),
                     page_label=lambda n, total: t(_("Halaman ${n} dari ${total}",
                                                     mapping={"n": n, "total": total})))


def _cell(value):
    """Whole numbers (counts, rupiah) with the Indonesian thousands separator."""
    return number(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _s(stage):
    from silat.reports.reporttables import stage_title
    return stage_title(stage)
