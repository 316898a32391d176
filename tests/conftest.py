"""Shared fixtures: a real SILAT app on a real FileStorage in a temp dir.

A test that asks for ``seeded`` gets a copy of a database that was
seeded once per test session (catalog + demo accounts), which keeps the
permission matrix and the catalog tests fast.
"""
import contextlib
import os
import shutil
import tempfile

os.environ.setdefault("CHAMELEON_CACHE", tempfile.mkdtemp(prefix="silat-chameleon-"))

import pytest
import transaction
import webtest

from silat import main
from silat.cli.demo import create_demo_accounts, DEMO_PASSWORD
from silat.resources.site import ZODB_ROOT_KEY
from silat.security.accounts import create_user
from tests.web import free_port


@pytest.fixture
def settings(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    return {
        "zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
        "silat.secret_file": str(var / "secret"),
        "silat.var_dir": str(var),
        "silat.secure_cookies": "false",
        "retry.attempts": "5",
        # index in the committing thread, so a page sees its own change at once;
        # tests/search/test_background.py covers the background worker
        "silat.search.background": "false",
        # cheap hashing keeps the suite fast; production uses argon2's defaults
        "silat.argon2.time_cost": "1",
        "silat.argon2.memory_cost": "1024",
        "silat.argon2.parallelism": "1",
    }


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """A seeded Data.fs made once per session (and per xdist worker)."""
    var = tmp_path_factory.mktemp("seeded") / "var"
    var.mkdir()
    settings = {
        "zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
        "silat.secret_file": str(var / "secret"), "silat.var_dir": str(var),
        "silat.argon2.time_cost": "1", "silat.argon2.memory_cost": "1024",
        "silat.argon2.parallelism": "1", "silat.search.background": "false",
    }
    application = main({"__file__": "test"}, **settings)
    db = application.registry._zodb_databases[""]
    from silat.catalog import loader
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        loader.load(site, apply=True)
        create_demo_accounts(site)
    index = getattr(application.registry, "silat_index", None)
    if index is not None:
        index.wait_rebuilt(timeout=None)    # the template carries a complete index
    db.close()
    return var


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": message["subject"],
                              "body": message.get_body(("plain",)).get_content(), "message": message})
        return "250 OK"

    def wait(self, count, timeout=5.0):
        import time
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def app(settings, request):
    if "smtp_sink" in request.fixturenames:
        sink = request.getfixturevalue("smtp_sink")
        settings = {**settings, "mail.host": "127.0.0.1", "mail.port": str(sink.controller.port)}
    if "seeded" in request.fixturenames:
        template = request.getfixturevalue("seeded_template")
        var = os.path.dirname(settings["silat.secret_file"])
        for name in ("Data.fs", "secret"):
            shutil.copy(template / name, os.path.join(var, name))
        shutil.copytree(template / "blobs", os.path.join(var, "blobs"))
        if (template / "index").exists():   # the seeded site's index: no rebuild at start
            shutil.copytree(template / "index", os.path.join(var, "index"))
    application = main({"__file__": "test"}, **settings)
    yield application
    index = getattr(application.registry, "silat_index", None)
    if index is not None:           # as a shutdown: the index's retries stop before the database
        index.close()
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def db(app):
    return app.registry._zodb_databases[""]


@pytest.fixture
def edit_site(db):
    """``with edit_site() as site:`` changes the site in a committed transaction."""
    @contextlib.contextmanager
    def _edit():
        tm = transaction.TransactionManager(explicit=True)
        conn = db.open(transaction_manager=tm)
        try:
            with tm:
                yield conn.root()[ZODB_ROOT_KEY]
        finally:
            conn.close()
    return _edit


@pytest.fixture
def seeded(app):
    """A site with the seeded catalog and the demo accounts (as
    ``silat init --demo``); returns the demo password."""
    return DEMO_PASSWORD


@pytest.fixture
def testapp(app):
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


@pytest.fixture
def make_user(edit_site):
    def _make(username, *roles, agency=None, password="Rahasia-2026x", **kw):
        with edit_site() as site:
            create_user(site, username, password, roles=roles, agency=agency, **kw)
        return password
    return _make
