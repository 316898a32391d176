"""SILAT - Sistem Informasi Pelayanan Terpadu.

``main`` is the WSGI application factory named by the ini files.
"""
import logging
import os

from pyramid.config import Configurator

from silat.resources.site import bootstrap, root_factory

log = logging.getLogger(__name__)

DEFAULTS = {
    "tm.manager_hook": "pyramid_tm.explicit_manager",
    "retry.attempts": "5",
    "pyramid.default_locale_name": "id",
}


def make_config(settings):
    """The Configurator with every SILAT package included (not yet committed)."""
    settings = {**DEFAULTS, **settings}
    if settings.get("silat.var_dir"):
        os.makedirs(settings["silat.var_dir"], exist_ok=True)    # Data.fs, blobs, index live here
    config = Configurator(settings=settings, root_factory=root_factory)
    config.include("pyramid_chameleon")
    config.include("pyramid_retry")
    config.include("pyramid_tm")
    config.include("pyramid_zodbconn")
    config.include("silat.retrylog")
    config.include("silat.safety")
    config.include("silat.i18n")
    config.include("silat.security")
    config.include("silat.api")
    config.include("silat.notify")
    config.include("silat.workflow")
    config.include("silat.views")
    config.include("silat.catalog")
    config.include("silat.recommendations")
    config.include("silat.permits")
    config.include("silat.search")
    config.include("silat.archive")
    config.include("silat.intake")
    config.include("silat.complaints")
    config.include("silat.information")
    config.include("silat.survey")
    config.include("silat.reports")     # after silat.workflow: its transition subscriber runs last
    config.add_static_view("static/deform", "deform:static", cache_max_age=86400)
    config.add_static_view("static/silat", "silat:static", cache_max_age=3600)
    return config


def open_site(registry):
    """Create the site on first run and say when the data needs evolving."""
    from silat.evolve import LATEST

    db = registry._zodb_databases[""]
    read_your_writes(db)
    with db.transaction() as conn:
        site = bootstrap(conn.root())
        if site.generation < LATEST:
            log.warning("stored data is at generation %s, code expects %s: run 'silat evolve'",
                        site.generation, LATEST)


def read_your_writes(db):
    """On ZEO, make every transaction begin with a server round trip, so it
    sees all that other processes committed before it (ZEO's
    ``server_sync``). Without it, a request that follows a write
    acknowledged by another app process (or a CLI command) could read the
    data as it was before that write. The ``zeo://`` URI cannot set the
    option, so it is set on the connected storage; ZODB's per-connection
    adapters took the storage's ``sync`` when they were made, so the
    connections already in the pool get the round trip too."""
    storage = db.storage
    if not hasattr(storage, "server_sync"):
        return
    storage.server_sync = True              # ZEO applies it on every reconnection
    ping = getattr(storage, "ping", None)
    if ping is None:
        return
    storage.sync = ping
    for conn in list(db.pool.all):
        adapter = getattr(conn, "_storage", None)
        if hasattr(adapter, "_sync"):
            adapter._sync = ping


def main(global_config, **settings):
    config = make_config(settings)
    app = config.make_wsgi_app()
    open_site(app.registry)
    return app
