"""The README's ways of choosing the port: pserve's http_port= and SILAT_PORT."""
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.web import free_port

ETC = Path(__file__).resolve().parent.parent / "etc"


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.parametrize("how", ["http_port", "SILAT_PORT"])
def test_pserve_serves_the_site_on_the_chosen_port(tmp_path, how):
    (tmp_path / "etc").mkdir()
    shutil.copy(ETC / "standalone.ini", tmp_path / "etc" / "standalone.ini")
    port = free_port()
    args = [str(Path(sys.executable).parent / "pserve"), str(tmp_path / "etc" / "standalone.ini")]
    env = dict(os.environ)
    if how == "http_port":
        args.append(f"http_port={port}")
    else:
        env["SILAT_PORT"] = str(port)
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        status, body = wait_for(f"http://127.0.0.1:{port}/layanan", process)
        assert status == 200 and "SILAT" in body
        assert (tmp_path / "var" / "Data.fs").exists()      # the embedded FileStorage under var/
    finally:
        process.terminate()
        process.wait(10)
