"""The SLA clock of a dossier (or complaint, information request).

The due date comes from the service standard's completion time (or the
content's ``sla_budget``). The clock starts on the transition declared
``clock="start"`` (an application's submit; a complaint starts when it is
filed), pauses while the dossier is back with the applicant, resumes on
resubmission moving the due date by the time it stood still (working days
for a working-day budget, calendar days for a day budget, elapsed time for
hours and minutes), ``extend`` adds the content's ``sla_extension`` and a
final state stops it. Each agency asked for a recommendation gets its own
due date, a share of the whole (``request_budget``).

Open clocks are listed in the site's watch list (path -> content), which
``silat sla check`` walks instead of every dossier, and by their earliest
due date in the due list, from which the supervisors' page reads only
what may be overdue.
"""
import datetime as dt
import math

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_root, resource_path, traversal_path

from silat.catalog.model import Duration
from silat.resources import marks
from silat.workflow.calendar import add_months, calendar_for, local_date

DEFAULT_DUE_SOON_DAYS = 2
DEFAULT_RECOMMENDATION_SHARE = 0.5
MARKS = ("ok", "due_soon", "overdue", "paused")


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


def due_soon_days(settings):
    """``silat.sla.due_soon_days``: working days left that count as due soon."""
    return int(settings.get("silat.sla.due_soon_days", DEFAULT_DUE_SOON_DAYS))


def recommendation_share(settings):
    """``silat.sla.recommendation_share``: the part of the whole budget an
    agency has for its recommendation (0 < share <= 1)."""
    share = float(settings.get("silat.sla.recommendation_share", DEFAULT_RECOMMENDATION_SHARE))
    if not 0 < share <= 1:
        raise ValueError("silat.sla.recommendation_share must be in (0, 1]")
    return share


class SlaClock(Persistent):
    """Start, pauses and the due moment of one dossier."""

    stopped_at = None
    agency_due = {}          # agency code -> local due date of its recommendation
    notified = frozenset()   # marks already announced by `silat sla check`
    due_key = None           # its key in the due list (``_index_due``)

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

    @property
    def running(self):
        return self.stopped_at is None


def compute_due(calendar, start, budget):
    """(due_at, due_date) for a budget starting at ``start``."""
    if budget is None:
        return None, None
    unit, amount = budget.unit, budget.amount
    if unit == "working_days":
        return None, calendar.add_working_days(local_date(start), amount)
    if unit == "days":
        return None, local_date(start) + dt.timedelta(days=amount)
    if unit == "months":
        return None, add_months(local_date(start), amount)
    delta = dt.timedelta(hours=amount) if unit == "hours" else dt.timedelta(minutes=amount)
    due_at = start + delta
    return due_at, local_date(due_at)


def _shift_date(calendar, unit, day, paused_at, resumed_at):
    if unit == "working_days":
        lost = calendar.working_days_between(local_date(paused_at), local_date(resumed_at))
        return calendar.add_working_days(day, lost)
    return day + (local_date(resumed_at) - local_date(paused_at))


def shift_due(calendar, clock, paused_at, resumed_at):
    """Move the due moment (and every agency's) by the time the clock stood still."""
    if clock.due_date is None:
        return
    unit = clock.budget.unit
    if unit in ("working_days", "days", "months"):
        clock.due_date = _shift_date(calendar, unit, clock.due_date, paused_at, resumed_at)
    else:
        clock.due_at += resumed_at - paused_at
        clock.due_date = local_date(clock.due_at)
    if clock.agency_due:
        clock.agency_due = {code: _shift_date(calendar, unit, day, paused_at, resumed_at)
                            for code, day in clock.agency_due.items()}


def budget_of(obj):
    """The completion time of ``obj``: its standard's, else its ``sla_budget``."""
    standard = getattr(obj, "standard", None)
    if callable(standard):
        return standard().completion_time
    return getattr(obj, "sla_budget", None)


# -- the watch list of open clocks -------------------------------------------

def watchlist(site):
    """Path -> open mark (silat.resources.marks) of content with a running
    clock (made with the site, evolve step 4 for older sites; created here
    only as a last resort)."""
    found = getattr(site, "sla_watch", None)
    if found is None:
        found = site.sla_watch = OOBTree()
    return found


def _watch(obj):
    marks.mark_open(watchlist(find_root(obj)), resource_path(obj))


def _unwatch(obj):
    marks.mark_closed(watchlist(find_root(obj)), resource_path(obj))


def due_list(site):
    """(ISO earliest due date, path) -> open mark of every running clock
    with a due date; the earliest of the whole due date and the agencies'.
    Made with the site; on older sites made and filled in one transaction
    by evolve step 80: until then there is none, and nothing reads it."""
    found = getattr(site, "sla_due", None)
    if found is None:
        found = site.sla_due = OOBTree()
    return found


def earliest_due(clock):
    return min((clock.due_date, *clock.agency_due.values()))


def _index_due(obj):
    """Keep ``obj``'s entry in the due list after its clock changed; the
    key it is listed under is kept on the clock."""
    clock = obj.sla
    new = None
    if clock.running and clock.due_date is not None:
        new = (earliest_due(clock).isoformat(), resource_path(obj))
    old = getattr(clock, "due_key", None)
    tree = getattr(find_root(obj), "sla_due", None)
    if old != new and tree is not None:       # none before step 80, which fills it
        if old is not None:
            marks.mark_closed(tree, old)
        if new is not None:
            marks.mark_open(tree, new)
        clock.due_key = new


def due_before(site, day):
    """Content whose earliest due date is before ``day``, by that date;
    None when the site has no due list yet (before evolve step 80)."""
    tree = getattr(site, "sla_due", None)
    if tree is None:
        return None
    found = []
    for (_due, path), value in tree.items(max=(day.isoformat(),), excludemax=True):
        if value != marks.CLOSED:
            try:
                found.append(_resolve(site, path))
            except KeyError:
                continue
    return found


def index_due_dates(site):
    """Evolve step 80: list every running clock in the due list."""
    due_list(site)
    for obj in open_items(site):
        if getattr(obj, "sla", None) is not None:
            _index_due(obj)


def open_items(site):
    """Content whose clock runs (or is paused), in path order."""
    watch = getattr(site, "sla_watch", None)
    if watch is None:
        return []
    found = []
    for path, value in watch.items():
        if value == marks.CLOSED:           # the clock has stopped
            continue
        if not isinstance(value, int):      # older sites kept the object itself
            found.append(value)
            continue
        try:
            found.append(_resolve(site, path))
        except KeyError:
            continue
    return found


def _resolve(site, path):
    """``find_resource(site, path)`` for the watch list's resource paths,
    by item access along the decoded segments (the supervisor's page
    resolves thousands of them; Pyramid's traverser costs about 5 times
    as much per path); a path without escapes or dots is split as it is.
    KeyError when a segment is missing."""
    obj = site
    plain = "%" not in path and "." not in path
    names = [name for name in path.split("/") if name] if plain else traversal_path(path)
    for name in names:
        getitem = getattr(obj, "__getitem__", None)
        if getitem is None:
            raise KeyError(path)
        obj = getitem(name)
    return obj


# -- what transitions do to the clock -----------------------------------------

def start(obj, now=None):
    now = now or utcnow()
    clock = SlaClock(budget_of(obj), now)
    clock.due_at, clock.due_date = compute_due(calendar_for(find_root(obj)), now, clock.budget)
    obj.sla = clock
    obj.due_date = clock.due_date
    _watch(obj)
    _index_due(obj)
    return clock


def pause(obj, now=None):
    clock = getattr(obj, "sla", None)
    if clock is not None and clock.running and not clock.paused:
        clock.paused_at = now or utcnow()


def resume(obj, now=None):
    clock = getattr(obj, "sla", None)
    if clock is None or not clock.paused:
        return
    now = now or utcnow()
    shift_due(calendar_for(find_root(obj)), clock, clock.paused_at, now)
    clock.pauses = clock.pauses + ((clock.paused_at, now),)
    clock.paused_at = None
    clock.notified = frozenset()     # a new due date may be announced again
    obj.due_date = clock.due_date
    _index_due(obj)


def extend(obj, now=None):
    """Add the content's ``sla_extension`` (working days) to the due date."""
    clock = getattr(obj, "sla", None)
    extra = getattr(obj, "sla_extension", None)
    if clock is None or clock.due_date is None or extra is None:
        return
    calendar = calendar_for(find_root(obj))
    clock.due_date = calendar.add_working_days(clock.due_date, extra.amount)
    clock.notified = frozenset()
    obj.due_date = clock.due_date
    _index_due(obj)


def stop(obj, now=None):
    clock = getattr(obj, "sla", None)
    if clock is None or not clock.running:
        return
    now = now or utcnow()
    if clock.paused:
        clock.pauses = clock.pauses + ((clock.paused_at, now),)
        clock.paused_at = None
    clock.stopped_at = now
    _unwatch(obj)
    _index_due(obj)


def request_budget(dossier, agency_code, share=DEFAULT_RECOMMENDATION_SHARE, now=None):
    """Give ``agency_code`` its own due date for a recommendation: ``share``
    of the whole budget from now, never later than the dossier's due date.
    Stored in ``dossier.sla.agency_due``; returns the date (None without a clock)."""
    clock = getattr(dossier, "sla", None)
    if clock is None or clock.budget is None or clock.due_date is None:
        return None
    now = now or utcnow()
    part = Duration(max(1, math.ceil(clock.budget.amount * share)), clock.budget.unit)
    _at, due = compute_due(calendar_for(find_root(dossier)), now, part)
    due = min(due, clock.due_date)
    clock.agency_due = {**clock.agency_due, agency_code: due}
    _index_due(dossier)
    return due


def agency_due(dossier, agency_code):
    clock = getattr(dossier, "sla", None)
    return clock.agency_due.get(agency_code) if clock is not None else None


# -- reading the clock ---------------------------------------------------------

def remaining_working_days(obj, today):
    """Working days left until the due date (negative when overdue)."""
    due = getattr(obj, "due_date", None)
    if due is None:
        return None
    return calendar_for(find_root(obj)).working_days_between(today, due)


def mark_for(calendar, due, today, due_soon=DEFAULT_DUE_SOON_DAYS):
    """("ok" | "due_soon" | "overdue", remaining working days) for a due date."""
    remaining = calendar.working_days_between(today, due)
    if today > due:
        return "overdue", remaining
    return ("due_soon" if remaining <= due_soon else "ok"), remaining


def sla_status(obj, today, due_soon=DEFAULT_DUE_SOON_DAYS):
    """(mark, remaining working days) for a worklist. The mark is "ok",
    "due_soon", "overdue", "paused" (remaining as when it paused), or None
    when no clock runs (not submitted, finished, no completion time)."""
    clock = getattr(obj, "sla", None)
    if clock is None or clock.due_date is None or not clock.running:
        return None, None
    calendar = calendar_for(find_root(obj))
    if clock.paused:
        return "paused", calendar.working_days_between(local_date(clock.paused_at), clock.due_date)
    return mark_for(calendar, clock.due_date, today, due_soon)


def agency_status(dossier, agency_code, today, due_soon=DEFAULT_DUE_SOON_DAYS):
    """Like ``sla_status`` for one agency's recommendation budget."""
    clock = getattr(dossier, "sla", None)
    due = agency_due(dossier, agency_code)
    if clock is None or due is None or not clock.running:
        return None, None
    calendar = calendar_for(find_root(dossier))
    if clock.paused:
        return "paused", calendar.working_days_between(local_date(clock.paused_at), due)
    return mark_for(calendar, due, today, due_soon)


def run_clock(event):
    """Apply a transition's declared clock effect; a final state stops it."""
    obj, step = event.object, event.transition
    if step.clock == "start":
        start(obj)
    elif step.clock == "pause":
        pause(obj)
    elif step.clock == "resume":
        resume(obj)
    elif step.clock == "extend":
        extend(obj)
    from silat.workflow.engine import workflow_for
    if workflow_for(obj).states[event.new_state].final:
        stop(obj)
