"""Security headers on every page of a crawl, and no inline script
without the response's nonce (issue 10, "Headers and small leaks")."""
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import webtest

from tests.permits import flow
from tests.web import login

LIMIT = 40
SKIP = ("/keluar", "/static/", "/api/")
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "silat" / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def check_page(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    if response.content_type != "text/html":
        return
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    for attrs in INLINE.findall(response.text):
        assert f'nonce="{nonce}"' in attrs, (response.request.path, attrs)
    assert not HANDLER.search(response.text), response.request.path


def crawl(testapp, starts):
    seen, queue, checked = set(), list(starts), 0
    while queue and checked < LIMIT:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = testapp.get(path, expect_errors=True)
        check_page(response)
        checked += 1
        if response.content_type == "text/html":
            for href in re.findall(r'href="([^"#]+)"', response.text):
                parts = urlsplit(urljoin("http://localhost" + path, href))
                if parts.netloc == "localhost" and parts.path not in seen:
                    queue.append(parts.path)
    return checked


def test_own_templates_have_no_inline_script_or_handler():
    """Deform's widget set-up snippets (templates/deform, copies of deform's
    own) are the only inline scripts; the tween gives them the nonce."""
    offenders = [str(p) for p in TEMPLATES.rglob("*.pt")
                 if (INLINE.search(p.read_text()) and p.parent.name != "deform")
                 or HANDLER.search(p.read_text())]
    assert offenders == []


def test_every_page_of_a_crawl_carries_the_headers(app, seeded, edit_site):
    with edit_site() as site:
        flow.configure_service(site, code="IMB", recommendations=(), formula=None)
        flow.file_dossier(site, app.registry, number="SILAT-2026-900001", code="IMB")
    anonymous = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    assert crawl(anonymous, ["/", "/layanan", "/lacak", "/masuk", "/tidak-ada"]) > 5
    for username in ("admin", "verifikator", "pemohon"):
        user = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        login(user, username, seeded)
        assert crawl(user, ["/beranda", "/berkas/SILAT-2026-900001"]) > 3
    pdf = anonymous.get("/static/silat/silat.js")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
