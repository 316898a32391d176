"""Filing and deciding PPID requests (pages and API share this)."""
from pyramid.traversal import find_root

from silat.complaints.model import next_number
from silat.i18n import _
from silat.information import model
from silat.workflow import transition
from silat.workflow.calendar import calendar_for, local_date
from silat.workflow.cases import file_case
from silat.workflow.sla import utcnow

LIMITS = {"name": 200, "email": 200, "phone": 40, "address": 300, "subject": 500,
          "body": 10000, "purpose": 2000, "delivery": 10}


def check_input(data):
    clean, errors = {}, {}
    for key, limit in LIMITS.items():
        value = data.get(key, "") or ""
        if not isinstance(value, str) or len(value) > limit:
            errors[key] = _("Teks paling banyak ${n} karakter.", mapping={"n": str(limit)})
            continue
        clean[key] = value.strip()
    for key in ("name", "subject", "purpose"):
        if key not in errors and not clean.get(key):
            errors[key] = _("Wajib diisi.")
    if "delivery" not in errors:
        clean["delivery"] = clean.get("delivery") or "email"
        if clean["delivery"] not in model.DELIVERY:
            errors["delivery"] = _("Pilih cara menerima informasi: email, ambil atau pos.")
    if clean.get("delivery") == "email" and "@" not in clean.get("email", ""):
        errors["email"] = _("Alamat email wajib untuk penyampaian lewat email.")
    return clean, errors


def file_request(site, clean, owner, actor, today=None):
    folder = site["informasi"]
    number = next_number(folder, "PPID")
    reporter = {k: clean.get(k, "") for k in ("name", "email", "phone", "address")}
    request_ = model.PpidRequest(number, clean["subject"], clean.get("body", ""), reporter, owner,
                                 purpose=clean["purpose"], delivery=clean["delivery"])
    if today is not None:
        request_.filed_on = today
    calendar = calendar_for(site)
    request_.answer_due = calendar.add_working_days(request_.filed_on, model.ANSWER_DAYS)
    file_case(folder, request_, actor)
    request_.due_date = request_.answer_due
    return request_


def act(obj, request, action, comment, today=None):
    """Take a PPID officer's action; raises WorkflowError."""
    today = today or local_date(utcnow())
    calendar = calendar_for(find_root(obj))
    transition(obj, action, request, comment=comment)
    if action == "extend":
        obj.extension_reason = comment
        obj.answer_due = calendar.add_working_days(obj.answer_due, model.EXTENSION_DAYS)
        obj.due_date = obj.answer_due
    elif action in ("grant", "refuse"):
        obj.decided_on, obj.decision, obj.outcome = today, comment, action
    elif action == "answer_objection":
        objection = dict(obj.objection)
        objection.update(answer=comment, answered=today)
        obj.objection = objection


def object_to(obj, request, reason, today=None):
    """The requester's objection; refused after its 30-working-day window,
    or against a timely grant (only a refusal or a late/missing answer)."""
    from silat.workflow.engine import WorkflowError
    today = today or local_date(utcnow())
    calendar = calendar_for(find_root(obj))
    if obj.state == "granted" and not obj.late(today):
        raise WorkflowError(409, "no_ground", _("Keberatan hanya atas penolakan, jawaban terlambat "
                                                "atau permohonan yang tidak dijawab."))
    if obj.state in ("received", "extended") and not obj.late(today):
        raise WorkflowError(409, "not_yet", _("Batas waktu jawaban belum lewat."))
    if today > obj.objection_deadline(calendar):
        raise WorkflowError(409, "too_late", _("Batas waktu pengajuan keberatan sudah lewat."))
    transition(obj, "object", request, comment=reason, check_permission=False)
    obj.objection = {"filed": today, "reason": reason, "answer": "", "answered": None,
                     "due": calendar.add_working_days(today, model.OBJECTION_ANSWER_DAYS)}
    obj.due_date = obj.objection["due"]


def public_status(obj, request):
    from silat.workflow.engine import workflow_for
    t = request.localizer.translate
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {"number": obj.number, "state": obj.state,
            "state_title": t(workflow_for(obj).states[obj.state].title),
            "filed_on": iso(obj.filed_on), "due_date": iso(obj.answer_due),
            "extended": bool(obj.extension_reason), "decided_on": iso(obj.decided_on),
            "objection": None if not obj.objection else {
                "filed": iso(obj.objection["filed"]), "due": iso(obj.objection["due"]),
                "answered": iso(obj.objection["answered"])}}


def yearly_figures(folder, year):
    """The PPID's yearly report figures."""
    items = [r for r in folder.values() if model.IPpidRequest.providedBy(r) and r.filed_on.year == year]
    return {"year": year, "received": len(items),
            "granted": sum(1 for r in items if r.outcome == "grant"),
            "refused": sum(1 for r in items if r.outcome == "refuse"),
            "late": sum(1 for r in items if r.decided_on and r.decided_on > r.answer_due),
            "extended": sum(1 for r in items if r.extension_reason),
            "objections": sum(1 for r in items if r.objection),
            "open": sum(1 for r in items if r.state in ("received", "extended", "objection"))}
