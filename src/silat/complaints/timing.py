"""How long each SOP step took, measured against its standard.

Minutes and hours count only inside office hours on working days; days
count working days of the site's calendar. Office hours are not in the
seeds: the setting ``silat.office_hours`` ("HH:MM-HH:MM", WIB) must be
configured; until then 08:00-16:00 is assumed and pages say so.
"""
import datetime as dt

from silat.workflow.calendar import WIB, local_date

DEFAULT_OFFICE_HOURS = "08:00-16:00"


def office_hours(settings):
    """((open time, close time), configured?)"""
    text = (settings or {}).get("silat.office_hours")
    opening, closing = (text or DEFAULT_OFFICE_HOURS).split("-")
    return (dt.time.fromisoformat(opening.strip()), dt.time.fromisoformat(closing.strip())), bool(text)


def office_minutes(calendar, start, end, hours):
    """Minutes of office time between two aware datetimes."""
    if end <= start:
        return 0
    opening, closing = hours
    total = 0.0
    day = local_date(start)
    while day <= local_date(end):
        if calendar.is_working_day(day):
            lo = max(start, dt.datetime.combine(day, opening, WIB))
            hi = min(end, dt.datetime.combine(day, closing, WIB))
            if hi > lo:
                total += (hi - lo).total_seconds() / 60
        day += dt.timedelta(days=1)
    return round(total)


def elapsed(calendar, hours, standard, start, end):
    """(amount spent in the standard's unit, late?)"""
    if standard.unit == "working_days":
        spent = calendar.working_days_between(local_date(start), local_date(end))
        return spent, spent > standard.amount
    minutes = office_minutes(calendar, start, end, hours)
    limit = standard.amount * (60 if standard.unit == "hours" else 1)
    spent = minutes if standard.unit == "minutes" else round(minutes / 60, 2)
    return spent, minutes > limit


def step_rows(complaint, calendar, hours, now):
    """One row per step reached: step, entered, left, spent, late, open."""
    from silat.complaints.sop import BY_NAME
    rows = []
    for entry in complaint.step_log:
        step = BY_NAME[entry["step"]]
        end = entry["left"] or now
        spent, late = elapsed(calendar, hours, step.standard, entry["entered"], end)
        rows.append({"step": step, "entered": entry["entered"], "left": entry["left"],
                     "actor": entry.get("actor") or "", "spent": spent, "late": late,
                     "open": entry["left"] is None})
    return rows
