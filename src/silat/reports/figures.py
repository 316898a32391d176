"""The dashboard's figures, summed from the tallies for a set of filters.

Only the buckets of the wanted months are read (keys sort by kind, then
month), so the cost follows the number of buckets, not of dossiers.
Event figures (received, issued, ...) count what happened in the period;
stage, backlog and overdue figures are the state of now.
"""
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from silat.i18n import _
from silat.interfaces import ISurveyResults
from silat.reports.facts import STAGES
from silat.reports.tallies import DIMENSIONS, read_only, views_of

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
CHANNELS = ("daring", "loket")
HIGH = "\uffff"


class FilterError(ValueError):
    """Bad filter input; ``reason`` is a translation string."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def month_range(text):
    """(first month, last month) of ``2026-10``, ``2026-Q4``, ``2026`` or a
    date ``2026-10-05`` (its month); FilterError otherwise."""
    text = (text or "").strip()
    if m := MONTH.match(text):
        return text, text
    if m := QUARTER.match(text):
        year, q = m.group(1), int(m.group(2))
        return f"{year}-{3 * q - 2:02d}", f"{year}-{3 * q:02d}"
    if m := YEAR.match(text):
        return f"{text}-01", f"{text}-12"
    if DAY.match(text):
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return text[:7], text[:7]
    raise FilterError(_("Periode \"${value}\" tidak dikenal: gunakan TTTT, TTTT-Qn, TTTT-BB atau "
                        "TTTT-BB-HH.", mapping={"value": text[:20]}))


@dataclass(frozen=True)
class Filters:
    start: str              # first month, YYYY-MM
    end: str                # last month
    service: str = ""
    agency: str = ""
    kecamatan: str = ""
    channel: str = ""

    @classmethod
    def parse(cls, params, today, agency=None):
        """From query parameters ``period`` or ``from``/``to`` (default: this
        year), ``service``, ``agency``, ``kecamatan``, ``channel``. An
        agency-bound caller passes ``agency``, which overrides the parameter."""
        period = params.get("period", "").strip()
        if period:
            start, end = month_range(period)
        elif params.get("from") or params.get("to"):
            start = month_range(params.get("from") or params.get("to"))[0]
            end = month_range(params.get("to") or params.get("from"))[1]
        else:
            start, end = f"{today.year}-01", f"{today.year}-12"
        if start > end:
            raise FilterError(_("Awal periode harus sebelum akhir periode."))
        channel = params.get("channel", "").strip()
        if channel and channel not in CHANNELS:
            raise FilterError(_("Kanal harus \"daring\" atau \"loket\"."))
        values = {k: params.get(k, "").strip()[:40] for k in ("service", "agency", "kecamatan")}
        if agency is not None:
            values["agency"] = agency
        return cls(start, end, channel=channel, **values)

    @property
    def period_label(self):
        return self.start if self.start == self.end else f"{self.start} s.d. {self.end}"

    def query(self, **changes):
        """The filters as query parameters (for links), with ``changes``."""
        f = replace(self, **changes) if changes else self
        params = {"from": f.start, "to": f.end}
        for name in ("service", "agency", "kecamatan", "channel"):
            if getattr(f, name):
                params[name] = getattr(f, name)
        return params


def _view_for(kind, filters, group=None):
    """The cheapest view of ``kind`` holding the filtered dimensions and ``group``."""
    need = {i for i, name in enumerate(DIMENSIONS) if getattr(filters, name)}
    if group is not None:
        need.add(DIMENSIONS.index(group))
    return next((name, index) for name, index in views_of(kind) if need <= set(index))


def _scan(store, kind, filters, by_month=True, group=None):
    """(month, {dimension: value}, counts) of the buckets under ``filters``."""
    view, index = _view_for(kind, filters, group)
    low = (kind, view, filters.start) if by_month else (kind, view, "")
    high = (kind, view, filters.end + HIGH) if by_month else (kind, view, HIGH)
    wanted = {DIMENSIONS[i]: getattr(filters, DIMENSIONS[i]) for i in index}
    for key, tally in store.items(low, high):
        dims = dict(zip((DIMENSIONS[i] for i in index), key[3:]))
        if all(not value or dims[name] == value for name, value in wanted.items()):
            yield key[2], dims, tally.counts


def percentile(histogram, share):
    """Nearest-rank percentile of a {value: count} histogram (None when empty)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, math.ceil(share * total)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None


def _days(counts, prefix, into):
    for name, count in counts.items():
        if name.startswith(prefix):
            into[int(name[len(prefix):])] += count


def _summary(histogram):
    total = sum(histogram.values())
    mean = sum(v * c for v, c in histogram.items()) / total if total else None
    return {"count": total, "median": percentile(histogram, 0.5), "p90": percentile(histogram, 0.9),
            "mean": round(mean, 1) if mean is not None else None}


def share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def compute(site, filters, today, registry=None):
    """Every dashboard figure for ``filters``, as plain data (JSON-ready)."""
    store = read_only(site, "report_tallies")
    totals, days_all, by_month = Counter(), Counter(), defaultdict(Counter)
    for month, _dims, counts in _scan(store, "e", filters):
        for name, value in counts.items():
            if name.startswith("days:"):
                days_all[int(name[5:])] += value
            else:
                totals[name] += value
                by_month[month][name] += value
    by_service, days_service = defaultdict(Counter), defaultdict(Counter)
    for _month, dims, counts in _scan(store, "e", filters, group="service"):
        svc = dims["service"]
        for name, value in counts.items():
            if name.startswith("days:"):
                days_service[svc][int(name[5:])] += value
            else:
                by_service[svc][name] += value
    by_kecamatan = defaultdict(Counter)
    for _month, dims, counts in _scan(store, "e", filters, group="kecamatan"):
        for name, value in counts.items():
            if not name.startswith("days:"):
                by_kecamatan[dims["kecamatan"]][name] += value
    days_agency = defaultdict(Counter)
    for _month, dims, counts in _scan(store, "r", filters, group="agency"):
        _days(counts, "recdays:", days_agency[dims["agency"]])
    stages, backlog, overdue, overdue_agency = Counter(), Counter(), 0, Counter()
    cutoff = today.isoformat()
    for _month, dims, counts in _scan(store, "g", filters, by_month=False, group="agency"):
        agency = dims["agency"]
        for name, value in counts.items():
            if name.startswith("state:"):
                stage = name[6:]
                stages[stage] += value
                if stage != "in_review":
                    backlog[(agency, stage)] += value
    this_month = cutoff[:7]
    for month, dims, counts in _scan(store, "d", replace(filters, start="0000-01", end=this_month),
                                     group="agency"):
        late = counts.get("n", 0) if month < this_month else sum(
            value for name, value in counts.items() if name.startswith("due:") and name[4:] < cutoff)
        overdue += late
        overdue_agency[dims["agency"]] += late
    for _month, dims, counts in _scan(store, "q", filters, by_month=False, group="agency"):
        backlog[(dims["agency"], "in_review")] += counts.get("review", 0)
    complaints = Counter()
    for _key, tally in store.items(("c",), ("c", HIGH)):
        for name, value in tally.counts.items():
            complaints[name.split(":", 1)[1]] += value
    filed = site.get("pengaduan") if hasattr(site, "get") else None
    untouched = (len(filed) if filed is not None else 0) - sum(complaints.values())
    if untouched > 0:          # filed and not yet moved: still in the initial state
        from silat.workflow.complaint import COMPLAINT
        complaints[COMPLAINT.initial] += untouched
    return {
        "period": {"from": filters.start, "to": filters.end},
        "filters": {k: v for k, v in filters.query().items() if k not in ("from", "to")},
        "received": totals["received"], "issued": totals["issued"], "rejected": totals["rejected"],
        "withdrawn": totals["withdrawn"], "returned": totals["returned"],
        "returned_rate": share(totals["returned"], totals["received"]),
        "finished": totals["finished"], "on_time": totals["on_time"], "late": totals["late"],
        "on_time_share": share(totals["on_time"], totals["with_due"]),
        "working_days": _summary(days_all),
        "in_progress": {stage: stages[stage] for stage in STAGES},
        "in_progress_total": sum(stages[s] for s in STAGES),
        "backlog": [{"agency": a, "stage": s, "count": c} for (a, s), c in sorted(backlog.items()) if c],
        "overdue": overdue,
        "overdue_by_agency": {a: c for a, c in sorted(overdue_agency.items()) if c},
        "fees": {"assessed": totals["fee_assessed"], "paid": totals["fee_paid"]},
        "by_service": [{"service": svc, **_figures_row(by_service[svc]), **{
            "working_days": _summary(days_service[svc])}} for svc in sorted(by_service)],
        "by_kecamatan": [{"kecamatan": kec, **_figures_row(by_kecamatan[kec])}
                         for kec in sorted(by_kecamatan)],
        "by_month": [{"month": m, **_figures_row(by_month[m])} for m in sorted(by_month)],
        "recommendation_days": [{"agency": a, **_summary(h)} for a, h in sorted(days_agency.items()) if h],
        "satisfaction": satisfaction(site, filters, registry),
        "complaints": {k: v for k, v in sorted(complaints.items()) if v},
    }


def _figures_row(counts):
    return {"received": counts["received"], "issued": counts["issued"],
            "rejected": counts["rejected"], "withdrawn": counts["withdrawn"],
            "on_time": counts["on_time"], "on_time_share": share(counts["on_time"], counts["with_due"])}


def month_bounds(filters):
    start = dt.date.fromisoformat(filters.start + "-01")
    year, month = int(filters.end[:4]), int(filters.end[5:])
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def satisfaction(site, filters, registry):
    """The survey's summary (ISurveyResults), or None when no survey is
    installed or nobody has answered in the period."""
    results = registry.queryUtility(ISurveyResults) if registry is not None else None
    if results is None:
        return None
    start, end = month_bounds(filters)
    found = results.summary(site, start=start, end=end, service=filters.service or None,
                            agency=filters.agency or None)
    return dict(found) if found and found.get("responses") else None
