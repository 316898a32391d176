"""Evolve step 20: agencies keep read access to the dossiers they reviewed.

Before, signing a recommendation revoked the agency's ``reviewer`` role
and left nothing, so the head of the agency met a 403 on the dossier it
had just signed. Signing now grants the local role ``reviewed``
(``services.grant_reviewed``); this step grants it for every
recommendation signed earlier.
"""


def grant_reviewed_roles(site):
    from silat.recommendations.services import grant_reviewed
    count = 0
    for dossier in site["berkas"].values():
        recommendations = dossier.get("rekomendasi") if hasattr(dossier, "get") else None
        if recommendations is None:
            continue
        for code, rec in recommendations.items():
            if rec.decision is not None and grant_reviewed(dossier, code, "system"):
                count += 1
    return count
