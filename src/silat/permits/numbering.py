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

Permit numbers are the exception (``committed=True``): 32 permits signed
at the same moment would all collide on the signing agency's counter and
rerun their whole signing, so the permit number is taken in its own short
transaction, like registration numbers (``silat.intake.numbering``). A
permit issue that aborts after taking its number leaves a gap, logged as
a void number; a number is never handed out twice. See docs/numbering.md.
"""
import datetime as dt
import logging
import string

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from silat.i18n import _
from silat.resources.apart import commit_apart
from silat.resources.folder import attached

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


log = logging.getLogger(__name__)
COMMIT_ATTEMPTS = 50


def take_committed(holder, series, year):
    """Like ``take``, but committed at once apart (``commit_apart``), so the
    caller's transaction never writes the shared counter. Falls back to
    ``take`` for a holder not yet stored."""
    jar, oid = getattr(holder, "_p_jar", None), getattr(holder, "_p_oid", None)
    if jar is None or oid is None:
        return take(holder, series, year)
    return commit_apart(jar.db(), lambda conn: take(conn.get(oid), series, year),
                        note=f"number {series}:{year}", attempts=COMMIT_ATTEMPTS)


def _log_void(number):
    def hook(success=False, *args):
        if not success:
            log.warning("number %s was taken but its transaction did not commit: a gap", number)
    return hook


def next_number(settings, kind, holder, day=None, agency_code="", service_code="", series=None,
                committed=False, txn=None):
    """Take the next number of a series and format it by its pattern.
    ``committed=True`` takes it in its own transaction (gaps possible, see
    ``take_committed``); ``txn`` is then told to log the number as void
    if it does not commit."""
    from silat.workflow.calendar import WIB
    day = day or dt.datetime.now(WIB).date()
    pattern = pattern_for(settings, kind, holder)
    seq = (take_committed if committed else take)(holder, series or kind, day.year)
    number = format_number(pattern, seq, day, agency=agency_code, service=service_code)
    if committed and txn is not None:
        txn.addAfterCommitHook(_log_void(number))
        txn.addAfterAbortHook(_log_void(number))
    return number
