"""The run command: a ZEO server over var/Data.fs, the app as its client,
the jobs runner (and the indexer, when configured), stopped together.

    python -m silat.ops.stack etc/development.ini [--port N]

With a ``file://`` database URI (etc/standalone.ini) only the app runs:
the FileStorage is locked by it, so neither jobs nor ``silat`` commands can
run beside it. Ctrl-C (SIGINT) or SIGTERM stops the app processes first,
then the ZEO server.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from pyramid.paster import get_appsettings

BIN = Path(sys.executable).parent


def zeo_address(uri):
    """The ZEO address of a ``zeo://`` URI: a socket path or (host, port); None otherwise."""
    if not uri.startswith("zeo://"):
        return None
    parts = urlsplit(uri)
    if parts.hostname:
        return parts.hostname, parts.port or 8100
    return os.path.normpath(parts.path)


def zeo_config(address, var):
    listen = address if isinstance(address, str) else f"{address[0]}:{address[1]}"
    return (f"<zeo>\n  address {listen}\n</zeo>\n"
            f"<blobstorage 1>\n  blob-dir {var}/blobs\n"
            f"  <filestorage>\n    path {var}/Data.fs\n  </filestorage>\n</blobstorage>\n"
            f"<eventlog>\n  <logfile>\n    path {var}/log/zeo.log\n  </logfile>\n</eventlog>\n")


def reachable(address):
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        try:
            sock.connect(address)
            return True
        except OSError:
            return False


class Stack:
    def __init__(self, ini, port=None):
        self.ini = str(Path(ini).resolve())
        self.settings = get_appsettings(self.ini, "main")
        self.var = os.path.abspath(self.settings["silat.var_dir"])
        self.address = zeo_address(self.settings["zodbconn.uri"])
        self.port = port
        self.zeo = None
        self.children = []     # (name, Popen) of the client processes
        self.stopping = False

    def spawn(self, name, args, env=None):
        print(f"silat stack: starting {name}", flush=True)
        # A session of its own: Ctrl-C reaches only the stack, which stops
        # the children in order (the app before the storage).
        return subprocess.Popen(args, env=env, start_new_session=True)

    def silat(self, *args):
        return [sys.executable, "-m", "silat.cli.main", "-c", self.ini, *args]

    def start_zeo(self):
        if isinstance(self.address, str) and os.path.exists(self.address):
            if reachable(self.address):
                raise SystemExit(f"silat stack: a ZEO server already listens on {self.address}")
            os.unlink(self.address)       # left over from a killed server
        conf = os.path.join(self.var, "zeo-run.conf")
        with open(conf, "w") as f:
            f.write(zeo_config(self.address, self.var))
        self.zeo = self.spawn("ZEO server", [sys.executable, "-m", "ZEO.runzeo", "-C", conf])
        deadline = time.monotonic() + 30
        while not reachable(self.address):
            if self.zeo.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("silat stack: the ZEO server did not start")
            time.sleep(0.1)

    def start(self):
        os.makedirs(os.path.join(self.var, "log"), exist_ok=True)
        if self.address is not None:
            self.start_zeo()
        if subprocess.run(self.silat("init", "--demo")).returncode:
            raise SystemExit("silat stack: silat init failed")
        env = dict(os.environ)
        if self.port:
            env["SILAT_PORT"] = str(self.port)
        self.children.append(("app", self.spawn("app", [str(BIN / "pserve"), self.ini], env=env)))
        if self.address is None:
            print("silat stack: standalone FileStorage: no jobs runner beside the app "
                  "(use etc/development.ini for ZEO)", flush=True)
            return
        self.children.append(("jobs", self.spawn("jobs runner", self.silat("jobs", "run"))))
        if self.settings.get("silat.search.indexer", "thread") == "external":
            self.children.append(("indexer", self.spawn("indexer", self.silat("indexer"))))

    def stop(self, *_):
        if self.stopping:
            return
        self.stopping = True
        for _name, proc in self.children:
            if proc.poll() is None:
                proc.terminate()
        for name, proc in self.children:
            _wait(name, proc)
        if self.zeo is not None and self.zeo.poll() is None:
            self.zeo.terminate()
            _wait("ZEO server", self.zeo)
        print("silat stack: stopped", flush=True)

    def run(self):
        """Serve until a signal or until a process exits; return the exit code."""
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, lambda *_: self.stop())
        try:
            self.start()
            while not self.stopping:
                for name, proc in [("ZEO server", self.zeo), *[(n, p) for n, p in self.children]]:
                    if proc is not None and proc.poll() is not None and not self.stopping:
                        print(f"silat stack: {name} exited ({proc.returncode}); stopping",
                              file=sys.stderr, flush=True)
                        self.stop()
                        return 1
                time.sleep(0.2)
            return 0
        finally:
            self.stop()


def _wait(name, proc, timeout=20):
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        print(f"silat stack: {name} did not stop; killing it", file=sys.stderr, flush=True)
        proc.kill()
        proc.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="silat-stack", description=__doc__.splitlines()[0])
    parser.add_argument("ini")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    return Stack(args.ini, args.port).run()


if __name__ == "__main__":
    sys.exit(main())
