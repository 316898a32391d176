"""child_urls gives what request.resource_url gives, for pages that link
many objects (worklists, the supervisor's late list)."""
from pyramid.request import Request
from pyramid.threadlocal import manager

from silat.resources.dossier import Dossier
from silat.views.urls import child_urls


def test_child_urls_equal_resource_url(app, seeded, edit_site):
    with edit_site() as site:
        for number in ("SILAT-2026-000501", "SILAT-2026-000502"):
            site["berkas"].add(number, Dossier(number, "IMB", 1, "pemohon"))
        request = Request.blank("/", base_url="http://kantor.example:8080/silat")
        request.registry = app.registry
        manager.push({"request": request, "registry": app.registry})
        try:
            url = child_urls(request)
            for dossier in site["berkas"].values():
                assert url(dossier) == request.resource_url(dossier)
                assert url(dossier, "riwayat") == request.resource_url(dossier, "riwayat")
                assert url(dossier, "a b", "c") == request.resource_url(dossier, "a b", "c")
        finally:
            manager.pop()
