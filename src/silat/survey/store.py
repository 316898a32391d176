"""Survey tokens and responses, kept on the ``/survei`` folder.

A token is issued once per completed dossier, complaint or information
request (``issue_token``); answering it stores an anonymous response (the
answers, the service and agency, the date, never who answered) and marks
the token used. Kiosk answers have no token.
"""
import datetime as dt
import secrets

from BTrees.OOBTree import OOBTree
from pyramid.traversal import find_root

from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow

DEFAULT_METHOD = "skm9"


def _ensure(folder):
    if getattr(folder, "tokens", None) is None:
        folder.tokens = OOBTree()       # token -> dict(kind, ref, service, agency, issued, answered)
        folder.issued_for = OOBTree()   # "kind:ref" -> token
        folder.responses = OOBTree()    # (date iso, seq) -> dict
    return folder


def survey_folder(site):
    return site["survei"]


def issue_token(obj, kind, ref, service="", agency="DPMPTSP"):
    """The survey token of one completed case (the same one when asked again)."""
    folder = _ensure(survey_folder(find_root(obj)))
    key = f"{kind}:{ref}"
    token = folder.issued_for.get(key)
    if token is None:
        token = secrets.token_urlsafe(18)
        folder.tokens[token] = {"kind": kind, "ref": ref, "service": service or "",
                                "agency": agency or "", "issued": local_date(utcnow()),
                                "answered": None}
        folder.issued_for[key] = token
    obj.survey_token = token
    return token


def token_info(site, token):
    folder = survey_folder(site)
    tokens = getattr(folder, "tokens", None)
    if tokens is None or not isinstance(token, str):
        return None
    return tokens.get(token)


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
    seq = len(folder.responses)
    key = (today.isoformat(), seq)
    folder.responses[key] = {"date": today, "method": method, "answers": dict(answers),
                             "suggestion": suggestion.strip(), "service": service or "",
                             "agency": agency or "", "channel": channel}
    return key


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
    tokens = getattr(survey_folder(site), "tokens", None) or {}
    count = 0
    for info in tokens.values():
        if start and info["issued"] < start or end and info["issued"] > end:
            continue
        if service and info["service"] != service or agency and info["agency"] != agency:
            continue
        count += 1
    return count
