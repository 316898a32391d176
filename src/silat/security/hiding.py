"""A dossier the caller may not open does not exist for them.

For every page inside a dossier (``/berkas/<number>`` and all its
sub-views: documents, versions, receipt, permit, letters...), a refusal
answers exactly like an unknown number: 404 for a logged-in user who may
not see the dossier (the API already answers so), and the login redirect
for an anonymous visitor, also for an unknown number under ``/berkas``.
A user who may see the dossier but not the sub-view still gets 403.
"""
from pyramid.traversal import find_interface
from pyramid.view import forbidden_view_config, notfound_view_config

from silat.interfaces import IDossier
from silat.security.permissions import VIEW_DOSSIER

MESSAGE = "silat:templates/message.pt"


@forbidden_view_config(containment=IDossier, renderer=MESSAGE)
def dossier_refused(request):
    from silat.views.errors import forbidden, not_found
    dossier = find_interface(request.context, IDossier)
    if request.user is None or request.has_permission(VIEW_DOSSIER, dossier):
        return forbidden(request)
    return not_found(request)


@notfound_view_config(path_info=r"^/berkas/[^/]+", renderer=MESSAGE)
def unknown_dossier(request):
    from silat.views.errors import forbidden, not_found
    if request.user is None:
        return forbidden(request)        # the login redirect, as for a hidden dossier
    return not_found(request)
