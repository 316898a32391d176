#!/usr/bin/env python3
"""Page benchmark (issue 16): the dossier page, the worklists and the
archive browse at realistic scale, through the real WSGI app (WebTest,
logged in as each demo role) on a real FileStorage with blobs and a
rebuilt Whoosh index. Prints p50/p95 server time per page and peak RSS.

    PYTHONPATH=src .venv/bin/python -W ignore bench/pages_bench.py                 # 20,000 dossiers
    PYTHONPATH=src .venv/bin/python -W ignore bench/pages_bench.py --n 2000        # smoke test
    PYTHONPATH=src .venv/bin/python -W ignore bench/pages_bench.py --keep /tmp/pb  # build once, reuse

The dossiers follow the demo generator's plan (``silat.demodata``: about
22 % open). Open dossiers (submitted, returned, verified, in review,
awaiting payment, approved) are played through the real code paths by the
demo ``Generator`` (intake, uploads, verification, transitions,
recommendations), so every worklist index holds them exactly as in
production; closed ones (issued, rejected, withdrawn, draft) are written
directly, as ``bench/search_bench.py`` does, except ``--real-closed`` of
them (default 100) which the generator makes too, for the archive's
dossier page.
"""
import argparse
import datetime as dt
import os
import random
import re
import resource
import shutil
import statistics
import tempfile
import time
from urllib.parse import urlencode

import transaction
import webtest

from silat import main
from silat.catalog import loader
from silat.cli.demo import DEMO_PASSWORD, create_demo_accounts
from silat.demodata import generator as G
from silat.demodata.cli import prepare
from silat.permits.delegation import table as delegation_table
from silat.permits.registry import registry
from silat.permits.signing import generate_dev_ca
from silat.resources.dossier import Dossier
from silat.resources.permit import add_permit
from silat.resources.site import ZODB_ROOT_KEY
from silat.security.localroles import grant

OPEN = {"submitted", "returned", "verified", "in_review", "awaiting_payment", "approved"}
SYNTHETIC_BASE = 500_000          # synthetic numbers never meet the real counters


def settings_for(var, cache=50_000):
    """The app's settings; the connection cache as etc/production.ini sets it."""
    return {"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs"
                            f"&connection_cache_size={cache}",
            "silat.secret_file": f"{var}/secret", "silat.var_dir": var,
            "silat.search.background": "false", "silat.index_catch_up": "false"}


def synthetic(site, p, i):
    """A closed dossier written directly (not in any worklist: its state is final)."""
    number = f"SILAT-{p.filed.year}-{SYNTHETIC_BASE + i:06d}"
    dossier = Dossier(number, p.code, 1, p.owner.username)
    dossier.created = dossier.modified = p.filed
    dossier.applicant, dossier.location = p.applicant, p.location
    dossier.fields = {}
    site["berkas"].add(number, dossier)
    dossier.state = p.state
    grant(dossier, f"user:{dossier.owner}", "owner")
    if p.state == "issued":
        permit = add_permit(dossier, f"503/{p.code}/{i:06d}/{p.filed.year}", "bench",
                            issued_at=p.filed + dt.timedelta(days=5))
        permit.token = f"bench{i}"
    return dossier


def build(app, n, seed, real_closed, batch=200):
    db = app.registry._zodb_databases[""]
    until = dt.datetime.now(dt.timezone.utc).date()
    service = app.registry.silat_index
    service.request_processing = lambda: None        # indexed by the rebuild below
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    tm.begin()
    site = conn.root()[ZODB_ROOT_KEY]
    loader.load(site, apply=True)
    create_demo_accounts(site)
    generate_dev_ca(app.registry.settings)          # as 'silat init' does
    registry(site)
    delegation_table(site)
    prepare(site, until)
    plans = G.plan(n, seed, site, until)
    tm.commit()
    rnd = random.Random(seed)
    closed = [p.index for p in plans if p.state not in OPEN]
    real = set(rnd.sample(closed, min(real_closed, len(closed))))
    gen = G.Generator(app.registry, conn, None)
    gen.ceiling = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    t0, made = time.perf_counter(), 0
    for start in range(0, n, batch):
        tm.begin()
        gen.site = site = conn.root()[ZODB_ROOT_KEY]
        for p in plans[start:start + batch]:
            if p.state in OPEN or p.index in real:
                gen.make(p)
                made += 1
            else:
                synthetic(site, p, p.index)
        tm.commit()
        conn.cacheGC()
        if start // batch % 10 == 9:
            print(f"  {start + batch:,} dossiers ({made:,} through the code paths), "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    tm.begin()        # a fresh snapshot: rebuild() reads this pooled connection without begin()
    tm.abort()
    conn.close()
    del service.request_processing
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    service.rebuild()
    return built, made, time.perf_counter() - t0


def login(app, username):
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    form = client.get("/masuk").forms["deform"]
    form["login"], form["password"] = username, DEMO_PASSWORD
    assert form.submit("masuk").status_int == 303, username
    return client


def measure(samples, name, client, urls, runs, check=None):
    """GET every url (cycled) ``runs`` times after two warm-up requests."""
    for url in urls[:2]:
        client.get(url, status=200)
    times = samples.setdefault(name, [])
    for k in range(runs):
        url = urls[k % len(urls)]
        t0 = time.perf_counter()
        page = client.get(url, status=200)
        times.append((time.perf_counter() - t0) * 1000)
        if check is not None and k == 0:
            check(url, page)
    return page


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def rows_in(page):
    return len(re.findall(r"SILAT-\d{4}-\d{6}", page.text))


def run(n, seed, runs, keep, real_closed):
    var = keep or tempfile.mkdtemp(prefix="silat-pages-bench-")
    reuse = keep is not None and os.path.exists(os.path.join(var, "Data.fs"))
    os.makedirs(var, exist_ok=True)
    try:
        app = main({"__file__": "bench"}, **settings_for(var))
        db = app.registry._zodb_databases[""]
        if reuse:
            print(f"site reused from {var}")
        else:
            built, made, indexed = build(app, n, seed, real_closed)
            print(f"site: {n:,} dossiers in {built:.0f} s ({made:,} through the real code paths), "
                  f"index rebuild {indexed:.0f} s, in {var}")
        with db.transaction() as conn:
            site = conn.root()[ZODB_ROOT_KEY]
            states = {}
            for number, dossier in site["berkas"].items():
                states.setdefault(dossier.state, []).append(number)
            real = {s: [x for x in nums if int(x[-6:]) < SYNTHETIC_BASE] for s, nums in states.items()}
        print("dossiers by state: " + ", ".join(f"{s} {len(v):,}" for s, v in sorted(states.items())))
        print(f"load average before the timed run: {os.getloadavg()[0]:.2f}")

        pick = random.Random(seed)
        samples, shown = {}, {}

        def shows(name, minimum=1):
            def check(url, page):
                shown[name] = rows_in(page)
                assert shown[name] >= minimum, f"{name}: {url} shows no dossier"
            return check

        verifier = login(app, "verifikator")
        measure(samples, "dossier page (verifier, submitted)", verifier,
                [f"/berkas/{x}" for x in pick.sample(real["submitted"], min(50, len(real["submitted"])))],
                runs, shows("dossier page (verifier, submitted)"))
        measure(samples, "verifier worklist /verifikasi", verifier, ["/verifikasi"], runs,
                shows("verifier worklist /verifikasi"))

        signer = login(app, "penandatangan")
        richer = real.get("in_review", []) + real.get("approved", [])
        measure(samples, "dossier page (signer, in review/approved)", signer,
                [f"/berkas/{x}" for x in pick.sample(richer, min(50, len(richer)))], runs)
        measure(samples, "signer worklists /tanda-tangan", signer, ["/tanda-tangan"], runs,
                shows("signer worklists /tanda-tangan"))

        for user, code in (("opd.dinkes", "DINKES"), ("opd.distaru", "DISTARU")):
            name = f"agency inbox /opd/{code}/kotak-masuk"
            measure(samples, name, login(app, user), [f"/opd/{code}/kotak-masuk"], runs, shows(name, 0))

        supervisor = login(app, "pengawas")
        measure(samples, "supervisor late list /pemantauan", supervisor, ["/pemantauan"], runs)

        archivist = login(app, "arsiparis")
        home = archivist.get("/arsip", status=200)
        level1 = sorted(set(re.findall(r'href="[^"]*\?klasifikasi=([^"&]+)"', home.text)))
        assert level1, "archive home shows no classification"
        urls = {"archive browse /arsip (by classification)": ["/arsip"],
                "archive browse: one classification (by year)": [f"/arsip?klasifikasi={c}" for c in level1]}
        leaf = []
        for code in level1[:10]:
            page = archivist.get(f"/arsip?klasifikasi={code}")
            for year in re.findall(r'tahun=(\d{4})', page.text)[:1]:
                page = archivist.get(f"/arsip?klasifikasi={code}&tahun={year}")
                services = re.findall(r'layanan=([^"&]+)', page.text)[:1]
                for svc in services:
                    page = archivist.get(f"/arsip?klasifikasi={code}&tahun={year}&layanan={svc}")
                    for agency in re.findall(r'opd=([^"&]+)', page.text)[:1]:
                        leaf.append(f"/arsip?klasifikasi={code}&tahun={year}&layanan={svc}&opd={agency}")
        urls["archive browse: a leaf (the dossiers, newest first)"] = leaf
        kecamatan = sorted({k["name"] for k in loader.kecamatan()})
        urls["archive search by kecamatan /arsip/cari"] = [f"/arsip/cari?{urlencode({'kecamatan': k})}" for k in kecamatan]
        urls["archive search by year /arsip/cari"] = [f"/arsip/cari?tahun={y}" for y in range(2017, 2027)]
        for name, pages in urls.items():
            if pages:
                measure(samples, name, archivist, pages, runs, shows(name, 0))
        closed_real = [x for s in ("issued", "rejected", "withdrawn") for x in real.get(s, [])]
        if closed_real:
            measure(samples, "archive dossier page /arsip/berkas/<n>", archivist,
                    [f"/arsip/berkas/{x}" for x in closed_real], runs)

        print(f"{runs} requests per page (after 2 warm-up requests), server time through WebTest:")
        for name, values in samples.items():
            rows = f"   ({shown[name]} numbers on the page)" if name in shown else ""
            print(f"  {name:<52} p50 {statistics.median(values):7.1f} ms   "
                  f"p95 {percentile(values, 95):7.1f} ms{rows}")
        print(f"peak resident memory of the process: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        app.registry.silat_index.close()
        db.close()
    finally:
        if keep is None:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="dossiers (default 20000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--real-closed", type=int, default=100,
                        help="closed dossiers made through the code paths (default 100)")
    parser.add_argument("--keep", metavar="DIR", help="build the site in DIR and keep it; "
                        "when DIR already holds one, reuse it")
    args = parser.parse_args()
    run(args.n, args.seed, args.runs, args.keep, args.real_closed)
