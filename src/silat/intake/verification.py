"""The back office's completeness check: a checklist per requirement
(valid, or invalid with a reason), then complete -> ``verify`` or
incomplete -> ``return`` to the applicant with the reasons. Every round is
kept in ``dossier.verification_rounds``."""
from silat.i18n import _
from silat.intake.applications import IntakeError, take
from silat.resources.dossier import utcnow


def checkable(dossier):
    """Requirements the verifier rules on: officer checks and every
    applicant document that was uploaded (or is mandatory)."""
    documents = dossier["dokumen"]
    return [r for r in dossier.requirements()
            if r.provided_by != "applicant" or r.mandatory or r.key in documents]


def save_checklist(request, dossier, entries):
    """``entries``: requirement key -> (valid: bool | None, reason). None
    leaves an item unchecked. An invalid item needs a reason."""
    if dossier.state != "submitted":
        raise IntakeError(409, "not_verifiable", _(
            "Berkas hanya dapat diverifikasi setelah diajukan."))
    keys = {r.key for r in checkable(dossier)}
    missing_reason = [k for k, (valid, reason) in entries.items()
                      if k in keys and valid is False and not (reason or "").strip()]
    if missing_reason:
        raise IntakeError(422, "reason_required", _(
            "Alasan wajib diisi untuk persyaratan yang tidak sah."))
    now, by = utcnow().isoformat(), request.user.username
    checklist = dict(dossier.checklist)
    for key, (valid, reason) in entries.items():
        if key not in keys:
            continue
        if valid is None:
            checklist.pop(key, None)
        else:
            checklist[key] = {"valid": bool(valid), "reason": (reason or "").strip() if not valid
                              else "", "by": by, "at": now}
    dossier.checklist = checklist
    dossier.history.append(by, "checklist", "", checklist={
        k: {"valid": v["valid"], "reason": v["reason"]} for k, v in checklist.items()})
    return checklist


def return_comment(dossier):
    names = {r.key: r.name for r in dossier.requirements()}
    return "\n".join(f"{names.get(r.key, r.key)}: {dossier.checklist[r.key]['reason']}"
                     for r in dossier.invalid_requirements())


def _record_round(request, dossier, outcome, comment):
    rounds = getattr(dossier, "verification_rounds", ())
    dossier.verification_rounds = rounds + ({
        "round": len(rounds) + 1, "outcome": outcome, "by": request.user.username,
        "at": utcnow().isoformat(), "comment": comment,
        "checklist": {k: dict(v) for k, v in dossier.checklist.items()},
    },)


def complete(request, dossier):
    """All mandatory requirements are valid: the dossier moves on."""
    state = take(request, dossier, "verify")
    _record_round(request, dossier, "complete", "")
    return state


def return_to_applicant(request, dossier, note=""):
    """Some requirement is invalid: back to the applicant with the reasons."""
    comment = return_comment(dossier)
    if note.strip():
        comment = f"{comment}\n{note.strip()}" if comment else note.strip()
    state = take(request, dossier, "return", comment=comment)
    _record_round(request, dossier, "returned", comment)
    return state
