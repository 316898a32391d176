"""HTML error pages. The JSON API has its own (``silat.api.errors``)."""
from urllib.parse import quote

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

from silat.i18n import _


@notfound_view_config(renderer="silat:templates/message.pt")
def not_found(request):
    request.response.status_int = 404
    return {"title": _("Halaman tidak ditemukan"),
            "message": _("Alamat yang Anda buka tidak ada atau sudah dipindahkan.")}


@forbidden_view_config(renderer="silat:templates/message.pt")
def forbidden(request):
    if request.user is None:
        came_from = quote(request.path_qs if request.method == "GET" else "/beranda")
        expired = "&expired=1" if request.environ.get("silat.session_expired") else ""
        return HTTPSeeOther(f"{request.application_url}/masuk?came_from={came_from}{expired}")
    request.response.status_int = 403
    return {"title": _("Akses ditolak"),
            "message": _("Anda tidak mempunyai hak untuk membuka halaman ini.")}


@exception_view_config(BadCSRFToken, renderer="silat:templates/message.pt")
def bad_csrf(request):
    request.response.status_int = 400
    return {"title": _("Formulir kedaluwarsa"),
            "message": _("Token keamanan formulir tidak sah atau sesi Anda telah berakhir. "
                         "Tidak ada yang disimpan. Muat ulang halaman lalu kirim kembali."),
            "link": request.referer if (request.referer or "").startswith(request.application_url)
            else request.application_url + "/",
            "link_title": _("Kembali")}
