"""Recording what happens to a dossier: local-role changes and the labels
of history entries.

Local roles on content (owner, reviewer) change only through
``grant_local_role`` and ``revoke_local_role``, which append the change
to the content's hash-chained history.
"""
from silat.i18n import _
from silat.security import localroles

ACTIONS = {
    "created": _("Berkas dibuat"),
    "transition": _("Perubahan status"),
    "upload": _("Unggah dokumen"),
    "disposition": _("Disposisi"),
    "recommendation": _("Rekomendasi teknis"),
    "signature": _("Tanda tangan"),
    "download": _("Unduh dokumen oleh petugas"),
    "role_granted": _("Peran diberikan"),
    "role_revoked": _("Peran dicabut"),
    "renewal": _("Perpanjangan izin"),
    "permit_created": _("Izin dibuat"),
}


def action_title(entry):
    """The label of a history entry (the transition's own title for a transition)."""
    return ACTIONS.get(entry["action"], entry["action"])


def grant_local_role(obj, principal, role, actor, comment=""):
    """Grant ``role`` to ``principal`` on ``obj`` and record it (once)."""
    if role in localroles.local_roles(obj).get(principal, ()):
        return False
    localroles.grant(obj, principal, role)
    obj.history.append(actor, "role_granted", comment, principal=principal, role=role)
    return True


def revoke_local_role(obj, principal, role, actor, comment=""):
    """Revoke ``role`` from ``principal`` on ``obj`` and record it."""
    if role not in localroles.local_roles(obj).get(principal, ()):
        return False
    localroles.revoke(obj, principal, role)
    obj.history.append(actor, "role_revoked", comment, principal=principal, role=role)
    return True
