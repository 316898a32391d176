"""Filing a complaint and moving it along its SOP (used by pages and API)."""
from pyramid.traversal import find_root

from silat.complaints import model
from silat.complaints.sop import CATEGORIES, CHANNELS
from silat.i18n import _
from silat.workflow import transition
from silat.workflow.cases import file_case

LIMITS = {"name": 200, "email": 200, "phone": 40, "subject": 200, "body": 10000,
          "service_code": 40, "dossier_number": 60}


def check_input(data, anonymous):
    """(clean dict, errors) for a new complaint."""
    clean, errors = {}, {}
    for key, limit in LIMITS.items():
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > limit:
            errors[key] = _("Teks paling banyak ${n} karakter.", mapping={"n": str(limit)})
            continue
        clean[key] = value.strip()
    for key in ("subject", "body"):
        if key not in errors and not clean.get(key):
            errors[key] = _("Wajib diisi.")
    if not anonymous and not errors.get("name") and not clean.get("name"):
        errors["name"] = _("Nama wajib diisi, kecuali pengaduan anonim.")
    if clean.get("email") and "@" not in clean["email"]:
        errors["email"] = _("Alamat email tidak sah.")
    return clean, errors


def file_complaint(site, clean, channel, owner, actor):
    folder = site["pengaduan"]
    number = model.next_number(folder, "ADU")
    reporter = {k: clean.get(k, "") for k in ("name", "email", "phone")}
    if channel == "anonim":
        reporter = {"name": "", "email": "", "phone": ""}
    complaint = model.SopComplaint(number, clean["subject"], clean["body"], reporter, owner,
                                   channel=channel, service_code=clean.get("service_code", ""),
                                   dossier_number=clean.get("dossier_number", ""))
    file_case(folder, complaint, actor)
    model.enter_step(complaint, "register", actor)
    model.link_dossier(folder, complaint)
    return complaint


def channel_for(request, anonymous):
    from silat.security.permissions import FRONT_OFFICE
    if request.user is not None and request.has_permission(FRONT_OFFICE, request.context):
        return "loket", None
    if request.user is not None and not anonymous:
        return "online", request.user.username
    return "anonim", None


def classify(complaint, request, category, referral=""):
    """Record the category; "bukan kewenangan" refers it elsewhere (a
    referral is required). Raises WorkflowError / ValueError."""
    if category not in CATEGORIES:
        raise ValueError(_("Pilih klasifikasi pengaduan."))
    if category == "bukan_kewenangan":
        if not referral.strip():
            raise ValueError(_("Sebutkan instansi rujukan untuk pengaduan yang bukan kewenangan."))
        transition(complaint, "refer", request, comment=referral.strip())
        model.leave_step(complaint, request.user.username)
        complaint.referral = referral.strip()
    complaint.category = category
    complaint.history.append(request.user.username, "classified", referral.strip(), category=category)


def advance(complaint, request, comment="", invited=()):
    """Finish the current step (``done_<step>``); records timing, letters."""
    step = complaint.state
    folder = find_root(complaint)["pengaduan"]
    if step == "register" and complaint.category is None:
        raise ValueError(_("Klasifikasikan pengaduan sebelum melanjutkan."))
    transition(complaint, f"done_{step}", request, comment=comment)
    who = request.user.username
    model.leave_step(complaint, who)
    if step == "draft":
        complaint.reply_text = comment
    if step == "collect" and invited:
        complaint.invited = tuple(invited)
        complaint.invitation_number = model.letter_number(folder, "und")
    if step == "approve":
        complaint.reply_number = model.letter_number(folder, "adu")
    if complaint.state != "closed":
        model.enter_step(complaint, complaint.state, "")


def public_status(complaint, request, now):
    """What the tracking page and API show: no personal data."""
    from silat.complaints.timing import office_hours, step_rows
    from silat.workflow.calendar import calendar_for
    from silat.workflow.engine import workflow_for
    t = request.localizer.translate
    hours, _configured = office_hours(request.registry.settings)
    rows = step_rows(complaint, calendar_for(find_root(complaint)), hours, now)
    return {
        "number": complaint.number,
        "state": complaint.state,
        "state_title": t(workflow_for(complaint).states[complaint.state].title),
        "category": complaint.category,
        "channel": complaint.channel,
        "filed": complaint.created.isoformat(),
        "steps": [{"step": r["step"].name, "title": t(r["step"].title),
                   "standard": {"amount": r["step"].standard.amount, "unit": r["step"].standard.unit},
                   "spent": r["spent"], "late": r["late"], "open": r["open"]} for r in rows],
        "reply_available": complaint.reply_number is not None and complaint.state in ("archive", "closed"),
        "rating": complaint.rating,
    }


__all__ = ["CATEGORIES", "CHANNELS", "advance", "check_input", "classify", "file_complaint"]
