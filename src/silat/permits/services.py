"""The decision, fees and the permit, following the workflow.

Subscribers of ``IWorkflowEvent`` (so the generic action page
``/berkas/<n>/transisi`` and the API behave like the pages here):

- ``approve``: the SKRD is assessed when the standard's fee is above zero;
- ``issue``: the permit is created (number, validity, conditions from the
  recommendations), rendered, PAdES-signed and registered; refused
  (whole transaction aborted) when the user is not the delegated signer
  or the PBB proof is missing;
- a transition that declares a ``letter`` (reject, withdraw, freeze,
  revoke) gets its numbered letter PDF;
- the decide/sign worklists follow the states.
"""
import datetime as dt
import secrets

from pyramid.events import subscriber
from pyramid.traversal import find_root

from silat.i18n import _
from silat.interfaces import IDossier, IPermit, IWorkflowEvent
from silat.permits import delegation, fees, numbering, pbb, signing
from silat.permits.files import StoredPdf
from silat.permits.pdfs import decision_letter, permit_pdf
from silat.permits.registry import registry
from silat.resources import marks
from silat.workflow.calendar import WIB, add_months

DECIDE_STATES = ("verified", "in_review")


class PermitRefused(Exception):
    """Issuing refused after the state changed: the transaction is aborted."""

    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def add_validity(start, duration):
    if duration is None:
        return None
    if duration.unit == "days":
        return start + dt.timedelta(days=duration.amount)
    months = duration.amount * (12 if duration.unit == "years" else 1)
    return add_months(start, months) - dt.timedelta(days=1)


def public_base(settings, request):
    base = settings.get("silat.public_url")
    if base:
        return base.rstrip("/")
    return request.application_url if request is not None else "http://localhost:6543"


def issue_permit(dossier, request, registry_, actor):
    from silat.resources.permit import add_permit
    settings = registry_.settings
    site = find_root(dossier)
    signatory = delegation.resolve(dossier, settings)
    if request is not None and not delegation.may_sign(request, dossier, check_permission=False):
        raise PermitRefused(403, "not_delegated", _(
            "Penandatanganan izin layanan ini didelegasikan kepada ${position}; Anda tidak "
            "berwenang menandatanganinya.", mapping={"position": signatory.position}))
    if pbb.requires_pbb(dossier) and not pbb.pbb_settled(dossier):
        raise PermitRefused(409, "pbb_not_checked", _(
            "Bukti lunas PBB belum diperiksa terhadap data Bapenda."))
    agency = site["opd"].get(signatory.agency_code)
    if agency is None:
        raise PermitRefused(409, "no_signatory", _("Kantor penandatangan tidak dikenal."))
    issued_at = dt.datetime.now(dt.timezone.utc)
    today = issued_at.astimezone(WIB).date()
    # own short transaction: parallel issues never collide on the counter
    number = numbering.next_number(settings, "permit", agency, today, agency_code=agency.code,
                                   service_code=dossier.service_code, committed=True,
                                   txn=dossier._p_jar.transaction_manager.get()
                                   if dossier._p_jar is not None else None)
    valid_until = add_validity(today, dossier.standard().validity)
    permit = add_permit(dossier, number, actor, valid_until, issued_at)
    permit.token = secrets.token_urlsafe(18)
    permit.location = dict(dossier.location or {})
    permit.service_name = dossier.standard().name
    recs = sorted(dossier["rekomendasi"].values(), key=lambda r: r.agency_code)
    permit.conditions = tuple((r.agency_code, c) for r in recs for c in (r.conditions or ()))
    permit.recommendation_numbers = tuple((r.agency_code, r.letter_number) for r in recs
                                          if r.letter_number)
    user = request.user if request is not None else None
    permit.signer = user.username if user is not None else actor
    permit.signer_title = user.title if user is not None else actor
    permit.signer_position = signatory.position
    permit.signer_agency = agency.code
    verify_url = f"{public_base(settings, request)}/verifikasi/{permit.token}"
    permit.verify_url = verify_url
    pdf = permit_pdf(permit, dossier, agency, signatory, verify_url)
    signed = signing.sign_pdf(pdf, settings, reason=f"Izin {number}")
    permit.pdf = StoredPdf(signed, f"izin-{dossier.registration_number}.pdf", actor)
    permit.sha256 = permit.pdf.sha256
    registry(site).add_permit(permit)
    permit.history.append(actor, "signature", "", sha256=permit.sha256, position=signatory.position)
    dossier.history.append(actor, "signature", "", document="permit", number=number,
                           sha256=permit.sha256, position=signatory.position)
    return permit


def render_letter(kind, obj, event, registry_):
    """The letter a transition declares, stored on the dossier or permit."""
    settings = registry_.settings
    permit = obj if IPermit.providedBy(obj) else None
    dossier = permit.__parent__ if permit is not None else obj
    site = find_root(dossier)
    agency = site["opd"]["DPMPTSP"]
    number = numbering.next_number(settings, "rejection", agency, agency_code="DPMPTSP",
                                   series=kind)
    user = event.request.user if event.request is not None else None
    signer = user.title if user is not None else event.actor
    data = decision_letter(kind, number, dossier, agency, event.comment, signer,
                           dt.datetime.now(dt.timezone.utc), permit)
    letter = StoredPdf(data, f"{kind}-{dossier.registration_number}.pdf", event.actor)
    letter.number, letter.kind = number, kind
    obj.letters = tuple(getattr(obj, "letters", ()) or ()) + (letter,)
    obj.history.append(event.actor, "letter", event.comment, kind=kind, number=number,
                       sha256=letter.sha256)
    return letter


def _follow_worklists(dossier, old, new):
    reg = registry(find_root(dossier))
    number = dossier.registration_number
    for name, states in (("decide", DECIDE_STATES), ("sign", ("approved",))):
        if new in states:
            marks.mark_open(reg.marks(name), number)
        elif old in states:
            marks.mark_closed(reg.marks(name), number)


@subscriber(IWorkflowEvent)
def on_transition(event):
    obj, step = event.object, event.transition
    registry_ = getattr(event, "registry", None) or event.request.registry
    if IDossier.providedBy(obj):
        _follow_worklists(obj, event.old_state, event.new_state)
        if step.name == "approve":
            fees.assess(obj, registry_.settings, event.actor, event.request)
        elif step.name == "issue":
            issue_permit(obj, event.request, registry_, event.actor)
    if step.letter and (IDossier.providedBy(obj) or IPermit.providedBy(obj)):
        render_letter(step.letter, obj, event, registry_)
    if IPermit.providedBy(obj) and event.new_state in ("revoked", "expired"):
        registry(find_root(obj)).forget_expiry(obj)


def expire_permits(site, registry_, today=None):
    """The daily job: every active or frozen permit past its validity expires."""
    from silat.workflow import transition
    today = today or dt.datetime.now(WIB).date()
    reg = registry(site)
    done = []
    for number in list(reg.due_to_expire(today)):
        permit = reg.by_number.get(number)
        if permit is None or permit.state not in ("active", "frozen"):
            continue
        transition(permit, "expire", None, comment="Masa berlaku berakhir", actor="system",
                   check_permission=False, registry=registry_)
        done.append(number)
    return done


PUBLIC_STATES = {
    "active": _("Berlaku"), "frozen": _("Dibekukan"), "revoked": _("Dicabut"),
    "expired": _("Kedaluwarsa"),
}


def public_fields(permit, request=None):
    """What anyone may know about a permit: never NIK, phone or home address."""
    holder = permit.holder or {}
    location = getattr(permit, "location", None) or {}
    state = permit.state
    translate = request.localizer.translate if request is not None else (lambda m: m.interpolate())
    return {
        "number": permit.number,
        "holder": holder.get("business_name") or holder.get("name") or "",
        "service_code": permit.service_code,
        "service_name": getattr(permit, "service_name", permit.service_code),
        "issued_on": permit.issued_at.astimezone(WIB).date().isoformat(),
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "state": state,
        "state_title": translate(PUBLIC_STATES.get(state, state)),
        "kecamatan": location.get("kecamatan"),
        "kelurahan": location.get("kelurahan"),
        "signed_by": getattr(permit, "signer_position", ""),
        "sha256": getattr(permit, "sha256", None),
    }
