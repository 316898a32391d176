#!/usr/bin/env python3
"""Set up SILAT on a fresh machine and run it or its tests.

    python3 dev.py serve     # set up, initialise var/, serve http://127.0.0.1:6543
    python3 dev.py test      # set up, run the whole test suite
    python3 dev.py screens   # run the browser journeys, rebuild docs/screens/

Both are idempotent: the virtual environment in .venv/ is made once and
reinstalled only when setup.cfg or constraints.txt change. Needs only
Python 3.11 and the package registries. Extra arguments after ``test``
go to pytest; ``serve --port N`` (or SILAT_PORT=N) changes the port;
``serve --standalone`` serves one process on a FileStorage (no ZEO).
"""
import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".silat-installed"
INI = HERE / "etc" / "development.ini"
STANDALONE = HERE / "etc" / "standalone.ini"


def run(*cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=HERE, **kw).returncode


def inputs_digest():
    digest = hashlib.sha256()
    for name in ("setup.cfg", "pyproject.toml", "constraints.txt"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()


def setup():
    """Create .venv and install SILAT with its test extras, if needed."""
    if sys.version_info[:2] != (3, 11):
        print(f"warning: SILAT is built for Python 3.11, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == inputs_digest():
        return
    pip = [BIN / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    constraint = ["-c", HERE / "constraints.txt"]
    if run(*pip, "install", *constraint, "setuptools", "wheel") or \
            run(*pip, "install", *constraint, "-e", ".[test]"):
        sys.exit("setup failed")
    STAMP.write_text(inputs_digest())


CHROMIUM = Path("/usr/bin/chromium")


def ensure_chromium():
    """The browser tests drive Debian's Chromium (Playwright's own browser
    download is not used): install it with apt-get when it is missing."""
    if CHROMIUM.exists() or os.environ.get("SILAT_SKIP_BROWSER_INSTALL"):
        return
    if os.name == "nt" or not Path("/usr/bin/apt-get").exists():
        print("warning: no /usr/bin/chromium; the browser tests will fail")
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*sudo, "apt-get", "update", "-q", env=env)
    if run(*sudo, "apt-get", "install", "-y", "-q", "chromium", env=env):
        sys.exit("could not install chromium")


def screens(args):
    """Run the browser journeys and rebuild the gallery in docs/screens/."""
    env = {**os.environ, "SILAT_SCREENS": str(HERE / "docs" / "screens")}
    return run(BIN / "python", "-m", "pytest", "-p", "no:xdist", "-q", "tests/browser", *args, env=env)


def serve(args):
    port = os.environ.get("SILAT_PORT", "6543")
    if "--port" in args:
        port = args[args.index("--port") + 1]
    ini = STANDALONE if "--standalone" in args else INI
    print(f"SILAT at http://127.0.0.1:{port}/  (Ctrl-C stops)", flush=True)
    # ZEO server + app + jobs runner (etc/development.ini), or the app alone
    # on a FileStorage (--standalone); silat.ops.stack stops them together
    # Ctrl-C is the stack's to handle (it stops the app, then ZEO): here it
    # must not interrupt the wait, or subprocess would kill the stack first
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return run(BIN / "python", "-m", "silat.ops.stack", ini, "--port", port)
    finally:
        signal.signal(signal.SIGINT, previous)


def test(args):
    # loadfile: a file's tests stay in one worker (the browser journeys hand on state)
    xdist = [] if any(a.startswith("-n") for a in args) else \
        ["-n", os.environ.get("SILAT_TEST_WORKERS", "2"), "--dist", "loadfile"]
    return run(BIN / "python", "-m", "pytest", *xdist, *args)


def main(argv):
    if not argv or argv[0] not in ("serve", "test", "setup", "screens"):
        print(__doc__)
        return 2
    setup()
    command, rest = argv[0], argv[1:]
    if command in ("setup", "test", "screens"):
        ensure_chromium()
    if command == "setup":
        return 0
    if command == "screens":
        return screens(rest)
    return serve(rest) if command == "serve" else test(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
