"""The intake service: create a draft dossier, change its data, store an
uploaded document, and take workflow steps. Views and the API call these;
they never change a dossier themselves.

Every state change goes through ``take``, which calls the one workflow
function ``silat.workflow.transition`` (the workflow issue owns guards,
SLA and the audit log).
"""
import datetime as dt

from silat.i18n import _
from silat.intake import numbering
from silat.intake.index import intake_index
from silat.resources.attachment import add_document_version
from silat.resources.dossier import Dossier, utcnow
from silat.resources.site import get_site
from silat.security.localroles import grant
from silat.security.permissions import FRONT_OFFICE
from silat.security.principals import user_principal
from silat.workflow import WorkflowError, initialize, transition


class IntakeError(ValueError):
    """A refused intake action: HTTP-like ``status``, ``code``, and a
    translation string ``message``."""

    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def local_today():
    from silat.workflow.calendar import local_date
    return local_date(utcnow())


def is_front_office(request):
    return bool(request.has_permission(FRONT_OFFICE, get_site(request)))


def snapshot(applicant):
    """The applicant as filed (a plain dict, kept even if the account changes)."""
    keys = ("kind", "name", "identity_number", "email", "phone", "address",
            "business_name", "business_type")
    return {k: (applicant.get(k) or "").strip() for k in keys}


def current_standard(site, code):
    service = site["layanan"].get(code or "")
    standard = service.current if service is not None else None
    if standard is None:
        raise IntakeError(404, "unknown_service", _("Layanan ${code} tidak dikenal.",
                                                    mapping={"code": code}))
    return service, standard


def create_application(request, service, standard, data):
    """A new draft dossier for ``request.user`` (or, at the front office,
    for a walk-in applicant). ``data`` is the validated application."""
    site = get_site(request)
    user = request.user
    walk_in = is_front_office(request)
    owner = user.username
    linked = _confirmed_account(site, data["applicant"]["email"]) if walk_in else None
    if linked is not None:
        owner = linked.username
    today = local_today()
    number = numbering.next_number(request, today.year)
    dossier = Dossier(number, service.code, standard.number, owner)
    dossier.filed_by = user.username
    dossier.walk_in = walk_in
    _fill(dossier, data)
    site["berkas"].add(number, dossier)
    initialize(dossier)
    grant(dossier, user_principal(owner), "owner")
    if walk_in:
        grant(dossier, user_principal(user.username), "owner")
    index = intake_index(site)
    index.add(dossier, today)
    index.add_owner(owner, number)
    if walk_in and owner != user.username:
        index.add_owner(user.username, number)
    dossier.history.append(user.username, "created", "", service=service.code,
                           revision=standard.number, walk_in=walk_in)
    return dossier


def _confirmed_account(site, email):
    user = site["pengguna"].find(email)
    if user is not None and user.email_confirmed and "pemohon" in user.roles:
        return user
    return None


def _fill(dossier, data):
    from silat.intake.schemas import plain_fields
    dossier.applicant = snapshot(data["applicant"])
    dossier.location = {k: (data["location"].get(k) or "").strip()
                        for k in ("address", "kecamatan", "kelurahan", "nop")
                        if k != "nop" or data["location"].get("nop")}
    dossier.fields = plain_fields(data.get("fields"))
    dossier.modified = utcnow()


def update_application(request, dossier, data):
    if dossier.state not in ("draft", "returned"):
        raise IntakeError(409, "not_editable", _("Data permohonan tidak dapat diubah lagi."))
    _fill(dossier, data)
    dossier.history.append(request.user.username, "updated", "")


def requirement(dossier, key):
    return find_requirement(dossier.requirements(), key)


def find_requirement(requirements, key):
    """The requirement ``key`` the applicant uploads, or IntakeError 404."""
    found = next((r for r in requirements if r.key == key), None)
    if found is None or found.provided_by != "applicant":
        raise IntakeError(404, "unknown_requirement", _(
            "Persyaratan ${key} tidak ada pada layanan ini.", mapping={"key": key}))
    return found


def uploadable(dossier):
    return [r for r in dossier.requirements() if r.provided_by == "applicant"]


def store_document(request, dossier, req, inspected):
    """Store an inspected upload as the next version of ``req``'s document.
    A replaced document is checked again: its checklist entry is cleared."""
    if dossier.state not in ("draft", "returned"):
        inspected.discard()
        raise IntakeError(409, "not_editable", _(
            "Dokumen tidak dapat diubah pada status ini."))
    by = request.user.username
    document, version = add_document_version(
        dossier, req, inspected.path, inspected.filename, inspected.mime, inspected.size,
        inspected.sha256, by, text=inspected.text)
    if req.key in dossier.checklist:
        checklist = dict(dossier.checklist)
        del checklist[req.key]
        dossier.checklist = checklist
    dossier.modified = utcnow()
    dossier.history.append(by, "document_uploaded", "", requirement=req.key,
                           version=version.number, sha256=version.sha256,
                           filename=version.filename)
    return document, version


def take(request, dossier, name, comment=""):
    """Take workflow transition ``name``; a refusal becomes IntakeError."""
    try:
        return transition(dossier, name, request, comment=comment)
    except WorkflowError as exc:
        raise IntakeError(exc.status, exc.code, exc.reason) from exc


def submit(request, dossier, channel="web"):
    """Submit a draft or resubmit a returned application, recording the
    applicant's declaration."""
    name = "resubmit" if dossier.state == "returned" else "submit"
    new_state = take(request, dossier, name)
    declared = {"by": request.user.username, "at": utcnow().isoformat(), "channel": channel}
    dossier.declarations = getattr(dossier, "declarations", ()) + (declared,)
    if name == "submit":
        dossier.submitted = utcnow()
    return new_state


def due_date(dossier):
    value = getattr(dossier, "due_date", None)
    return value if isinstance(value, dt.date) else None
