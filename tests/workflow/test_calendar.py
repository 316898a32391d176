"""Working days across real Indonesian holidays, cuti bersama and local days off."""
import datetime as dt

from silat.catalog.model import Duration
from silat.workflow.calendar import WIB, CalendarSettings, WorkingCalendar
from silat.workflow.sla import SlaClock, compute_due, shift_due

D = dt.date


def test_lebaran_2026_and_cuti_bersama_are_not_working_days():
    cal = WorkingCalendar(CalendarSettings())
    assert cal.holiday_name(D(2026, 3, 19)) and cal.holiday_name(D(2026, 3, 20))   # Nyepi, cuti bersama
    assert "Kemerdekaan" in cal.holiday_name(D(2026, 8, 17))
    assert cal.is_working_day(D(2026, 3, 25))
    # Tue 17 March 2026 + 5 working days: 18-24 March are Nyepi, Idul Fitri,
    # their cuti bersama and a weekend -> 25, 26, 27, 30, 31 March
    assert cal.add_working_days(D(2026, 3, 17), 5) == D(2026, 3, 31)
    assert cal.working_days_between(D(2026, 3, 17), D(2026, 3, 31)) == 5
    assert cal.working_days_between(D(2026, 3, 31), D(2026, 3, 17)) == -5


def test_admin_days_off_and_moved_holidays():
    settings = CalendarSettings()
    settings.days_off[D(2026, 4, 28)] = "HUT Kota Bekasi (contoh konfigurasi)"
    settings.working_days.add(D(2026, 12, 24))
    cal = WorkingCalendar(settings)
    assert cal.holiday_name(D(2026, 4, 28)).startswith("HUT")
    assert cal.is_working_day(D(2026, 12, 24))
    assert cal.add_working_days(D(2026, 4, 27), 1) == D(2026, 4, 29)


def test_due_dates_per_unit_and_pause():
    cal = WorkingCalendar(CalendarSettings())
    start = dt.datetime(2026, 8, 14, 9, 0, tzinfo=WIB)        # Friday before Independence Day
    assert compute_due(cal, start, Duration(3, "working_days")) == (None, D(2026, 8, 20))
    assert compute_due(cal, start, Duration(3, "days")) == (None, D(2026, 8, 17))
    due_at, due_date = compute_due(cal, start, Duration(90, "minutes"))
    assert due_at == start + dt.timedelta(minutes=90) and due_date == D(2026, 8, 14)
    assert compute_due(cal, start, None) == (None, None)

    clock = SlaClock(Duration(3, "working_days"), start)
    clock.due_at, clock.due_date = compute_due(cal, start, clock.budget)
    paused = dt.datetime(2026, 8, 18, 10, 0, tzinfo=WIB)
    resumed = dt.datetime(2026, 8, 21, 10, 0, tzinfo=WIB)     # Wed, Thu, Fri stood still
    shift_due(cal, clock, paused, resumed)
    # 20 Aug + 3 working days: 21, 24, (25 is Maulid Nabi) 26 August
    assert clock.due_date == D(2026, 8, 26)


def test_month_budget_as_the_secretariat_standards_state_it():
    cal = WorkingCalendar(CalendarSettings())
    start = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
    assert compute_due(cal, start, Duration(3, "months")) == (None, D(2027, 2, 28))


def test_working_days_between_counts_as_the_day_by_day_walk():
    """The arithmetic count (weekdays corrected by the special days in the
    range) equals walking the range day by day, across years, holidays,
    days off and working days (a working Saturday among them)."""
    import random
    settings = CalendarSettings()
    settings.days_off[D(2026, 4, 28)] = "HUT Kota Bekasi"
    settings.days_off[D(2025, 2, 8)] = "a Saturday off twice"
    settings.working_days.add(D(2026, 12, 24))
    settings.working_days.add(D(2026, 6, 13))      # a Saturday worked
    for cal in (WorkingCalendar(settings), WorkingCalendar()):
        def walked(start, end):
            count, day = 0, start
            while day < end:
                day += dt.timedelta(days=1)
                count += cal.is_working_day(day)
            return count
        rnd = random.Random(3)
        for _ in range(300):
            start = D(2024, 11, 1) + dt.timedelta(days=rnd.randrange(900))
            end = start + dt.timedelta(days=rnd.randrange(0, 400))
            assert cal.working_days_between(start, end) == walked(start, end)
            assert cal.working_days_between(end, start) == -walked(start, end)
