"""The README's run command: ZEO + app + jobs runner, with `silat` beside it."""
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.ops.helpers import PY, free_port, make_site, silat, silat_ok, stop, wait_http


def processes_under(path):
    """Pids whose command line mentions ``path``."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(path) in cmdline and int(pid) != os.getpid():
                found.append(int(pid))
    return found


def test_run_command_serves_with_zeo_and_every_command_works_beside_it(tmp_path):
    ini = make_site(tmp_path, "development.ini")
    port = free_port()
    log = open(tmp_path / "stack.log", "w+")
    stack = subprocess.Popen([PY, "-m", "silat.ops.stack", ini, "--port", str(port)],
                             stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/layanan", stack) == 200
        assert (tmp_path / "var" / "zeo.sock").exists()
        out = silat_ok(ini, "create-user", "siti", "--role", "Petugas OPD", "--agency", "DINKES",
                       "--password-stdin", stdin="Kata-Sandi-2026\n")
        assert "siti" in out
        assert "new marks" in silat_ok(ini, "sla", "check")
        assert "0 broken" in silat_ok(ini, "audit", "verify")
        silat_ok(ini, "index", "verify")
        # the jobs runner started with the stack and ran each job once, logging it
        deadline = time.monotonic() + 30
        while "job audit-verify" not in (tmp_path / "stack.log").read_text():
            assert time.monotonic() < deadline, (tmp_path / "stack.log").read_text()
            time.sleep(0.3)
    finally:
        stack.send_signal(signal.SIGINT)         # Ctrl-C
        code = stack.wait(60)
    assert code == 0
    text = (tmp_path / "stack.log").read_text()
    assert "silat stack: stopped" in text and "Traceback" not in text
    assert processes_under(tmp_path) == []      # ZEO, app and jobs all ended


def test_a_command_on_a_locked_standalone_storage_says_what_to_do(tmp_path):
    ini = make_site(tmp_path, "standalone.ini")
    silat_ok(ini, "init")
    port = free_port()
    app = subprocess.Popen([str(Path(PY).parent / "pserve"), ini, f"http_port={port}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/layanan", app)
        result = silat(ini, "sla", "check")
    finally:
        stop(app)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("silat:")]
    assert len(lines) == 1 and "locked" in lines[0] and "dev.py serve" in lines[0]
