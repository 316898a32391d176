"""The outermost safety net: no request ever gets a bare 500 or a traceback.

``safety_tween`` sits above every other tween (transactions, exception
views). It answers

* 400 when the path, the query string or a form body is not UTF-8
  (checked before anything reads them, and again if a view trips on it);
* 503 with a clear message when a signature is needed but the signing
  certificate is not configured;
* 500 with the friendly error page (``templates/error.pt``), or the API's
  JSON error body under ``/api/``, for any exception nothing else handled,
  after logging the traceback.

Errors that ``pyramid_retry`` may still retry (ConflictError) are passed up
unless this was the last attempt, so retries keep working.
"""
import logging
from urllib.parse import unquote_to_bytes

from pyramid.renderers import render
from pyramid.response import Response
from pyramid.tweens import INGRESS

from silat.i18n import _

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_("Permintaan tidak sah"),
          _("Alamat atau isian berisi karakter yang tidak dapat dibaca (bukan UTF-8). "
            "Tidak ada yang disimpan."), "bad_encoding"),
    503: (_("Penandatanganan elektronik belum siap"),
          _("Sertifikat penandatanganan elektronik belum dikonfigurasi, jadi tidak ada yang "
            "ditandatangani atau disimpan. Hubungi admin (silat init atau silat.signing.cert)."),
          "signing_unavailable"),
    500: (_("Terjadi kesalahan"),
          _("Maaf, terjadi kesalahan di server. Tidak ada yang disimpan. "
            "Coba lagi beberapa saat lagi; bila berulang, hubungi petugas."), "internal_error"),
}


def not_utf8(environ):
    """True when the path or the query string does not decode as UTF-8."""
    try:
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        unquote_to_bytes(environ.get("QUERY_STRING", "")).decode("utf-8")
    except UnicodeError:
        return True
    return False


def _retry_pending(request, exc):
    try:
        from pyramid_retry import is_error_retryable
    except ImportError:     # pragma: no cover - pyramid_retry is a dependency
        return False
    attempt = request.environ.get("retry.attempt", 0)
    attempts = request.environ.get("retry.attempts", 1)
    return attempt + 1 < attempts and is_error_retryable(request, exc)


def _translate(request, message):
    try:
        return request.localizer.translate(message)
    except Exception:       # a broken cookie or header must not break the error page
        return message.interpolate() if hasattr(message, "interpolate") else str(message)


def error_response(request, status):
    """The error page (or JSON body for the API) for ``status`` 400, 500 or 503."""
    title, message, code = MESSAGES[status]
    title, message = _translate(request, title), _translate(request, message)
    path = request.environ.get("PATH_INFO", "")
    if path.startswith("/api/"):
        response = Response(json_body={"error": {"code": code, "message": message}},
                            status=status, charset="utf-8")
        return response
    try:
        html = render("silat:templates/error.pt",
                      {"title": title, "message": message, "status": status,
                       "home": request.application_url + "/",
                       "home_title": _translate(request, _("Ke halaman depan")),
                       "lang": _lang(request)}, request=request)
    except Exception:
        log.exception("the error page itself failed")
        html = f"<!DOCTYPE html><title>{status}</title><h1>{status}</h1>"
    return Response(html, status=status, content_type="text/html", charset="utf-8")


def _lang(request):
    try:
        return request.locale_name
    except Exception:
        return "id"


def safety_tween_factory(handler, registry):
    def safety_tween(request):
        if not_utf8(request.environ):
            return error_response(request, 400)
        try:
            return handler(request)
        except UnicodeDecodeError:
            log.info("refused non-UTF-8 input: %s %r", request.method,
                     request.environ.get("PATH_INFO"))
            return error_response(request, 400)
        except Exception as exc:
            if _retry_pending(request, exc):
                raise
            log.exception("unhandled error on %s %r", request.method,
                          request.environ.get("PATH_INFO"))
            return error_response(request, 500)
    return safety_tween


def signing_not_configured(exc, request):
    """A signature needs the site's certificate: say so (503), not a 500."""
    log.error("signing is not configured: %s", exc)
    return error_response(request, 503)


def includeme(config):
    from silat.permits.signing import SigningNotConfigured
    config.add_tween("silat.safety.safety_tween_factory", under=INGRESS)
    config.add_exception_view(signing_not_configured, context=SigningNotConfigured)
