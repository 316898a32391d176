"""Conditions transitions check. Each returns None when it holds, else a
translation string saying what is missing."""
from silat.i18n import _


def _names(items):
    return ", ".join(items)


def requirements_uploaded(dossier, request):
    missing = dossier.missing_requirements()
    if missing:
        return _("Persyaratan wajib belum diunggah: ${names}.",
                 mapping={"names": _names(r.name for r in missing)})
    return None


def requirements_verified(dossier, request):
    unchecked = dossier.unverified_requirements()
    if unchecked:
        return _("Persyaratan belum dinyatakan sah: ${names}.",
                 mapping={"names": _names(r.name for r in unchecked)})
    return None


def some_requirement_invalid(dossier, request):
    if not dossier.invalid_requirements():
        return _("Tidak ada persyaratan yang dinyatakan tidak sah; berkas tidak perlu dikembalikan.")
    return None


def needs_recommendations(dossier, request):
    if not dossier.standard().recommendations_from:
        return _("Layanan ini tidak memerlukan rekomendasi teknis.")
    return None


def pending_agencies(dossier):
    """Agencies whose recommendation is still missing: every agency the
    standard names (asked or not yet asked) plus every open request."""
    given = dossier["rekomendasi"]
    named = [code for code in dossier.standard().recommendations_from or ()
             if getattr(given.get(code), "decision", None) is None]
    return named + [code for code in dossier.pending_recommendations() if code not in named]


def recommendations_complete(dossier, request):
    pending = pending_agencies(dossier)
    if pending:
        return _("Rekomendasi teknis belum diberikan oleh: ${names}.", mapping={"names": _names(pending)})
    return None


def no_recommendations_needed_or_complete(dossier, request):
    if dossier.state == "verified" and dossier.standard().recommendations_from:
        return _("Berkas harus diteruskan ke OPD untuk rekomendasi teknis terlebih dahulu.")
    return recommendations_complete(dossier, request)


def fee_outstanding(dossier, request):
    if dossier.fee_outstanding() <= 0:
        return _("Tidak ada retribusi yang harus dibayar.")
    return None


def fee_settled(dossier, request):
    if dossier.fee_outstanding() > 0:
        return _("Retribusi belum lunas.")
    return None
