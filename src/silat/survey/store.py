"""Survey tokens and responses, kept on the ``/survei`` folder.

A token is issued once per completed dossier, complaint or information
request (``issue_token``); answering it stores an anonymous response (the
answers, the service and agency, the date, never who answered) and marks
the token used. Kiosk answers have no token.
"""
import datetime as dt
import secrets

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from pyramid.traversal import find_root

from silat.resources.apart import commit_apart
from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow

DEFAULT_METHOD = "skm9"


def _ensure(folder):
    if getattr(folder, "tokens", None) is None:
        folder.tokens = OOBTree()       # token -> dict(kind, ref, service, agency, issued, answered)
        folder.issued_for = OOBTree()   # "kind:ref" -> token
        folder.responses = OOBTree()    # (date iso, seq) -> dict
        folder.response_seq = Length()  # the next seq
    if getattr(folder, "daily", None) is None:
        # (date iso, method, service, agency) -> (count, ((code, sum), ...)):
        # what the figures read, so a year is a few hundred rows, not every answer
        folder.daily = OOBTree()
        folder.suggestions = OOBTree()  # (date iso, seq) -> dict(date, text, method, service, agency)
        folder.issued_daily = OOBTree() # (date iso, service, agency) -> tokens issued (people served)
    return folder


def survey_folder(site):
    return site["survei"]


def _record(folder, kind, ref, service, agency):
    """The token of ``kind:ref`` in ``folder``, made and counted if new."""
    _ensure(folder)
    key = f"{kind}:{ref}"
    token = folder.issued_for.get(key)
    if token is None:
        token = secrets.token_urlsafe(18)
        folder.tokens[token] = {"kind": kind, "ref": ref, "service": service or "",
                                "agency": agency or "", "issued": local_date(utcnow()),
                                "answered": None}
        folder.issued_for[key] = token
        day = (local_date(utcnow()).isoformat(), service or "", agency or "")
        counter = folder.issued_daily.get(day)
        if not isinstance(counter, Length):     # (older sites stored plain ints)
            counter = folder.issued_daily[day] = Length(counter or 0)
        counter.change(1)      # parallel issues on one day merge their counts
    return token



def issue_token(obj, kind, ref, service="", agency="DPMPTSP"):
    """The survey token of one completed case (the same one when asked again).

    The site-wide token store is written in a short transaction of its own
    (retried here on conflict), so that parallel completions never make
    each other's requests fail; should the caller's transaction then
    abort, the token stays unused (and counted once among people served)."""
    found = getattr(obj, "survey_token", None)
    if found:
        return found
    folder = survey_folder(find_root(obj))
    jar, oid = getattr(folder, "_p_jar", None), getattr(folder, "_p_oid", None)
    if jar is None or oid is None:
        token = _record(folder, kind, ref, service, agency)
    else:
        token = commit_apart(jar.db(), lambda conn: _record(conn.get(oid), kind, ref, service, agency),
                             note=f"survey token for {kind}:{ref}")
    obj.survey_token = token
    return token


def token_info(site, token):
    folder = survey_folder(site)
    tokens = getattr(folder, "tokens", None)
    if tokens is None or not isinstance(token, str):
        return None
    return tokens.get(token)


def _next_seq(folder):
    """The sequence number of a new response. Counted by a ``Length``
    (``len`` of the responses tree walks every bucket: an answer's cost
    grew with all answers ever given). Two answers at the same moment may
    draw the same number; their keys then collide and one is retried."""
    counter = getattr(folder, "response_seq", None)
    if counter is None:           # older sites: counted once, from the tree
        counter = folder.response_seq = Length(len(folder.responses))
    seq = counter()
    counter.change(1)
    return seq


def add_response(site, answers, method, suggestion="", token=None, service="", agency="",
                 channel="online", today=None):
    """Store one anonymous response; mark the token used. Returns its key."""
    folder = _ensure(survey_folder(site))
    today = today or local_date(utcnow())
    if token is not None:
        info = dict(folder.tokens[token])
        info["answered"] = today
        folder.tokens[token] = info
        service, agency = info["service"], info["agency"]
    key = (today.isoformat(), _next_seq(folder))
    service, agency = service or "", agency or ""
    folder.responses[key] = {"date": today, "method": method, "answers": dict(answers),
                             "suggestion": suggestion.strip(), "service": service,
                             "agency": agency, "channel": channel}
    day = (today.isoformat(), method, service, agency)
    count, sums = folder.daily.get(day, (0, ()))
    sums = dict(sums)
    for code, value in answers.items():
        sums[code] = sums.get(code, 0) + value
    folder.daily[day] = (count + 1, tuple(sorted(sums.items())))
    if suggestion.strip():
        folder.suggestions[key] = {"date": today, "text": suggestion.strip(), "method": method,
                                   "service": service, "agency": agency}
    return key


def _range(tree, start, end):
    lo = (start.isoformat(),) if start else None
    hi = ((end + dt.timedelta(days=1)).isoformat(),) if end else None
    return tree.items(min=lo, max=hi, excludemax=hi is not None)


def totals(site, method, start=None, end=None, service=None, agency=None):
    """(count, {code: sum}) of the responses in [start, end] matching the filters."""
    daily = getattr(survey_folder(site), "daily", None)
    count, sums = 0, {}
    if daily is None:
        return count, sums
    for (_day, m, svc, agc), (n, day_sums) in _range(daily, start, end):
        if m != method or service and svc != service or agency and agc != agency:
            continue
        count += n
        for code, value in day_sums:
            sums[code] = sums.get(code, 0) + value
    return count, sums


def suggestions(site, method=None, start=None, end=None, service=None, agency=None):
    """[(date, text)] of the suggestions in [start, end] matching the filters."""
    found = getattr(survey_folder(site), "suggestions", None)
    if found is None:
        return []
    return [(s["date"], s["text"]) for _k, s in _range(found, start, end)
            if not (method and s["method"] != method or service and s["service"] != service
                    or agency and s["agency"] != agency)]


def responses(site, start=None, end=None, service=None, agency=None, method=None):
    """The responses in [start, end] matching the filters, oldest first."""
    folder = survey_folder(site)
    store = getattr(folder, "responses", None)
    if store is None:
        return []
    lo = (start.isoformat(), -1) if start else None
    hi = ((end + dt.timedelta(days=1)).isoformat(), -1) if end else None
    found = []
    for _key, r in store.items(min=lo, max=hi, excludemax=hi is not None):
        if service and r["service"] != service:
            continue
        if agency and r["agency"] != agency:
            continue
        if method and r["method"] != method:
            continue
        found.append(r)
    return found


def population(site, start=None, end=None, service=None, agency=None):
    """Tokens issued in [start, end]: the people served, for the sample size."""
    issued = getattr(survey_folder(site), "issued_daily", None)
    if issued is None:
        return 0
    return sum(int(n() if callable(n) else n) for (_day, svc, agc), n in _range(issued, start, end)
               if not (service and svc != service or agency and agc != agency))
