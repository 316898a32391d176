"""Supervisors' page (``/pemantauan``): overdue work per agency and stage.

Reads the running clocks whose earliest due date (the whole one or an
agency's) has passed, from the due list, never every dossier. A dossier in
technical review is counted against each reviewing agency whose own
recommendation budget has run out (or every pending one when the whole
dossier is overdue); in other stages against the agency that serves it.
The summary counts every group; the rows (group by group, each by due
date) are paged (``?halaman=N``) and made only for the page shown.
"""
from collections import defaultdict

from pyramid.view import view_config

from silat.i18n import _
from silat.interfaces import IDossier, ISite
from silat.security.permissions import SUPERVISE
from silat.views.paging import Pager
from silat.views.urls import child_urls
from silat.workflow.calendar import calendar_for, local_date
from silat.workflow.engine import workflow_for
from silat.workflow.guards import pending_agencies
from silat.workflow.notices import number_of, service_title
from silat.workflow.sla import agency_status, due_before, open_items, sla_status, utcnow

HOME_AGENCY = "DPMPTSP"      # complaints and information requests are handled here


def serving_agency(obj):
    standard = getattr(obj, "standard", None)
    return standard().agency if callable(standard) else HOME_AGENCY


def responsible_agencies(obj, today, due_soon, wanted="overdue"):
    """Agencies for which ``obj`` has the mark ``wanted`` now, with the
    remaining working days each: [(agency code, remaining)]."""
    mark, remaining = sla_status(obj, today, due_soon)
    if IDossier.providedBy(obj) and obj.state == "in_review":
        found = []
        for code in pending_agencies(obj):
            own, left = agency_status(obj, code, today, due_soon)
            if own == wanted:
                found.append((code, left))
            elif mark == wanted:
                found.append((code, remaining))
        return found
    return [(serving_agency(obj), remaining)] if mark == wanted else []


def overdue_for(obj, today, agencies=None):
    """``responsible_agencies(obj, today, _, "overdue")`` by dates alone:
    [(agency code, the due date its lateness counts from)]; the working
    days late are counted only for the rows shown. ``agencies`` caches
    the serving agency per service revision."""
    clock = getattr(obj, "sla", None)
    if clock is None or clock.due_date is None or not clock.running or clock.paused:
        return []
    late = today > clock.due_date
    if IDossier.providedBy(obj) and obj.state == "in_review":
        found = []
        for code in pending_agencies(obj):
            own = clock.agency_due.get(code)
            if own is not None and today > own:
                found.append((code, own))
            elif late:
                found.append((code, clock.due_date))
        return found
    if not late:
        return []
    if agencies is None or not IDossier.providedBy(obj):
        return [(serving_agency(obj), clock.due_date)]
    key = (obj.service_code, obj.service_revision)
    code = agencies.get(key)
    if code is None:
        code = agencies[key] = serving_agency(obj)
    return [(code, clock.due_date)]


def overdue_groups(site, today):
    """{(agency code, stage): [(content, due date)]} of overdue work."""
    groups, agencies = defaultdict(list), {}
    candidates = due_before(site, today)
    for obj in open_items(site) if candidates is None else candidates:
        for code, due in overdue_for(obj, today, agencies):
            groups[(code, obj.state)].append((obj, due))
    return groups


def late(calendar, today, due):
    """Working days late (0 when none), as the SLA mark counts them."""
    return -calendar.working_days_between(today, due) or 0


@view_config(context=ISite, name="pemantauan", permission=SUPERVISE,
             renderer="silat:templates/workflow/monitor.pt")
def supervisor_home(context, request):
    today = local_date(utcnow())
    calendar = calendar_for(context)
    agencies = context["opd"]
    groups = []
    url = child_urls(request)

    ordered = sorted(overdue_groups(context, today).items())
    flat = [(n, obj, due) for n, (_key, items) in enumerate(ordered)
            for obj, due in sorted(items, key=lambda i: i[0].due_date)]
    pager = Pager(request)
    shown = pager.take(flat)
    for n, ((code, stage), items) in enumerate(ordered):
        agency = agencies.get(code)
        first = items[0][0]
        groups.append({
            "agency": code, "agency_title": agency.title if agency is not None else code,
            "stage": stage, "stage_title": workflow_for(first).states[stage].title,
            "count": len(items),
            "rows": [{"number": number_of(obj), "service": service_title(obj),
                      "due_date": obj.due_date, "late": late(calendar, today, due),
                      "url": url(obj, "riwayat")}
                     for group, obj, due in shown if group == n],
        })
    return {"title": _("Pemantauan"), "groups": groups, "today": today, "pager": pager,
            "total": sum(g["count"] for g in groups)}
