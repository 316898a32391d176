"""How a refused upload body (too large) is answered: a 413 page, or the
API's error body."""
from pyramid.view import exception_view_config

from silat.api.errors import API, error_response
from silat.i18n import _
from silat.intake.uploads import UploadRefused


@exception_view_config(UploadRefused, path_info=API, renderer="json")
def api_upload_refused(exc, request):
    return error_response(request, exc.status, exc.code, exc.message, {"file": exc.message})


@exception_view_config(UploadRefused, renderer="silat:templates/message.pt")
def upload_refused(exc, request):
    request.response.status_int = exc.status
    referer = request.referer or ""
    return {"title": _("Unggahan ditolak"), "message": exc.message,
            "link": referer if referer.startswith(request.application_url)
            else request.application_url + "/beranda",
            "link_title": _("Kembali")}
