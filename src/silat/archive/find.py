"""The archivist's search (``/arsip/cari``): one form over every dossier
by number or name, year, service, agency, kecamatan, dossier state,
archive state and physical location.

The index does the searching (``silat.search.query.officer_search``,
filtered by what the archivist may view); archive state and location
live in the archive store and are applied to the hits found.
"""
import datetime as dt

from pyramid.view import view_config

from silat.archive.model import STATES, archive_state, get_store
from silat.i18n import _
from silat.interfaces import IArchive
from silat.security import permissions as P

FACET_PARAMS = (("tahun", "year"), ("layanan", "service"), ("opd", "agency"),
                ("kecamatan", "kecamatan"), ("status", "state"))
LIMIT = 100


def _params(request):
    get = request.GET
    return {name: (get.get(name) or "").strip()[:100]
            for name in ("q", "arsip", "lokasi") + tuple(p for p, _f in FACET_PARAMS)}


def _location_text(location):
    return " / ".join(location.get(k, "") for k in ("building", "room", "shelf", "box") if location.get(k))


def find(request, archive, chosen):
    """(rows, total found by the index, error message or None)."""
    from silat.search.query import Params, SearchError, officer_search
    from silat.search.security import query_principals
    service = request.search_index
    if service is None:
        return [], 0, None
    facets = [(field, chosen[param]) for param, field in FACET_PARAMS if chosen[param]]
    try:
        result = officer_search(service, query_principals(request.user),
                                Params(q=chosen["q"], facets=facets, sort="date", page=1, size=LIMIT))
    except SearchError as exc:
        return [], 0, exc.args[0] if exc.args else _("Pencarian tidak dapat dibaca.")
    store = get_store(archive)
    site = request.root
    today = dt.date.today()
    rows = []
    for item in result["items"]:
        if item.get("kind") != "dossier":
            continue
        number = item["uid"].split(":", 1)[1]         # "nomor" also holds letter numbers
        dossier = site["berkas"].get(number)
        if dossier is None:
            continue
        state, _a, _i = archive_state(dossier, store.retention.get(dossier.service_code), today)
        location = _location_text(store.locations.get(dossier.registration_number, {}))
        if chosen["arsip"] and state != chosen["arsip"]:
            continue
        if chosen["lokasi"] and chosen["lokasi"].lower() not in location.lower():
            continue
        rows.append({"number": number, "title": item["title"], "service": item["service"],
                     "agency": item["agency"], "kecamatan": item["kecamatan"], "year": item["year"],
                     "state": item["state"], "archive_state": STATES.get(state, state),
                     "location": location or "-",
                     "url": request.resource_url(archive, "berkas", number)})
    return rows, result["total"], None


@view_config(context=IArchive, name="cari", permission=P.ARCHIVE,
             renderer="silat:templates/archive/find.pt")
def archive_find(context, request):
    chosen = _params(request)
    searched = any(chosen.values())
    rows, total, error = find(request, context, chosen) if searched else ([], 0, None)
    if error:
        request.response.status_int = 400
    return {"title": _("Cari berkas arsip"), "chosen": chosen, "rows": rows, "total": total,
            "error": error, "searched": searched, "archive_states": list(STATES.items()),
            "limit": LIMIT}
