"""``silat sla check``: announce work that became due soon or overdue.

Each mark is announced once per clock (remembered in ``clock.notified``;
a resumed or extended clock may be announced again): due soon to the
people responsible, overdue to them and to the supervisors. In technical
review each agency is judged by its own recommendation budget.
"""
from silat.interfaces import IDossier
from silat.workflow.engine import workflow_for
from silat.workflow.guards import pending_agencies
from silat.workflow.notices import (agency_staff, number_of, responsible_users, supervisors,
                                   tell_sla)
from silat.workflow.sla import agency_status, open_items, sla_status

ALERT_MARKS = ("due_soon", "overdue")


def marks_of(obj, today, due_soon):
    """[(key, mark, agency code or None, remaining)] the clock shows now."""
    if IDossier.providedBy(obj) and obj.state == "in_review":
        found = []
        for code in pending_agencies(obj):
            mark, remaining = agency_status(obj, code, today, due_soon)
            if mark in ALERT_MARKS:
                found.append((f"{mark}:{code}", mark, code, remaining))
        return found
    mark, remaining = sla_status(obj, today, due_soon)
    return [(mark, mark, None, remaining)] if mark in ALERT_MARKS else []


def check(site, registry, tm, today, due_soon):
    """Announce what is newly due soon or overdue; return [(number, key, sent)]."""
    report = []
    watchers = supervisors(site)
    for obj in open_items(site):
        clock = obj.sla
        for key, mark, code, remaining in marks_of(obj, today, due_soon):
            if key in clock.notified:
                continue
            if code is not None:
                people = agency_staff(site, {code})
            else:
                people = responsible_users(obj, workflow_for(obj).states[obj.state].responsible)
            if mark == "overdue":
                people += [u for u in watchers if u not in people]
            sent = tell_sla(registry, tm, obj, mark, people, remaining)
            done = {key}
            if mark == "overdue":
                done.add(key.replace("overdue", "due_soon", 1))
            clock.notified = frozenset(clock.notified | done)
            report.append((number_of(obj), key, sent))
    return report
