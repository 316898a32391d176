"""The survey report as a PDF: figures, element averages and a bar chart."""
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from silat.i18n import _
from silat.pdf import Letterhead, build_pdf, grid_table, key_value_table, para


def chart(averages):
    drawing = Drawing(170 * mm, max(40, 9 * len(averages)) * mm / 1.6)
    bars = HorizontalBarChart()
    bars.x, bars.y = 60 * mm, 5 * mm
    bars.width, bars.height = 100 * mm, drawing.height - 10 * mm
    bars.data = [[avg for _c, _t, avg in reversed(averages)] or [0]]
    bars.categoryAxis.categoryNames = [code for code, _t, _a in reversed(averages)] or [""]
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 4, 1
    drawing.add(bars)
    return drawing


def report_pdf(data, t):
    index = "-" if data["index"] is None else f"{data['index']:.2f}"
    story = [
        para(t(_("Laporan Survei Kepuasan Masyarakat")), "title"),
        key_value_table([
            (t(_("Metode")), t(data["method_title"])),
            (t(_("Periode")), f"{data['start'] or '-'} s.d. {data['end'] or '-'}"),
            (t(_("Layanan")), data["service"] or t(_("Semua"))),
            (t(_("Jumlah responden")), str(data["responses"])),
            (t(_("Sampel minimal (Krejcie-Morgan)")),
             f"{data['required_sample']} / {data['population']}"),
            (t(_("Indeks")), index),
            (t(_("Mutu pelayanan")), data["grade"] or "-"),
        ], [60 * mm, 110 * mm]),
        grid_table([t(_("Unsur")), t(_("Nama unsur")), t(_("Nilai rata-rata (NRR)"))],
                   [[code, t(title), f"{avg:.2f}"] for code, title, avg in data["averages"]],
                   [20 * mm, 110 * mm, 40 * mm]),
    ]
    if data["averages"]:
        story.append(chart(data["averages"]))
    if data["suggestions"]:
        story.append(para(t(_("Saran dan masukan")), "heading"))
        story += [para(f"{day}: {text}") for day, text in data["suggestions"]]
    return build_pdf(story, title=t(_("Laporan Survei Kepuasan Masyarakat")),
                     letterhead=Letterhead("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"))
