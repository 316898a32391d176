"""What every subcommand gets: the settings and the open database."""
import contextlib
import logging

import transaction
from transaction.interfaces import NoTransaction
from pyramid.paster import get_app, setup_logging

from silat.resources.site import ZODB_ROOT_KEY, bootstrap


class CliEnv:
    def __init__(self, config_uri):
        self.config_uri = config_uri
        setup_logging(config_uri)
        self.app = get_app(config_uri, "main")
        self.registry = self.app.registry
        self.settings = self.registry.settings
        self.db = self.registry._zodb_databases[""]
        index = getattr(self.registry, "silat_index", None)
        if index is not None:
            index.background_delay = None     # a command indexes what it changed before it exits
        self.log = logging.getLogger("silat.cli")

    @contextlib.contextmanager
    def site(self, note=None):
        """The site in a transaction: committed on success, else aborted."""
        tm = transaction.TransactionManager(explicit=True)
        conn = self.db.open(transaction_manager=tm)
        try:
            with tm:
                if note:
                    tm.get().note(note)
                yield conn.root()[ZODB_ROOT_KEY] if ZODB_ROOT_KEY in conn.root() else bootstrap(conn.root())
        finally:
            conn.close()

    @contextlib.contextmanager
    def connection(self):
        """A raw connection whose transactions the caller manages."""
        tm = transaction.TransactionManager(explicit=True)
        conn = self.db.open(transaction_manager=tm)
        try:
            yield conn, tm
        finally:
            try:
                tm.abort()
            except NoTransaction:
                pass
            conn.close()

    def close(self):
        index = getattr(self.registry, "silat_index", None)
        if index is not None and hasattr(index, "wait_rebuilt"):
            # a rebuild the command set off (index missing) finishes before the
            # database closes under it
            index.wait_rebuilt(timeout=None)
        self.db.close()
