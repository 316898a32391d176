"""The complaints (pengaduan) about one dossier, for its page.

``complaints_for(dossier, request)`` returns a list of dicts
``{"number", "title", "state", "when", "url"}`` (``state`` a translated
title, ``when`` formatted by ``silat.present.when``), only complaints the
caller may see (``silat.complaints`` decides that). The dossier page shows
its panel only when the list is not empty.
"""
from silat.present import state_label, when


def complaints_for(dossier, request):
    from silat.complaints import complaints_for as visible
    translate = request.localizer.translate
    return [{"number": c.number, "title": c.subject, "state": translate(state_label(c)),
             "when": when(getattr(c, "created", None)), "url": request.resource_url(c)}
            for c in visible(dossier, request)]
