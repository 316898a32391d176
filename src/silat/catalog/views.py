"""Public pages: the catalog (/layanan), a service's standard, its PDF,
and the agencies (/opd)."""
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from silat.catalog.interfaces import IServiceType
from silat.catalog.loader import kecamatan
from silat.catalog.model import CATEGORIES, NOT_CONFIGURED
from silat.catalog.pdf import render_standard
from silat.catalog.present import components, duration_text, fee_text, find_services
from silat.i18n import _
from silat.interfaces import IAgency, IAgencyDirectory, IServiceCatalog
from silat.resources.site import get_site
from silat.security.permissions import MANAGE_CATALOG, VIEW


def _agency_title(request, code):
    agency = get_site(request)["opd"].get(code)
    return agency.title if agency is not None else code


PAGE_SIZE = 30


@view_config(context=IServiceCatalog, permission=VIEW, renderer="silat:templates/catalog/list.pt")
def catalog_list(context, request):
    translate = request.localizer.translate
    q = request.GET.get("q", "").strip()
    agency = request.GET.get("opd", "").strip().upper()
    category = request.GET.get("kategori", "")
    category = category if category in CATEGORIES else ""
    site = get_site(request)
    everything = find_services(site)
    found = find_services(site, q, agency, category)
    rows = [{"code": s.code, "name": r.name, "url": request.resource_url(s),
             "category": CATEGORIES[r.category], "agency": r.agency,
             "agency_title": _agency_title(request, r.agency),
             "time": duration_text(r.completion_time, translate) or translate(NOT_CONFIGURED),
             "fee": fee_text(r.fee, translate) or translate(NOT_CONFIGURED)}
            for s, r in sorted(found, key=lambda sr: (sr[1].category, sr[1].name.lower()))]
    owners = sorted({r.agency for _s, r in everything})
    found_count = len(rows)
    pages = max(1, -(-found_count // PAGE_SIZE))
    try:
        page = min(max(1, int(request.GET.get("halaman", 1))), pages)
    except ValueError:
        page = 1
    rows = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    groups = []
    for row in rows:                      # rows are sorted by category: group them
        if not groups or groups[-1][0] != row["category"]:
            groups.append((row["category"], []))
        groups[-1][1].append(row)
    query = {k: v for k, v in (("q", q), ("opd", agency), ("kategori", category)) if v}
    return {"title": _("Daftar Layanan"), "rows": rows, "total": len(everything),
            "found": found_count, "groups": groups, "page": page, "pages": pages,
            "page_url": lambda n: request.resource_url(context, query={**query, "halaman": n}),
            "q": q, "agency": agency, "category": category,
            "agencies": [(code, _agency_title(request, code)) for code in owners],
            "categories": list(CATEGORIES.items()),
            "can_manage": request.has_permission(MANAGE_CATALOG, context)}


def revision_asked(request, service):
    """The revision ``?revisi=n`` or the one in effect today (404 if none)."""
    wanted = request.GET.get("revisi")
    try:
        rev = service.revision(int(wanted)) if wanted else service.current
    except (KeyError, ValueError):
        rev = None
    if rev is None:
        raise HTTPNotFound()
    return rev


@view_config(context=IServiceType, permission=VIEW, renderer="silat:templates/catalog/detail.pt")
def service_detail(context, request):
    rev = revision_asked(request, context)
    translate = request.localizer.translate
    current = context.current
    return {"title": rev.name, "service": context, "rev": rev,
            "is_current": current is not None and current.number == rev.number,
            "category": CATEGORIES[rev.category],
            "agency_title": _agency_title(request, rev.agency),
            "recommenders": [(c, _agency_title(request, c)) for c in rev.recommendations_from],
            "components": components(rev, translate, context), "not_configured": NOT_CONFIGURED,
            "pdf_url": request.resource_url(context, "pdf", query=(
                {"revisi": rev.number} if request.GET.get("revisi") else None)),
            "can_manage": request.has_permission(MANAGE_CATALOG, context)}


@view_config(context=IServiceType, name="pdf", permission=VIEW)
def service_pdf(context, request):
    rev = revision_asked(request, context)
    agency = get_site(request)["opd"].get(rev.agency)
    body = render_standard(request, context, rev, agency)
    return Response(body=body, content_type="application/pdf", content_disposition=(
        f'inline; filename="standar-pelayanan-{context.code}-rev{rev.number}.pdf"'))


@view_config(context=IAgencyDirectory, permission=VIEW,
             renderer="silat:templates/catalog/agencies.pt")
def agency_list(context, request):
    agencies = sorted(context.values(), key=lambda a: (a.kind == "kecamatan", a.code))
    return {"title": _("Perangkat Daerah"), "agencies": agencies,
            "can_manage": request.has_permission(MANAGE_CATALOG, context)}


@view_config(context=IAgency, permission=VIEW, renderer="silat:templates/catalog/agency.pt")
def agency_detail(context, request):
    site = get_site(request)
    issued, recommends = [], []
    for service, rev in find_services(site):
        if rev.agency == context.code:
            issued.append((service, rev))
        if context.code in rev.recommendations_from:
            recommends.append((service, rev))
    region = next((k for k in kecamatan() if k["code"] == context.code), None)
    return {"title": context.title, "agency": context, "issued": issued,
            "recommends": recommends, "kelurahan": region["kelurahan"] if region else (),
            "can_manage": request.has_permission(MANAGE_CATALOG, context)}
