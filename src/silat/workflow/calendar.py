"""The Indonesian working-day calendar.

Weekends are off; so are the national holidays and the cuti bersama
(collective leave) days that the ``holidays`` package knows for
Indonesia (categories ``public`` and ``government``), plus the days off
an admin adds for the city (local days off, cuti bersama decreed after
the package's release). An admin can also mark a listed day as a working
day when the government moves a holiday. Dates are local (WIB, UTC+7).
"""
import datetime as dt
from calendar import monthrange
from functools import lru_cache

import holidays
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def add_months(day, months):
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def local_date(moment):
    """The date in Kota Bekasi of an aware datetime."""
    return moment.astimezone(WIB).date()


@lru_cache(maxsize=64)
def _national(year):
    return dict(holidays.Indonesia(years=year, categories=("public", "government"), language="id"))


def _weekdays_upto(day):
    """Monday-Fridays from a fixed Monday up to and including ``day``."""
    days = (day - _EPOCH_MONDAY).days
    weeks, rest = divmod(days + 1, 7)
    return weeks * 5 + min(rest, 5)


_EPOCH_MONDAY = dt.date(1900, 1, 1)       # a Monday


class CalendarSettings(Persistent):
    """What an admin configures: extra days off and days that stay working."""

    def __init__(self):
        self.days_off = OOBTree()         # date -> description
        self.working_days = OOTreeSet()   # listed holidays that are working days after all


class WorkingCalendar:
    def __init__(self, settings=None):
        self.settings = settings

    def holiday_name(self, day):
        """Why ``day`` is not a working day (None when it is one)."""
        if self.settings is not None:
            if day in self.settings.working_days:
                return None
            if day in self.settings.days_off:
                return self.settings.days_off[day]
        name = _national(day.year).get(day)
        if name:
            return name
        if day.weekday() >= 5:
            return "Sabtu" if day.weekday() == 5 else "Minggu"
        return None

    def is_working_day(self, day):
        return self.holiday_name(day) is None

    def add_working_days(self, start, count):
        """The ``count``-th working day after ``start`` (``start`` itself is
        not counted); ``count == 0`` gives ``start``."""
        day = start
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start, end):
        """Working days in (start, end]; negative when end is before start.

        Counts Monday-Fridays arithmetically, then corrects for the days
        that differ from that rule (national holidays, configured days off
        and working days) in the range: worklists ask this for every row."""
        if end < start:
            return -self.working_days_between(end, start)
        first = start + dt.timedelta(days=1)
        count = _weekdays_upto(end) - _weekdays_upto(start)
        for day in self._special_days(first, end):
            count += (self.holiday_name(day) is None) - (day.weekday() < 5)
        return count

    def _special_days(self, first, last):
        """Days from ``first`` to ``last`` that may not follow the Monday-Friday rule."""
        found = set()
        for year in range(first.year, last.year + 1):
            found.update(day for day in _national(year) if first <= day <= last)
        if self.settings is not None:
            found.update(self.settings.days_off.keys(min=first, max=last))
            found.update(self.settings.working_days.keys(min=first, max=last))
        return found


def calendar_for(site):
    """The site's calendar (settings created on first use)."""
    settings = getattr(site, "calendar_settings", None)
    return WorkingCalendar(settings)
