"""Browser tests: Debian's Chromium driven by Playwright for Python against
SILAT served by waitress on loopback, on a fresh FileStorage site made by
``silat init --demo`` from a temp copy of the standalone config.

Every step is saved as a screenshot (``shot``); a failing test saves the
page it stopped on. ``SILAT_SCREENS=dir`` (``python3 dev.py screens``)
writes them to that folder with a README index, otherwise to a temp dir.
"""
import contextlib
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SILAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


class LiveSite:
    """The served app: ``url``, the ``app`` (for fixture set-up through
    ZODB), ``var`` and the development mail folder ``mail_dir``."""

    def __init__(self, url, app, var):
        self.url, self.app, self.var = url, app, var
        self.mail_dir = var / "mail"

    @property
    def db(self):
        return self.app.registry._zodb_databases[""]

    def mails(self):
        """The messages the debug mailer wrote, oldest first, parsed."""
        import email
        from email import policy
        if not self.mail_dir.exists():
            return []
        files = sorted(self.mail_dir.iterdir(), key=lambda p: p.stat().st_mtime)
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


def _standalone_ini(root):
    """The standalone (FileStorage) config, etc/standalone.ini where it
    exists, else etc/development.ini, with var/ moved to ``root`` and
    cheap hashing."""
    source = HERE / "etc" / "standalone.ini"
    if not source.exists():
        source = HERE / "etc" / "development.ini"
    text = source.read_text()
    text = text.replace("%(here)s/../var", str(root / "var"))
    text = text.replace("pyramid.reload_templates = true", "pyramid.reload_templates = false")
    extra = ("silat.argon2.time_cost = 1\nsilat.argon2.memory_cost = 1024\n"
             "silat.argon2.parallelism = 1\nsilat.search.background = false\n")
    text = text.replace("[server:main]", extra + "\n[server:main]", 1)
    assert str(HERE / "var") not in text and "zodbconn.uri = file://" in text
    ini = root / "etc" / "development.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(text)
    return ini


def make_site(root):
    """A fresh demo site under ``root`` (``silat init --demo`` on the
    standalone config): the path of its ini file."""
    (root / "var" / "log").mkdir(parents=True)
    ini = _standalone_ini(root)
    silat = Path(sys.executable).with_name("silat")
    subprocess.run([str(silat), "-c", str(ini), "init", "--demo"], check=True,
                   stdout=subprocess.DEVNULL)
    return ini


@contextlib.contextmanager
def serving(app, var):
    """``app`` served by waitress on a free loopback port, as a LiveSite;
    its databases are closed afterwards."""
    from waitress.server import create_server
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield LiveSite(f"http://127.0.0.1:{server.effective_port}", app, var)
    finally:
        server.close()
        thread.join(5)
        for db in app.registry._zodb_databases.values():
            db.close()


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    from pyramid.paster import get_app
    root = tmp_path_factory.mktemp("browser-site")
    app = get_app(str(make_site(root)), "main")
    with serving(app, root / "var") as site:
        yield site


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Screens:
    """Numbered screenshots of every step, in run order."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.taken = []            # (file name, caption)

    def save(self, page, name, caption=""):
        from PIL import Image
        png = page.screenshot(full_page=True, animations="disabled")
        return self.save_image(Image.open(io.BytesIO(png)), name, caption)

    def save_pdf(self, data, name, caption=""):
        """The first page of a PDF (rendered by PDFium), as a gallery image."""
        import pypdfium2
        document = pypdfium2.PdfDocument(data)
        try:
            return self.save_image(document[0].render(scale=1.5).to_pil(), name, caption)
        finally:
            document.close()

    def save_image(self, image, name, caption=""):
        slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
        filename = f"{len(self.taken) + 1:03d}-{slug}.png"
        image = image.convert("RGB")
        if image.height > 2400:                   # keep the gallery small
            image = image.crop((0, 0, image.width, 2400))
        image.quantize(colors=128).save(self.folder / filename, optimize=True)
        self.taken.append((filename, caption or name))
        return filename

    def write_index(self):
        lines = ["# SILAT screens", "",
                 "Made by the browser journeys (`python3 dev.py screens`), in the order",
                 "the journeys take them: desktop at 1280 px, phone at 390 px.",
                 f"Regenerated {dt.date.today().isoformat()}.", ""]
        for filename, caption in self.taken:
            lines += [f"## {caption}", "", f"![{caption}]({filename})", ""]
        (self.folder / "README.md").write_text("\n".join(lines))


@pytest.fixture(scope="session")
def screens(tmp_path_factory):
    folder = os.environ.get("SILAT_SCREENS") or tmp_path_factory.mktemp("screens")
    gallery = Screens(folder)
    yield gallery
    if os.environ.get("SILAT_SCREENS"):
        gallery.write_index()


@pytest.fixture
def open_page(browser, live_site, screens, request):
    """``open_page(width=1280)`` -> a fresh browser context's page; the
    page is screenshotted when the test fails."""
    contexts = []

    def _open(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=live_site.url,
                                      locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield _open
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for context in contexts:
            for page in context.pages:
                try:
                    screens.save(page, f"FAILED {request.node.name}", f"Failure in {request.node.name}")
                    print(f"--- failed on {page.url}\n{page.inner_text('main')[:3000]}")
                except Exception:                     # the page may be gone
                    pass
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
