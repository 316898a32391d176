"""What the reports know about one dossier: its *fact*, a small dict.

A fact is derived from the dossier's own data and its history (the
transition entries and their times), never from other dossiers. The
tallies are the sum of every dossier's ``contributions(fact)``: on each
transition the old fact's contributions are taken away and the new
one's added (``silat.reports.tallies.record``), so the counters stay
exact however often a dossier moves, and ``evolve`` step 40 builds them
for an existing site from the same function.

Fact fields (all plain values, ISO dates as text, months as ``YYYY-MM``):
``svc`` service code, ``ag`` serving agency, ``kec`` kecamatan code,
``ch`` channel (``daring`` online, ``loket`` front office), ``state``,
``sub`` date first submitted, ``fin`` date of the final state,
``ret`` times returned, ``days`` working days from submission to the
final state less the days it stood with the applicant, ``late``
(finished after the due date; None without one), ``due`` the running
due date (None when paused or finished), ``review`` agencies whose
recommendation is pending, ``recs`` ((agency, month signed, working
days), ...), ``fee`` / ``paid`` (month, rupiah).
"""
import datetime as dt

from silat.workflow.calendar import calendar_for, local_date

FINAL = ("issued", "rejected", "withdrawn")
FINISHED = ("issued", "rejected")           # decided: counted for time figures
STAGES = ("submitted", "returned", "verified", "in_review", "awaiting_payment", "approved")
DAYS_CAP = 400                               # histogram's last bin: "400 or more"
NO_KECAMATAN = "-"


def _moment(text):
    return dt.datetime.fromisoformat(text)


def month_of(day):
    return day.isoformat()[:7] if day else None


def _transitions(dossier):
    for entry in dossier.history:
        if entry["action"] == "transition":
            data = entry["data"]
            yield data.get("transition"), data.get("new_state"), _moment(entry["at"])


def serving_agency(dossier):
    try:
        return dossier.standard().agency or "-"
    except (KeyError, AttributeError):
        return "-"


def channel_of(dossier):
    return "loket" if getattr(dossier, "filed_by", None) not in (None, dossier.owner) else "daring"


def working_days(calendar, start, end):
    return max(0, calendar.working_days_between(local_date(start), local_date(end)))


def fact_of(dossier):
    """The fact of an application dossier as it stands now."""
    calendar = calendar_for(_root(dossier))
    submitted = final = paused_at = None
    pauses, returns, review_at = [], 0, None
    fee_at = paid_at = None
    for name, new_state, at in _transitions(dossier):
        if name == "submit" and submitted is None:
            submitted = at
        elif name == "return":
            returns += 1
            paused_at = at
        elif name == "resubmit" and paused_at is not None:
            pauses.append((paused_at, at))
            paused_at = None
        elif name == "request_review":
            review_at = at
        elif name == "assess_fee" and fee_at is None:
            fee_at = at
        elif name == "confirm_payment":
            paid_at = at
        if new_state in FINAL:
            final = at
    if final is not None and paused_at is not None:
        pauses.append((paused_at, final))
    state = dossier.state
    fact = {"svc": dossier.service_code, "ag": serving_agency(dossier),
            "kec": (dossier.location or {}).get("kecamatan") or NO_KECAMATAN,
            "ch": channel_of(dossier), "state": state,
            "sub": local_date(submitted).isoformat() if submitted else None,
            "fin": local_date(final).isoformat() if final else None,
            "ret": returns, "days": None, "late": None, "due": None, "review": (), "recs": (),
            "fee": None, "paid": None}
    due = getattr(dossier, "due_date", None)
    if final is not None and submitted is not None and state in FINISHED:
        stood = sum(working_days(calendar, a, b) for a, b in pauses)
        fact["days"] = max(0, working_days(calendar, submitted, final) - stood)
        if due is not None:
            fact["late"] = local_date(final) > due
    if state in STAGES and state != "returned" and due is not None:
        fact["due"] = due.isoformat()
    if state == "in_review":
        from silat.workflow.guards import pending_agencies
        fact["review"] = tuple(sorted(set(pending_agencies(dossier))))
    fact["recs"] = tuple(_recommendations(calendar, dossier, review_at))
    if fee_at is not None:
        assessed = sum(a.amount for a in dossier["retribusi"].values())
        fact["fee"] = (month_of(local_date(fee_at)), assessed)
    if paid_at is not None:
        paid = sum(a.paid() for a in dossier["retribusi"].values())
        fact["paid"] = (month_of(local_date(paid_at)), paid)
    return fact


def _recommendations(calendar, dossier, review_at):
    for code, rec in sorted(dossier["rekomendasi"].items()):
        signed = getattr(rec, "signed_at", None)
        if getattr(rec, "decision", None) is None or signed is None:
            continue
        asked = getattr(rec, "requested_at", None) or review_at or signed
        yield code, month_of(local_date(signed)), working_days(calendar, asked, signed)


def complaint_fact(obj):
    return {"kind": "complaint", "state": obj.state}


def _root(obj):
    from pyramid.traversal import find_root
    return find_root(obj)


# -- contributions: fact -> [(bucket key, counter, amount)] -------------------
# Bucket keys: (kind, month, service, agency, kecamatan, channel). Kinds:
#   "e" events in the month they happened, "g" gauges of now (month ""),
#   "d" running due dates now, by the month they fall due,
#   "r" recommendations signed in the month (agency = recommending agency),
#   "q" review queue now (agency = reviewing agency), "c" complaints now.

def contributions(fact):
    if fact is None:
        return []
    if fact.get("kind") == "complaint":
        return [(("c", "", "", "", "", ""), "complaint:" + str(fact["state"]), 1)]
    svc, ag, kec, ch = fact["svc"], fact["ag"], fact["kec"], fact["ch"]
    out = []

    def event(month, name, amount=1):
        out.append((("e", month, svc, ag, kec, ch), name, amount))

    if fact["sub"]:
        month = fact["sub"][:7]
        event(month, "received")
        if fact["ret"]:
            event(month, "returned")
    state = fact["state"]
    if fact["fin"]:
        month = fact["fin"][:7]
        event(month, state)
        if fact["days"] is not None:
            event(month, "finished")
            event(month, f"days:{min(fact['days'], DAYS_CAP)}")
            if fact["late"] is not None:
                event(month, "with_due")
                event(month, "late" if fact["late"] else "on_time")
    if fact["fee"]:
        event(fact["fee"][0], "fee_assessed", fact["fee"][1])
    if fact["paid"]:
        event(fact["paid"][0], "fee_paid", fact["paid"][1])
    now = ("g", "", svc, ag, kec, ch)
    if state in STAGES:
        out.append((now, "state:" + state, 1))
    if fact["due"]:                 # by the month it falls due: "n" counts them all
        due = ("d", fact["due"][:7], svc, ag, kec, ch)
        out += [(due, "due:" + fact["due"], 1), (due, "n", 1)]
    for code in fact["review"]:
        out.append((("q", "", svc, code, kec, ch), "review", 1))
    for code, month, days in fact["recs"]:
        out.append((("r", month, svc, code, kec, ch), f"recdays:{min(days, DAYS_CAP)}", 1))
    return out
