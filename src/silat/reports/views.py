"""Dashboard pages, drill-down lists, exports, the report PDF, public statistics.

``/dasbor`` (DPMPTSP head, Pengawas: every agency) and
``/opd/<CODE>/dasbor`` (that agency's head: its own figures only) share
one view; the agency is forced from the context, never from the query.
Each view name is also registered on the agency, so an agency head's
drill-downs and exports stay inside their agency.
"""
from pyramid.httpexceptions import HTTPBadRequest
from pyramid.traversal import find_root
from pyramid.view import view_config

from silat.i18n import _
from silat.interfaces import IAgency, ISite
from silat.reports import figures as F
from silat.reports import lists
from silat.reports.exports import response as export_response
from silat.reports.pdfreport import report_pdf
from silat.reports.reporttables import stage_title, tables
from silat.reports.svg import bar_chart
from silat.security.permissions import VIEW, VIEW_STATISTICS
from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow

TEMPLATE = "silat:templates/reports/"


def scope(context):
    """(site, forced agency code or None) for a dashboard context."""
    if IAgency.providedBy(context):
        return find_root(context), context.code
    return context, None


def read_filters(request, agency):
    try:
        return F.Filters.parse(request.params, local_date(utcnow()), agency=agency)
    except F.FilterError as bad:
        raise HTTPBadRequest(request.localizer.translate(bad.reason))


def _options(site):
    services = sorted(site["layanan"].keys())
    agencies = sorted(site["opd"].keys())
    from silat.catalog.loader import kecamatan
    return {"services": services, "agencies": agencies,
            "kecamatan": [(k["code"], k["name"]) for k in kecamatan()]}


@view_config(context=ISite, name="dasbor", permission=VIEW_STATISTICS,
             renderer=TEMPLATE + "dashboard.pt")
@view_config(context=IAgency, name="dasbor", permission=VIEW_STATISTICS,
             renderer=TEMPLATE + "dashboard.pt")
def dashboard(context, request):
    site, agency = scope(context)
    filters = read_filters(request, agency)
    today = local_date(utcnow())
    figures = F.compute(site, filters, today, request.registry)
    t = request.localizer.translate
    base = request.resource_url(context)

    def link(metric, **extra):
        return request.resource_url(context, "dasbor-berkas",
                                    query={**filters.query(**{k: v for k, v in extra.items()
                                                              if k != "stage"}),
                                           "metric": metric, **({"stage": extra["stage"]}
                                                                if extra.get("stage") else {})})

    charts = [
        (t(_("Dalam proses per tahap")),
         bar_chart(t(_("Dalam proses per tahap")),
                   [(t(stage_title(s)), n) for s, n in figures["in_progress"].items()])),
        (t(_("Izin terbit per bulan")),
         bar_chart(t(_("Izin terbit per bulan")), [(r["month"], r["issued"]) for r in figures["by_month"]])),
    ]
    return {"title": _("Dasbor") if agency is None else _("Dasbor ${agency}", mapping={"agency": agency}),
            "f": figures, "filters": filters, "agency": agency, "link": link, "charts": charts,
            "stage_title": lambda s: t(stage_title(s)), "options": _options(site), "base": base,
            "tables": tables(figures, t),
            "export": lambda name, fmt: request.resource_url(
                context, "dasbor-tabel", query={**filters.query(), "table": name, "format": fmt}),
            "pdf_url": request.resource_url(context, "laporan.pdf", query=filters.query())}


@view_config(context=ISite, name="dasbor-berkas", permission=VIEW_STATISTICS,
             renderer=TEMPLATE + "list.pt")
@view_config(context=IAgency, name="dasbor-berkas", permission=VIEW_STATISTICS,
             renderer=TEMPLATE + "list.pt")
def drilldown(context, request):
    """The dossiers one number counts, only those the caller may open."""
    site, agency = scope(context)
    filters = read_filters(request, agency)
    metric = request.params.get("metric", "")
    if metric not in lists.METRICS:
        raise HTTPBadRequest(request.localizer.translate(_("Ukuran tidak dikenal.")))
    stage = request.params.get("stage", "")
    found = lists.matching(site, metric, filters, local_date(utcnow()), stage=stage)
    fmt = request.params.get("format")
    export = fmt in ("csv", "xlsx")
    rows, hidden, complete = lists.visible_rows(site, request, found,
                                                limit=None if export else lists.LIMIT)
    t = request.localizer.translate
    for row in rows:
        row["state"] = t(stage_title(row["state"]))
    if export:
        header, plain = lists.table_of(rows)
        return export_response(request, [t(h) for h in header], plain, f"berkas-{metric}", fmt)
    return {"title": lists.METRICS[metric], "rows": rows, "hidden": hidden if complete else 0,
            "more": not complete, "total": len(found),
            "limit": lists.LIMIT, "filters": filters, "stage": stage,
            "stage_title": stage_title(stage) if stage else None,
            "export": lambda fmt: request.resource_url(
                context, "dasbor-berkas", query={**request.GET, "format": fmt}),
            "back": request.resource_url(context, "dasbor", query=filters.query())}


@view_config(context=ISite, name="dasbor-tabel", permission=VIEW_STATISTICS)
@view_config(context=IAgency, name="dasbor-tabel", permission=VIEW_STATISTICS)
def table_export(context, request):
    site, agency = scope(context)
    filters = read_filters(request, agency)
    t = request.localizer.translate
    wanted = request.params.get("table", "")
    for name, _title, header, rows in tables(F.compute(site, filters, local_date(utcnow()),
                                                       request.registry), t):
        if name == wanted:
            return export_response(request, header, rows, f"{name}-{filters.start}-{filters.end}",
                                   request.params.get("format", "csv"))
    raise HTTPBadRequest(t(_("Tabel tidak dikenal.")))


@view_config(context=ISite, name="laporan.pdf", permission=VIEW_STATISTICS)
@view_config(context=IAgency, name="laporan.pdf", permission=VIEW_STATISTICS)
def report(context, request):
    site, agency = scope(context)
    filters = read_filters(request, agency)
    body = report_pdf(site, filters, local_date(utcnow()), request.registry,
                      request.localizer.translate)
    res = request.response
    res.body, res.content_type = body, "application/pdf"
    res.content_disposition = f'inline; filename="laporan-{filters.start}-{filters.end}.pdf"'
    return res


@view_config(context=ISite, name="statistik", permission=VIEW, renderer=TEMPLATE + "public.pt")
def public_statistics(context, request):
    """Counts only: no dossier, name or address is shown here."""
    today = local_date(utcnow())
    try:
        filters = F.Filters.parse({k: v for k, v in request.params.items()
                                   if k in ("period", "service", "kecamatan")}, today)
    except F.FilterError as bad:
        raise HTTPBadRequest(request.localizer.translate(bad.reason))
    figures = F.compute(context, filters, today, request.registry)
    t = request.localizer.translate
    return {"title": _("Statistik Perizinan"), "f": figures, "filters": filters,
            "options": _options(context),
            "chart": bar_chart(t(_("Izin terbit per bulan")),
                               [(r["month"], r["issued"]) for r in figures["by_month"]])}
