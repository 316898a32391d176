"""The SLA clock of a dossier: due date from its standard's completion time.

The clock starts when the application is submitted, pauses while it is
returned to the applicant and resumes on resubmission, moving the due
date by the time it stood still (working days for a working-day budget,
calendar days for a day budget, elapsed time for hours and minutes).
``dossier.due_date`` (local date) and ``dossier.sla`` are kept here only.
"""
import datetime as dt

from persistent import Persistent
from pyramid.events import subscriber
from pyramid.traversal import find_root

from silat.interfaces import IDossier, IWorkflowEvent
from silat.workflow.calendar import calendar_for, local_date


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


class SlaClock(Persistent):
    """Start, pauses and the due moment of one dossier."""

    def __init__(self, budget, started_at):
        self.budget = budget            # catalog Duration or None (to be configured)
        self.started_at = started_at
        self.paused_at = None
        self.pauses = ()                # ((paused_at, resumed_at), ...)
        self.due_at = None              # aware datetime for hours/minutes budgets
        self.due_date = None            # local date

    @property
    def paused(self):
        return self.paused_at is not None


def compute_due(calendar, start, budget):
    """(due_at, due_date) for a budget starting at ``start``."""
    if budget is None:
        return None, None
    unit, amount = budget.unit, budget.amount
    if unit == "working_days":
        return None, calendar.add_working_days(local_date(start), amount)
    if unit == "days":
        return None, local_date(start) + dt.timedelta(days=amount)
    delta = dt.timedelta(hours=amount) if unit == "hours" else dt.timedelta(minutes=amount)
    due_at = start + delta
    return due_at, local_date(due_at)


def shift_due(calendar, clock, paused_at, resumed_at):
    """Move the due moment by the time the clock stood still."""
    if clock.due_date is None:
        return
    unit = clock.budget.unit
    if unit == "working_days":
        lost = calendar.working_days_between(local_date(paused_at), local_date(resumed_at))
        clock.due_date = calendar.add_working_days(clock.due_date, lost)
    elif unit == "days":
        clock.due_date += local_date(resumed_at) - local_date(paused_at)
    else:
        clock.due_at += resumed_at - paused_at
        clock.due_date = local_date(clock.due_at)


def start(dossier, now=None):
    now = now or utcnow()
    clock = SlaClock(dossier.standard().completion_time, now)
    clock.due_at, clock.due_date = compute_due(calendar_for(find_root(dossier)), now, clock.budget)
    dossier.sla = clock
    dossier.due_date = clock.due_date


def pause(dossier, now=None):
    clock = getattr(dossier, "sla", None)
    if clock is not None and not clock.paused:
        clock.paused_at = now or utcnow()


def resume(dossier, now=None):
    clock = getattr(dossier, "sla", None)
    if clock is None or not clock.paused:
        return
    now = now or utcnow()
    shift_due(calendar_for(find_root(dossier)), clock, clock.paused_at, now)
    clock.pauses = clock.pauses + ((clock.paused_at, now),)
    clock.paused_at = None
    dossier.due_date = clock.due_date


def remaining_working_days(dossier, today):
    """Working days left until the due date (negative when overdue)."""
    due = getattr(dossier, "due_date", None)
    if due is None:
        return None
    return calendar_for(find_root(dossier)).working_days_between(today, due)


@subscriber(IWorkflowEvent)
def run_clock(event):
    if not IDossier.providedBy(event.object):
        return
    name = event.transition.name
    if name == "submit":
        start(event.object)
    elif name == "return":
        pause(event.object)
    elif name == "resubmit":
        resume(event.object)
