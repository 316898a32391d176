"""The workflow of an issued permit, and its renewal.

active <-> frozen; active | frozen -> revoked (final); active | frozen ->
expired when its validity has passed. Freezing and revocation need a
reason and produce a letter. Renewal starts a new application dossier
linked to the old permit (``renew``); the permit itself stays as it is.
"""
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow.definitions import State, Transition, Workflow
from silat.workflow.calendar import local_date

V, S, D = P.VIEW_DOSSIER, P.SUBMIT, P.DECIDE
OFFICE = {"pengawas": (V,), "front_office": (V,), "verifikator": (V,), "arsiparis": (V, P.ARCHIVE)}


def validity_passed(permit, request):
    from silat.workflow.sla import utcnow
    if not permit.expired_on(local_date(utcnow())):
        return _("Masa berlaku izin belum berakhir.")
    return None


STATES = (
    State("active", _("Berlaku"), {**OFFICE, "owner": (V, S), "penandatangan": (V, D)}),
    State("frozen", _("Dibekukan"), {**OFFICE, "owner": (V,), "penandatangan": (V, D)}),
    State("revoked", _("Dicabut"), {**OFFICE, "owner": (V,), "penandatangan": (V,)}, final=True),
    State("expired", _("Kedaluwarsa"), {**OFFICE, "owner": (V, S), "penandatangan": (V,)}, final=True),
)

OWNER = ("owner",)

TRANSITIONS = (
    Transition("freeze", _("Bekukan izin"), ("active",), "frozen", D, needs_comment=True,
               notify=OWNER, letter="freeze"),
    Transition("unfreeze", _("Cabut pembekuan"), ("frozen",), "active", D, notify=OWNER),
    Transition("revoke", _("Cabut izin"), ("active", "frozen"), "revoked", D, needs_comment=True,
               notify=OWNER, letter="revocation"),
    Transition("expire", _("Nyatakan kedaluwarsa"), ("active", "frozen"), "expired", P.MANAGE,
               (validity_passed,), notify=OWNER),
)

PERMIT = Workflow.build("permit", "active", STATES, TRANSITIONS)
RENEWABLE = ("active", "expired")
