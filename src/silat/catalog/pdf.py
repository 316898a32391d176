"""The printable standard (PDF) of a service, from ``silat.pdf`` blocks."""
import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from silat.catalog.model import NOT_CONFIGURED
from silat.catalog.present import category_label, components, requirement_text
from silat.i18n import _
from silat.pdf import Letterhead, build_pdf, bullets, grid_table, para, qr_flowable

WIDTH = 174 * mm


def _value(component, translate):
    """A flowable (or text) for one component's value."""
    missing = translate(NOT_CONFIGURED)
    if component.empty:
        return para(missing, "cell")
    if component.kind == "list":
        flow = bullets(component.value)
    elif component.kind == "requirements":
        flow = bullets([requirement_text(r, translate) for r in component.value])
    elif component.kind == "procedure":
        flow = grid_table(
            ["No", translate(_("Langkah")), translate(_("Pelaksana")), translate(_("Waktu")),
             translate(_("Keluaran"))],
            [[str(i), s.step, s.actor or "-", s.time or "-", s.output or "-"]
             for i, s in enumerate(component.value, 1)],
            [8 * mm, 54 * mm, 26 * mm, 17 * mm, 23 * mm])
    else:
        flow = para(component.value, "cell")
    if component.configured:
        return flow
    return [flow, para(translate(_("(belum lengkap, perlu dikonfigurasi)")), "muted")]


def render_standard(request, service, rev, agency):
    """PDF bytes of revision ``rev`` of ``service``."""
    translate = request.localizer.translate
    agency_name = agency.title if agency is not None else rev.agency
    url = request.resource_url(service)
    title = translate(_("STANDAR PELAYANAN"))
    meta = Table([[
        [para(rev.name, "title"),
         para(f"{title} - {translate(category_label(rev.category))}", "subtitle"),
         para(translate(_("Kode ${code} | Revisi ${n} | Berlaku mulai ${date}",
                          mapping={"code": service.code, "n": rev.number,
                                   "date": rev.effective_date.strftime("%d-%m-%Y")})), "small")],
        qr_flowable(url, size=24 * mm)]], colWidths=[WIDTH - 28 * mm, 28 * mm])
    meta.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    rows = [[str(c.number or ""), para(translate(c.label), "cell_bold"), _value(c, translate)]
            for c in components(rev, translate)]
    story = [meta, Spacer(1, 4 * mm),
             para(translate(_("OPD penyelenggara: ${agency}", mapping={"agency": agency_name})),
                  "body")]
    if rev.recommendations_from:
        story.append(para(translate(_("Rekomendasi teknis dari: ${codes}", mapping={
            "codes": ", ".join(rev.recommendations_from)})), "body"))
    story += [Spacer(1, 3 * mm),
              grid_table(None, rows, [8 * mm, 42 * mm, WIDTH - 50 * mm])]
    printed = dt.datetime.now().strftime("%d-%m-%Y %H:%M")
    return build_pdf(
        story, title=f"{title}: {rev.name}", subject=service.code,
        letterhead=Letterhead(agency_name),
        running_header=f"{title}: {rev.name} ({service.code}, rev. {rev.number})",
        footer=translate(_("Dicetak dari SILAT ${date} - ${url}",
                           mapping={"date": printed, "url": url})),
        page_label=lambda n, total: translate(_("Halaman ${n} dari ${total}",
                                                mapping={"n": n, "total": total})))

