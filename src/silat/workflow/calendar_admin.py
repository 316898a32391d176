"""Admin page for the working-day calendar (``/kalender``).

Days off (cuti bersama decreed after the ``holidays`` release, the
city's own days) and listed holidays that stay working days are entered
one per line: ``YYYY-MM-DD description`` and ``YYYY-MM-DD``. The page
also lists every day off of a year as the calendar counts it.
"""
import datetime as dt

import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.interfaces import ISite
from silat.security.permissions import MANAGE
from silat.workflow.calendar import CalendarSettings, WorkingCalendar, _national, local_date
from silat.workflow.sla import utcnow

MAX_LINES = 400


def _parse_day(text):
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_lines(text, with_description):
    """[(date, description)] from the textarea, or raise colander.Invalid-ready
    messages as a list of translation strings."""
    found, errors, seen = [], [], set()
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        return [], [_("Paling banyak ${n} baris.", mapping={"n": MAX_LINES})]
    for number, line in enumerate(lines, 1):
        head, _sep, rest = line.partition(" ")
        day = _parse_day(head)
        rest = rest.strip()
        if day is None or not 2000 <= day.year <= 2100:
            errors.append(_("Baris ${n}: tanggal \"${text}\" tidak sah (tulis TTTT-BB-HH).",
                            mapping={"n": number, "text": head[:20]}))
        elif day in seen:
            errors.append(_("Baris ${n}: tanggal ${day} tercantum dua kali.",
                            mapping={"n": number, "day": day.isoformat()}))
        elif with_description and not rest:
            errors.append(_("Baris ${n}: keterangan wajib diisi.", mapping={"n": number}))
        elif with_description and len(rest) > 200:
            errors.append(_("Baris ${n}: keterangan paling banyak 200 karakter.", mapping={"n": number}))
        elif not with_description and rest:
            errors.append(_("Baris ${n}: tulis tanggalnya saja.", mapping={"n": number}))
        else:
            seen.add(day)
            found.append((day, rest))
    return found, errors


def _lines_validator(with_description):
    def validate(node, value):
        _found, errors = parse_lines(value, with_description)
        if errors:
            raise colander.Invalid(node, errors[0])
    return validate


class CalendarSchema(CSRFSchema):
    days_off = colander.SchemaNode(
        colander.String(), title=_("Hari libur tambahan"), missing="",
        description=_("Satu tanggal per baris: TTTT-BB-HH keterangan. Untuk cuti bersama "
                      "dan hari libur daerah yang belum dikenal sistem."),
        widget=deform.widget.TextAreaWidget(rows=8), validator=_lines_validator(True))
    working_days = colander.SchemaNode(
        colander.String(), title=_("Tetap hari kerja"), missing="",
        description=_("Satu tanggal per baris: hari libur yang dipindahkan sehingga tetap hari kerja."),
        widget=deform.widget.TextAreaWidget(rows=4), validator=_lines_validator(False))

    def validator(self, node, value):
        off = {d for d, _t in parse_lines(value["days_off"], True)[0]}
        working = {d for d, _t in parse_lines(value["working_days"], False)[0]}
        both = sorted(off & working)
        if both:
            raise colander.Invalid(node["working_days"], _(
                "Tanggal ${day} tidak boleh sekaligus hari libur dan hari kerja.",
                mapping={"day": both[0].isoformat()}))


def settings_of(site):
    found = getattr(site, "calendar_settings", None)
    if found is None:
        found = site.calendar_settings = CalendarSettings()
    return found


def year_days_off(site, year):
    """[(date, reason)] of every weekday the calendar treats as off in ``year``."""
    calendar = WorkingCalendar(getattr(site, "calendar_settings", None))
    day, rows = dt.date(year, 1, 1), []
    while day.year == year:
        name = calendar.holiday_name(day)
        if name and day.weekday() < 5:
            rows.append((day, name))
        day += dt.timedelta(days=1)
    return rows


@view_config(context=ISite, name="kalender", permission=MANAGE,
             renderer="silat:templates/workflow/calendar.pt")
def calendar_page(context, request):
    current = settings_of(context) if request.method == "POST" else getattr(
        context, "calendar_settings", None) or CalendarSettings()
    form = make_form(request, CalendarSchema(), buttons=(deform.Button("simpan", _("Simpan")),))

    def save(data):
        settings = settings_of(context)
        settings.days_off.clear()
        for day, text in parse_lines(data["days_off"], True)[0]:
            settings.days_off[day] = text
        settings.working_days.clear()
        for day, _text in parse_lines(data["working_days"], False)[0]:
            settings.working_days.add(day)
        request.session.flash(request.localizer.translate(_("Kalender hari kerja disimpan.")))
        return HTTPSeeOther(request.resource_url(context, "kalender"))

    appstruct = {"days_off": "\n".join(f"{d.isoformat()} {t}" for d, t in current.days_off.items()),
                 "working_days": "\n".join(d.isoformat() for d in current.working_days)}
    return handle_form(request, form, save, appstruct=appstruct,
                       page=lambda: _calendar_page(request, context))


def _calendar_page(request, context):
    """The year shown (``?tahun=``) and its days off."""
    try:
        year = int(request.params.get("tahun", ""))
    except ValueError:
        year = local_date(utcnow()).year
    year = min(max(year, 2000), 2100)
    return {"title": _("Kalender Hari Kerja"), "year": year,
            "holidays": year_days_off(context, year), "national": set(_national(year))}
