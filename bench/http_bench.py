"""HTTP benchmark (issue 16): the real app under waitress, driven over HTTP.

Builds N synthetic dossiers (``search_bench.build``) in a temp site with
a real FileStorage, rebuilds the index, writes an ini shaped like
``etc/standalone.ini`` (one waitress process, embedded FileStorage,
``--threads`` threads, templates not reloaded as in production) and
starts ``pserve`` on it as a separate process. Then concurrent keep-alive
clients (threads, ``http.client``) request, at each concurrency level:

* the public portal page ``/portal/izin`` over the query mix of
  ``search_bench.query_mix`` (one word, 2-3 words, word + kecamatan,
  dates, number, "izin", filter only, holder; 15% on pages 2-5), anonymous;
* ``GET /api/v1/search`` with an API token (POST /api/v1/auth/token) of an
  agency officer (petugas_opd, DINKES) and of an archivist.

Prints requests/s, p50/p95 latency, the server's CPU time per request
(less disturbed by other load on the machine than the latencies), errors
(any non-200) per level, and the server's RSS after each warm-up and its
peak (VmHWM); the server is always stopped at the end.

    PYTHONPATH=$PWD/src .venv/bin/python -W ignore bench/http_bench.py   # 20,000 dossiers
    ... bench/http_bench.py --n 2000                       # quick run
    ... bench/http_bench.py --keep /tmp/http20k            # build once, reuse after
    ... bench/http_bench.py --keep /tmp/http20k --no-rebuild --save-pages /tmp/pages
    ... bench/http_bench.py --keep /tmp/h500k --no-rebuild   # /tmp/h500k/var: a search_bench site
"""
import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search_bench import NAMES, WORDS, corpus, percentile, query_mix, settings_for  # noqa: E402

from silat import main  # noqa: E402
from silat.resources.site import ZODB_ROOT_KEY  # noqa: E402
from silat.security.accounts import create_user  # noqa: E402

ETC = Path(__file__).resolve().parents[1] / "etc"
PASSWORD = "Rahasia-2026x"
USERS = (("opd.dinkes", ("petugas_opd",), "DINKES"), ("arsiparis.bench", ("arsiparis",), None))
FAST = ("silat.argon2.time_cost = 1\nsilat.argon2.memory_cost = 1024\n"
        "silat.argon2.parallelism = 1\n")


def prepare(root, n, rebuild):
    """Corpus, users and index under ``root/var``; the public register's permit numbers."""
    var = str(root / "var")
    reuse = os.path.exists(os.path.join(var, "Data.fs"))
    app = main({"__file__": "bench"}, **settings_for(var))
    db = app.registry._zodb_databases[""]
    try:
        services, kecamatan = corpus(app, var, n, reuse, rebuild)
        with db.transaction() as conn:      # also on a reused search_bench corpus
            site = conn.root()[ZODB_ROOT_KEY]
            for username, roles, agency in USERS:
                if username not in site["pengguna"]:
                    create_user(site, username, PASSWORD, roles=roles, agency=agency)
        service = app.registry.silat_index
        register = [{"permit_number": s["permit_number"]}
                    for s in service.public_searcher().all_stored_fields()]
        service.close()
    finally:
        db.close()
    print(f"public register: {len(register):,} issued permits")
    return register, services, kecamatan


def write_ini(root, threads, template="standalone.ini", changes=()):
    """``etc/<template>`` under ``root/etc`` (its var is ``root/var``):
    production's template setting, ``threads`` waitress threads, WARN logs,
    then each ``(old, new)`` of ``changes`` replaced."""
    text = (ETC / template).read_text()
    text = text.replace("use = egg:silat\n", "use = egg:silat\n" + FAST, 1)
    text = text.replace("pyramid.reload_templates = true", "pyramid.reload_templates = false")
    text = text.replace("threads = 4", f"threads = {threads}")
    text = text.replace("level = INFO", "level = WARN").replace("level = DEBUG", "level = WARN")
    for old, new in changes:
        text = text.replace(old, new)
    (root / "etc").mkdir(exist_ok=True)
    ini = root / "etc" / template
    ini.write_text(text)
    return str(ini)


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(ini, port, log_path):
    log = open(log_path, "ab")
    pserve = Path(sys.executable).parent / "pserve"
    process = subprocess.Popen([str(pserve), ini, f"http_port={port}"],
                               env={**os.environ, "SILAT_PORT": str(port)},
                               stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pserve exited with {process.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/layanan")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer on port {port}")


def stop_server(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def memory(pid):
    """VmRSS, VmHWM, RssAnon, RssFile of a process, in MB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
                name, kb = line.split()[:2]
                values[name[:-1]] = int(kb) / 1024
    return values


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def token(port, username):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/v1/auth/token", json.dumps({"username": username, "password": PASSWORD}),
                 {"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 201:
        raise RuntimeError(f"token for {username}: {response.status} {body[:200]!r}")
    return json.loads(body)["token"]


def portal_paths(register, kecamatan, count):
    """The portal URLs of ``search_bench.query_mix`` (its "service" kind is word + kecamatan)."""
    paths = []
    for _kind, words, kec, dates, page in query_mix(random.Random(11), register, [], kecamatan, count):
        params = [("q", words), ("kecamatan", kec)]
        if dates:
            params += [("issued_from", dates[0].isoformat()), ("issued_to", dates[1].isoformat())]
        if page > 1:
            params.append(("page", str(page)))
        query = urllib.parse.urlencode([(k, v) for k, v in params if v])
        paths.append("/portal/izin" + ("?" + query if query else ""))
    return paths


def officer_paths(count, seed=13):
    """Officer searches as in search_bench: no words, a word, an applicant, a
    service word; relevance or newest first."""
    rnd = random.Random(seed)
    paths = []
    for _ in range(count):
        q = rnd.choice(("", rnd.choice(WORDS), f"pemohon:{rnd.choice(NAMES).lower()}",
                        f"layanan:{rnd.choice(WORDS)}"))
        params = [("q", q)] if q else []
        params.append(("sort", rnd.choice(("relevance", "date"))))
        paths.append("/api/v1/search?" + urllib.parse.urlencode(params))
    return paths


def drive(port, paths, concurrency, headers=None, save=None):
    """Request every path once with ``concurrency`` keep-alive clients:
    (seconds, latencies in ms, errors)."""
    counter = itertools.count()
    latencies, errors = [], []
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, failed = [], []
        while True:
            i = next(counter)
            if i >= len(paths):
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", paths[i], headers=headers or {})
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    failed.append(f"{response.status} {paths[i]}")
                elif save:
                    Path(save, f"{i:04d}.html").write_bytes(body)
            except (OSError, http.client.HTTPException) as exc:
                failed.append(f"{exc!r} {paths[i]}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append((time.perf_counter() - t0) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors


def measured(pid, port, paths, concurrency, headers=None, save=None):
    """``drive`` plus the server's CPU time over the run."""
    before = cpu_seconds(pid)
    result = drive(port, paths, concurrency, headers, save)
    return result + (cpu_seconds(pid) - before,)


def report(label, concurrency, result):
    seconds, latencies, errors, cpu = result
    print(f"  {label:<28} c={concurrency:<2} {len(latencies) / seconds:7.1f} req/s   "
          f"p50 {percentile(latencies, 50):7.1f} ms   p95 {percentile(latencies, 95):7.1f} ms   "
          f"server CPU {cpu * 1000 / len(latencies):5.1f} ms/req   errors {len(errors)}", flush=True)
    for line in errors[:5]:
        print(f"    error: {line}")
    return len(errors)


def run(args):
    root = Path(args.keep or tempfile.mkdtemp(prefix="silat-http-"))
    root.mkdir(parents=True, exist_ok=True)
    server = None
    errors = 0
    try:
        register, _services, kecamatan = prepare(root, args.n, not args.no_rebuild)
        ini = write_ini(root, args.threads)
        port = free_port()
        print(f"load average before the run: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
              f"{os.getloadavg()[2]:.2f}", flush=True)
        server = start_server(ini, port, root / "pserve.log")
        print(f"server: pserve pid {server.pid}, {args.threads} waitress threads, port {port}; "
              f"RSS after start {memory(server.pid)['VmRSS']:.0f} MB")
        portal = portal_paths(register, kecamatan, args.requests)
        officer = officer_paths(args.api_requests)
        tokens = {username: token(port, username) for username, _roles, _agency in USERS}
        # first request (the sets are read from the register's segments), then a warm-up pass
        t0 = time.perf_counter()
        drive(port, portal[:1], 1)
        print(f"first portal request: {(time.perf_counter() - t0) * 1000:.0f} ms")
        if args.save_pages:
            os.makedirs(args.save_pages, exist_ok=True)
        pid = server.pid
        errors += report("warm-up portal", 4, measured(pid, port, portal, 4, save=args.save_pages))
        print(f"RSS after the portal warm-up: {memory(pid)['VmRSS']:.0f} MB")
        for username, key in tokens.items():
            errors += report(f"warm-up api {username}", 4,
                             measured(pid, port, officer, 4, {"Authorization": f"Bearer {key}"}))
        print(f"RSS after the API warm-up: {memory(pid)['VmRSS']:.0f} MB")
        levels = [int(c) for c in args.concurrency.split(",")]
        print(f"portal /portal/izin, {len(portal)} requests per level (anonymous):")
        for c in levels:
            errors += report("portal", c, measured(pid, port, portal, c))
        for username, key in tokens.items():
            print(f"GET /api/v1/search as {username}, {len(officer)} requests per level:")
            for c in levels:
                errors += report(f"api {username}", c,
                                 measured(pid, port, officer, c, {"Authorization": f"Bearer {key}"}))
        mem = memory(pid)
        print(f"server RSS at the end: {mem['VmRSS']:.0f} MB (anonymous {mem['RssAnon']:.0f} MB, "
              f"file pages {mem['RssFile']:.0f} MB); peak (VmHWM): {mem['VmHWM']:.0f} MB")
        print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"errors (non-200 or failed requests): {errors}")
    finally:
        if server is not None:
            stop_server(server)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="dossiers (default 20000)")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads (default 4)")
    parser.add_argument("--concurrency", default="1,4,8", help="client levels (default 1,4,8)")
    parser.add_argument("--requests", type=int, default=600, help="portal requests per level")
    parser.add_argument("--api-requests", type=int, default=200, help="API requests per level and user")
    parser.add_argument("--keep", metavar="DIR", help="build the site in DIR and keep it; "
                        "when DIR already holds one, reuse it")
    parser.add_argument("--no-rebuild", action="store_true", help="with --keep on a kept site: "
                        "serve the index as it is")
    parser.add_argument("--save-pages", metavar="DIR", help="write the warm-up pass's portal "
                        "pages to DIR (to compare the results of two versions)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))     # still stop the server (finally)
    sys.exit(run(parser.parse_args()))
