"""A private PostgreSQL cluster in a temp dir on a free port (Debian's packages)."""
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.ops.helpers import free_port

PG_BIN = Path("/usr/lib/postgresql")


def pg_bin():
    """The directory of initdb/pg_ctl, installing Debian's postgresql if absent."""
    def find():
        if shutil.which("initdb") and shutil.which("pg_ctl"):
            return Path(shutil.which("initdb")).resolve().parent
        versions = sorted(PG_BIN.glob("*/bin/initdb")) if PG_BIN.exists() else []
        return versions[-1].parent if versions else None
    found = find()
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], env=env,
                       capture_output=True, timeout=600)
        found = find()
    return found


class Cluster:
    def __init__(self, bindir):
        self.bindir = bindir
        self.dir = tempfile.mkdtemp(prefix="silat-pg-")
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:           # initdb refuses root: run the cluster as postgres
            self.user = "postgres"
            shutil.chown(self.dir, self.user)
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")

    def _run(self, *args):
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed: {result.stdout}{result.stderr}")
        return result

    def start(self):
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        self._run("pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"),
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off", "start")
        return self

    def dsn(self, dbname="postgres"):
        return f"dbname='{dbname}' user='postgres' host='{self.dir}' port='{self.port}'"

    def create_database(self, name):
        import psycopg2
        conn = psycopg2.connect(self.dsn())
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()

    def stop(self):
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.dir, ignore_errors=True)
