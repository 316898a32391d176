"""The dossiers behind a dashboard number (drill-down), from the stored facts.

``matching`` filters ``site.report_facts`` (no dossier is woken to
decide); ``visible_rows`` then opens only the matches, and keeps those
the caller may view (VIEW_DOSSIER on the dossier itself).
"""
from silat.i18n import _
from silat.reports.facts import FINAL, STAGES
from silat.reports.tallies import index_members, read_only, thaw
from silat.security.permissions import VIEW_DOSSIER

METRICS = {
    "received": _("Diterima"), "returned": _("Pernah dikembalikan"), "issued": _("Izin terbit"),
    "rejected": _("Ditolak"), "withdrawn": _("Dibatalkan"), "on_time": _("Selesai tepat waktu"),
    "late": _("Selesai terlambat"), "in_progress": _("Dalam proses"), "overdue": _("Terlambat saat ini"),
    "review": _("Menunggu rekomendasi OPD"),
}
LIMIT = 500
COLUMNS = (_("Nomor pendaftaran"), _("Layanan"), _("Perangkat daerah"), _("Kecamatan"), _("Kanal"),
           _("Status"), _("Tanggal diajukan"), _("Tanggal selesai"), _("Hari kerja"), _("Tepat waktu"),
           _("Batas waktu"))


def _in(filters, day):
    return bool(day) and filters.start <= day[:7] <= filters.end


def _test(metric, stage, fact, filters, today):
    state = fact["state"]
    if metric == "received":
        return _in(filters, fact["sub"])
    if metric == "returned":
        return _in(filters, fact["sub"]) and fact["ret"] > 0
    if metric in FINAL:
        return state == metric and _in(filters, fact["fin"])
    if metric in ("on_time", "late"):
        return fact["late"] is (metric == "late") and _in(filters, fact["fin"])
    if metric == "in_progress":
        return state in STAGES and (not stage or state == stage)
    if metric == "overdue":
        return bool(fact["due"]) and fact["due"] < today.isoformat()
    if metric == "review":
        return state == "in_review"
    return False


def _candidates(site, metric, filters):
    """Numbers that may count: those of the period's (or the open) index entries."""
    if metric in ("in_progress", "overdue", "review"):
        return index_members(site, ("open", ""), ("open", ""))
    part = "sub" if metric in ("received", "returned") else "fin"
    return index_members(site, (part, filters.start), (part, filters.end))


def matching(site, metric, filters, today, stage=""):
    """[(number, fact)] counted by ``metric`` under ``filters``, in number order."""
    found = []
    known = read_only(site, "report_facts")
    for number in sorted(_candidates(site, metric, filters)):
        fact = thaw(known.get(number))
        if fact is None or fact.get("kind") or not _test(metric, stage, fact, filters, today):
            continue
        agency_ok = (not filters.agency or filters.agency in fact["review"]) if metric == "review" else (
            not filters.agency or fact["ag"] == filters.agency)
        if (agency_ok and (not filters.service or fact["svc"] == filters.service)
                and (not filters.kecamatan or fact["kec"] == filters.kecamatan)
                and (not filters.channel or fact["ch"] == filters.channel)):
            found.append((number, fact))
    return found


def visible_rows(site, request, found, limit=LIMIT):
    """(rows the caller may view, number hidden, complete). The page stops
    once ``limit`` rows are found, so it wakes at most a page of dossiers
    however large the period; ``limit=None`` (the exports) takes them all.
    ``complete`` says whether every match was looked at (only then is the
    hidden number the whole count)."""
    rows, hidden = [], 0
    folder = site["berkas"]
    for number, fact in found:
        if limit is not None and len(rows) >= limit:
            return rows, hidden, False
        dossier = folder.get(number)
        if dossier is None or not request.has_permission(VIEW_DOSSIER, dossier):
            hidden += 1
            continue
        rows.append(row_of(number, fact, request.resource_url(dossier)))
    return rows, hidden, True


def row_of(number, fact, url=None):
    late = fact["late"]
    return {"number": number, "service": fact["svc"], "agency": fact["ag"], "kecamatan": fact["kec"],
            "channel": fact["ch"], "state": fact["state"], "submitted": fact["sub"] or "",
            "finished": fact["fin"] or "", "days": "" if fact["days"] is None else fact["days"],
            "on_time": "" if late is None else ("tidak" if late else "ya"), "due": fact["due"] or "",
            "url": url}


def table_of(rows):
    """(column titles, plain rows) for an export."""
    keys = ("number", "service", "agency", "kecamatan", "channel", "state", "submitted", "finished",
            "days", "on_time", "due")
    return COLUMNS, [[r[k] for k in keys] for r in rows]
