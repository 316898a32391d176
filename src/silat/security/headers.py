"""Security headers on every response (a tween).

HTML answers carry a Content-Security-Policy that allows scripts only
from the site itself plus the inline scripts carrying this response's
nonce. SILAT's own templates have no inline script or event handler
(``silat:static/silat.js`` runs ``deform.load()`` and the print
buttons); the only inline scripts left are the widget set-up snippets
deform renders from its own templates (date picker, sequences). The
tween gives those the nonce. This is safe because every template escapes
what it prints, so a ``<script`` in the body can only come from a
template, never from data. Every response also gets ``X-Frame-Options:
DENY``, ``Referrer-Policy: same-origin`` and ``X-Content-Type-Options:
nosniff``.
"""
import re
import secrets

POLICY = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
          "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
COMMON = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)", re.IGNORECASE)


def add_nonce(body, nonce):
    """Give every inline ``<script>`` of ``body`` (bytes) the nonce."""
    return _INLINE_SCRIPT.sub(b'<script nonce="' + nonce.encode("ascii") + b'"', body)


def security_headers_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        for name, value in COMMON.items():
            response.headers.setdefault(name, value)
        if response.content_type == "text/html" and "Content-Security-Policy" not in response.headers:
            nonce = secrets.token_urlsafe(16)
            body = response.body
            if b"<script" in body.lower():
                response.body = add_nonce(body, nonce)
            response.headers["Content-Security-Policy"] = POLICY.format(nonce=nonce)
        return response
    return tween


def includeme(config):
    config.add_tween("silat.security.headers.security_headers_tween_factory")
