"""Opening the database for a command, with one line instead of a traceback
when the storage is locked by a running server or the ZEO server is down."""
import sys

from zc.lockfile import LockError


def open_env(factory, args):
    """``factory(args.config)``, or None after printing what to do."""
    try:
        return factory(args.config)
    except LockError as exc:
        print(f"silat: the database is locked by a running SILAT server ({exc}). Stop it first, "
              "or serve with ZEO ('python3 dev.py serve', etc/development.ini) so commands "
              "can run beside it.", file=sys.stderr)
    except Exception as exc:       # noqa: BLE001 - only ZEO's disconnect is handled here
        from ZEO.Exceptions import ClientDisconnected
        if not isinstance(exc, ClientDisconnected):
            raise
        print(f"silat: the ZEO server does not answer ({exc}). Start it ('python3 dev.py serve', "
              "or 'runzeo -C etc/zeo.conf' / the silat-zeo service) and try again.", file=sys.stderr)
    return None


class SettingsEnv:
    """The env of a command that needs the settings but not the database."""

    def __init__(self, config_uri):
        from pyramid.paster import get_appsettings, setup_logging
        self.config_uri = config_uri
        setup_logging(config_uri)
        self.settings = get_appsettings(config_uri, "main")

    def close(self):
        pass
