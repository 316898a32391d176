"""Hook: the complaints (pengaduan) about one dossier, for its page.

``complaints_for(dossier, request)`` returns a list of dicts
``{"number", "title", "state", "when", "url"}`` (``state`` already a
translated title, ``when`` formatted by ``silat.present.when``), only
complaints the caller may see. It returns [] until the complaints
package fills it in (issue 12 leaves it to the citizen helper); the
dossier page shows its panel only when the list is not empty.
"""


def complaints_for(dossier, request):
    return []
