"""What happens to recommendations, independent of pages and API.

Requests are created when a dossier is forwarded to the technical
agencies: the ``request_review`` transition (verified -> in_review, taken
by the verifier right after ``verify``). One ``Recommendation`` per agency
the standard names; the agency (principal ``agency:<CODE>``) gets the local
role ``reviewer`` on the dossier until its recommendation is signed (or
the dossier leaves ``in_review``: the workflow revokes the role then).
"""
import datetime as dt
import io

from BTrees.OOBTree import OOBTree
from pyramid.events import subscriber
from pyramid.traversal import find_root

from silat.resources import marks
from silat.resources.folder import attached
from silat.i18n import _
from silat.interfaces import IDossier, IWorkflowEvent
from silat.recommendations.model import DECISIONS, Disposition, Inspection, Photo, Recommendation
from silat.security import permissions as P
from silat.security.principals import agency_principal


class RecommendationError(ValueError):
    """``message`` is a translation string; ``status`` an HTTP status."""

    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


# -- the agency's worklist index ------------------------------------------------

def open_requests(agency):
    """registration number -> open mark (``silat.resources.marks``) of the
    agency's open requests; the due date is the request's own."""
    return attached(agency, "recommendation_requests", OOBTree)


def open_request_numbers(agency):
    return marks.open_keys(open_requests(agency))


def _grant_reviewer(dossier, code, actor):
    from silat.workflow.history import grant_local_role
    grant_local_role(dossier, agency_principal(code), "reviewer", actor,
                     _("Permintaan rekomendasi teknis"))


def _revoke_reviewer(dossier, code, actor):
    from silat.workflow.history import revoke_local_role
    revoke_local_role(dossier, agency_principal(code), "reviewer", actor)


def grant_reviewed(dossier, code, actor):
    """The agency signed its recommendation: it keeps read access to the
    dossier (local role ``reviewed``, view only, in every state)."""
    from silat.workflow.history import grant_local_role
    return grant_local_role(dossier, agency_principal(code), "reviewed", actor,
                            _("Rekomendasi teknis ditandatangani"))


def _agency_due(dossier, code, settings):
    try:
        from silat.workflow import sla
        share = sla.recommendation_share(settings) if hasattr(sla, "recommendation_share") else 0.5
        return sla.request_budget(dossier, code, share)
    except (ImportError, AttributeError):
        return dossier.due_date


def request_recommendations(dossier, actor, settings):
    """Create the missing requests; return the agency codes asked now."""
    site = find_root(dossier)
    asked = []
    for code in dossier.standard().recommendations_from or ():
        if code in dossier["rekomendasi"]:
            continue
        agency = site["opd"].get(code)
        if agency is None:
            continue
        due = _agency_due(dossier, code, settings)
        dossier["rekomendasi"].add(code, Recommendation(code, actor, due))
        marks.mark_open(open_requests(agency), dossier.registration_number)
        _grant_reviewer(dossier, code, actor)
        dossier.history.append(actor, "recommendation", "", step="requested", agency=code,
                               due=due.isoformat() if due else None)
        asked.append(code)
    return asked


def _close_all(dossier, actor):
    """The dossier left review: drop it from every agency's worklist."""
    site = find_root(dossier)
    for code in dossier["rekomendasi"]:
        agency = site["opd"].get(code)
        if agency is not None:
            marks.mark_closed(open_requests(agency), dossier.registration_number)


@subscriber(IWorkflowEvent)
def on_transition(event):
    dossier = event.object
    if not IDossier.providedBy(dossier):
        return
    if event.transition.name == "request_review":
        registry = getattr(event, "registry", None) or getattr(event.request, "registry", None)
        settings = registry.settings if registry is not None else {}
        request_recommendations(dossier, event.actor, settings)
    elif event.old_state == "in_review" and event.new_state != "in_review":
        _close_all(dossier, event.actor)


# -- who may do what --------------------------------------------------------------

def agency_of(request, code):
    return find_root(request.context)["opd"].get(code) if request.context is not None else None


def is_member(request, code):
    user = request.user
    return user is not None and (user.agency == code or "admin" in user.roles)


def may_sign(request, code):
    """The agency head (APPROVE_RECOMMENDATION on the agency folder) or an
    official the head delegated signing to."""
    if request.user is None:
        return False
    agency = find_root(request.context)["opd"].get(code)
    if agency is None:
        return False
    if request.has_permission(P.APPROVE_RECOMMENDATION, agency):
        return True
    return request.user.agency == code and request.user.username in (
        getattr(agency, "signing_delegates", None) or ())


def agency_members(site, code):
    """Active users of an agency (for the disposition form)."""
    return [u for u in site["pengguna"].values()
            if getattr(u, "agency", None) == code and u.active]


# -- drafting and signing ---------------------------------------------------------

def clean_conditions(items):
    return tuple(c.strip() for c in (items or ()) if c and c.strip())


def check_content(decision, conditions, reasons):
    """A translation string saying what is wrong with a recommendation, or None."""
    if decision not in DECISIONS:
        return _("Keputusan rekomendasi harus salah satu dari: recommended, conditional, "
                 "not_recommended.")
    if decision == "conditional" and not conditions:
        return _("Rekomendasi dengan syarat harus memuat paling sedikit satu syarat.")
    if decision == "not_recommended" and not (reasons or "").strip():
        return _("Alasan wajib diisi bila tidak direkomendasikan.")
    return None


def save_draft(rec, decision, conditions, reasons, notes, actor):
    if rec.decision is not None:
        raise RecommendationError(409, "already_signed", _("Rekomendasi sudah ditandatangani."))
    conditions = clean_conditions(conditions)
    problem = check_content(decision, conditions, reasons)
    if problem:
        raise RecommendationError(422, "invalid_input", problem)
    rec.draft = {"decision": decision, "conditions": conditions, "reasons": (reasons or "").strip(),
                 "notes": (notes or "").strip(), "by": actor,
                 "at": dt.datetime.now(dt.timezone.utc).isoformat()}
    rec.dossier.history.append(actor, "recommendation", "", step="drafted", agency=rec.agency_code,
                               decision=decision)
    return rec.draft


def sign(rec, request, decision=None, conditions=None, reasons=None, notes=None):
    """Approve and sign: number the letter, render and sign it, record the
    decision, close the request. Values default to the saved draft."""
    from silat.permits import numbering, signing
    from silat.permits.files import StoredPdf
    from silat.recommendations.pdfs import recommendation_letter
    from silat.search.extract import pdf_text
    if rec.decision is not None:
        raise RecommendationError(409, "already_signed", _("Rekomendasi sudah ditandatangani."))
    dossier = rec.dossier
    if dossier.state != "in_review":
        raise RecommendationError(409, "invalid_state", _(
            "Rekomendasi hanya dapat diberikan selama berkas dalam kajian teknis OPD."))
    draft = rec.draft or {}
    decision = decision if decision is not None else draft.get("decision")
    conditions = clean_conditions(conditions if conditions is not None else draft.get("conditions"))
    reasons = (reasons if reasons is not None else draft.get("reasons", "")) or ""
    notes = (notes if notes is not None else draft.get("notes", "")) or ""
    problem = check_content(decision, conditions, reasons)
    if problem:
        raise RecommendationError(422, "invalid_input", problem)
    site = find_root(dossier)
    agency = site["opd"][rec.agency_code]
    user = request.user
    settings = request.registry.settings
    rec.letter_number = numbering.next_number(settings, "recommendation", agency,
                                              agency_code=rec.agency_code)
    rec.decision, rec.conditions = decision, conditions
    rec.reasons, rec.notes = reasons.strip(), notes.strip()
    rec.signed_by, rec.signed_by_title = user.username, user.title
    rec.signed_at = dt.datetime.now(dt.timezone.utc)
    pdf = recommendation_letter(rec, dossier, agency, request)
    signed = signing.sign_pdf(pdf, settings, reason=f"Rekomendasi teknis {rec.letter_number}")
    rec.letter = StoredPdf(signed, f"rekomendasi-{rec.agency_code}-{dossier.registration_number}.pdf",
                           user.username, text=pdf_text(io.BytesIO(pdf)))   # read once, not per indexing
    marks.mark_closed(open_requests(agency), dossier.registration_number)
    dossier.history.append(user.username, "recommendation", "", step="signed",
                           agency=rec.agency_code, decision=decision, number=rec.letter_number,
                           sha256=rec.letter.sha256)
    dossier.history.append(user.username, "signature", "", document="recommendation",
                           agency=rec.agency_code, number=rec.letter_number)
    _revoke_reviewer(dossier, rec.agency_code, user.username)
    grant_reviewed(dossier, rec.agency_code, user.username)
    return rec


# -- dispositions ----------------------------------------------------------------

def dispositions_for(dossier, code):
    return [d for d in dossier["disposisi"].values() if d.agency_code == code]


def open_dispositions_to(dossier, code, username):
    return [d for d in dispositions_for(dossier, code) if d.to_user == username and d.open]


def dispose(dossier, code, request, to_user, instruction, due, parent=None):
    site = find_root(dossier)
    actor = request.user.username
    target = site["pengguna"].get(to_user)
    if target is None or target.agency != code or not target.active:
        raise RecommendationError(422, "invalid_input", _(
            "Penerima disposisi harus pegawai aktif pada OPD ini."))
    if target.username == actor:
        raise RecommendationError(422, "invalid_input", _("Disposisi tidak dapat ditujukan kepada diri sendiri."))
    if not (instruction or "").strip():
        raise RecommendationError(422, "invalid_input", _("Isi disposisi (instruksi) wajib diisi."))
    name = f"{code}-{len(dossier['disposisi']) + 1}"
    item = Disposition(code, actor, target.username, instruction.strip(), due, parent)
    dossier["disposisi"].add(name, item)
    dossier.history.append(actor, "disposition", instruction.strip(), step="sent", agency=code,
                           name=name, to=target.username, due=due.isoformat() if due else None,
                           parent=parent)
    return item


def mark(disposition, request, step, note=""):
    actor = request.user.username
    if disposition.to_user != actor:
        raise RecommendationError(403, "forbidden", _("Disposisi ini tidak ditujukan kepada Anda."))
    now = dt.datetime.now(dt.timezone.utc)
    if step == "read":
        if disposition.read_at is None:
            disposition.read_at = now
    else:
        if disposition.read_at is None:
            disposition.read_at = now
        disposition.done_at = now
        disposition.done_note = (note or "").strip()
    dossier = disposition.__parent__.__parent__
    dossier.history.append(actor, "disposition", note or "", step=step, name=disposition.__name__,
                           agency=disposition.agency_code)


def chain(dossier, code):
    """The dispositions of an agency in order, each with its depth in the chain."""
    items = sorted(dispositions_for(dossier, code), key=lambda d: d.created)
    depth = {}
    out = []
    for item in items:
        level = depth.get(item.parent, -1) + 1 if item.parent else 0
        depth[item.__name__] = level
        out.append((level, item))
    return out


# -- inspections ------------------------------------------------------------------

def add_inspection(dossier, code, request, date, team, findings, photos):
    """``photos``: list of ``Inspected`` uploads (already checked)."""
    from silat.permits.files import StoredPdf
    from silat.recommendations.pdfs import inspection_report
    actor = request.user.username
    name = f"{code}-{len(dossier['inspeksi']) + 1}"
    item = Inspection(code, date, team, findings.strip(), actor)
    dossier["inspeksi"].add(name, item)
    images = []
    for upload in photos:
        with open(upload.path, "rb") as inp:
            images.append(inp.read())
    agency = find_root(dossier)["opd"][code]
    report = inspection_report(item, dossier, agency, request, images)
    item.photos = tuple(Photo(p.path, p.filename, p.mime, p.size, p.sha256, actor) for p in photos)
    item.bap = StoredPdf(report, f"bap-{name}-{dossier.registration_number}.pdf", actor)
    dossier.history.append(actor, "inspection", findings.strip()[:200], agency=code, name=name,
                           date=date.isoformat(), team=list(team), photos=len(photos),
                           sha256=item.bap.sha256)
    return item
