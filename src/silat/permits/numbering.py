"""Letter and permit numbers: a configurable pattern over a per-series,
per-year sequence that restarts every year and never repeats.

A pattern is a ``str.format`` template with the fields ``seq`` (the
sequence number; ``{seq:04d}`` pads it), ``agency``, ``service``,
``month`` (1-12), ``month_roman`` (I-XII) and ``year``, e.g. the
recommendation letter default ``503/{seq}/{agency}/{month_roman}/{year}``.

The counter is a plain persistent object (one per series and year) that
deliberately does *not* resolve write conflicts: ``BTrees.Length`` would
merge two concurrent increments and hand both transactions the same
number. Two requests that take a number at the same moment conflict
instead; pyramid_retry (``retry.attempts``, 5) runs the loser again and
it gets the next number. The number is taken in the transaction that
stores the letter, so an aborted request leaves no gap.
"""
import datetime as dt
import string

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from silat.resources.folder import attached
from silat.i18n import _

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
FIELDS = {"seq", "agency", "service", "month", "month_roman", "year"}

DEFAULT_PATTERNS = {
    # recommendation letters, one series per agency (setting silat.numbering.recommendation)
    "recommendation": "503/{seq}/{agency}/{month_roman}/{year}",
    # permits, one series per signing agency (silat.numbering.permit)
    "permit": "503/{seq}/{service}/{agency}/{month_roman}/{year}",
    # fee assessments (SKRD) (silat.numbering.skrd)
    "skrd": "SKRD/{seq:05d}/{agency}/{year}",
    # rejection letters (silat.numbering.rejection)
    "rejection": "503/{seq}/TOLAK/{agency}/{month_roman}/{year}",
}


class PatternError(ValueError):
    pass


def check_pattern(pattern):
    """Return a translation string saying what is wrong, or None."""
    try:
        names = {f for _lit, f, _spec, _conv in string.Formatter().parse(pattern) if f is not None}
    except ValueError:
        return _("Pola nomor tidak dapat dibaca.")
    unknown = names - FIELDS
    if unknown:
        return _("Pola nomor memuat isian tidak dikenal: ${names}.",
                 mapping={"names": ", ".join(sorted(unknown))})
    if "seq" not in names:
        return _("Pola nomor harus memuat {seq}.")
    return None


def pattern_for(settings, kind, agency=None):
    """The pattern of a series: the agency's own, else the setting, else the default."""
    own = getattr(agency, "number_patterns", None) or {}
    pattern = own.get(kind) or settings.get(f"silat.numbering.{kind}") or DEFAULT_PATTERNS[kind]
    if check_pattern(pattern):
        raise PatternError(f"bad numbering pattern for {kind}: {pattern!r}")
    return pattern


def format_number(pattern, seq, day, agency="", service=""):
    return pattern.format(seq=seq, agency=agency, service=service, month=day.month,
                          month_roman=ROMAN[day.month - 1], year=day.year)


class Counter(Persistent):
    """One sequence. Concurrent bumps conflict (on purpose) and are retried."""

    def __init__(self):
        self.value = 0

    def next(self):
        self.value += 1
        return self.value


def counters(holder):
    """The counters of an agency (or any persistent holder), by (series, year)."""
    return attached(holder, "counters", OOBTree)


def take(holder, series, year):
    """Next value of ``series`` in ``year`` on ``holder``; restarts each year."""
    tree = counters(holder)
    key = f"{series}:{year}"
    counter = tree.get(key)
    if counter is None:
        counter = tree[key] = Counter()
    return counter.next()


def next_number(settings, kind, holder, day=None, agency_code="", service_code="", series=None):
    """Take the next number of a series and format it by its pattern."""
    from silat.workflow.calendar import WIB
    day = day or dt.datetime.now(WIB).date()
    pattern = pattern_for(settings, kind, holder)
    seq = take(holder, series or kind, day.year)
    return format_number(pattern, seq, day, agency=agency_code, service=service_code)
