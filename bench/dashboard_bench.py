#!/usr/bin/env python3
"""The dashboard over N dossiers' worth of counters.

    .venv/bin/python bench/dashboard_bench.py [N]     # default 20,000; the target is 500,000

Builds a seeded site on a temp FileStorage, records N synthetic dossier
facts through the same ``silat.reports.tallies.record`` the transition
subscriber uses (above 50,000: their sums computed in memory with the
same ``contributions``/``view_keys`` and written once; services from the seeded catalog, 12 kecamatan, two
channels, 24 months, every outcome), then restarts the app (cold cache)
and times, through WebTest as the Pengawas: the stats API and the
dashboard page for a month, a quarter and a year, each cold then warm,
plus one drill-down list.
"""
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CHAMELEON_CACHE", tempfile.mkdtemp(prefix="silat-chameleon-"))

import transaction  # noqa: E402
import webtest  # noqa: E402

from silat import main  # noqa: E402
from silat.catalog import loader  # noqa: E402
from silat.cli.demo import DEMO_PASSWORD, create_demo_accounts  # noqa: E402
from silat.reports.facts import STAGES  # noqa: E402
from BTrees.OOBTree import OOBTree, OOTreeSet  # noqa: E402
from silat.reports.facts import contributions  # noqa: E402
from silat.reports.tallies import Tally, facts, index_keys, record, tallies, view_keys  # noqa: E402
from silat.resources.site import ZODB_ROOT_KEY  # noqa: E402

KECAMATAN = [f"32750{i:02d}" for i in range(10, 130, 10)]
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
OUTCOMES = ["issued"] * 70 + ["rejected"] * 6 + ["withdrawn"] * 4 + list(STAGES) * 3 + ["draft"] * 2


def settings_for(var):
    return {"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs&connection_cache_size=200000",
            "silat.secret_file": str(var / "secret"), "silat.var_dir": str(var),
            "silat.search.background": "false", "silat.secure_cookies": "false",
            "silat.argon2.time_cost": "1", "silat.argon2.memory_cost": "1024",
            "silat.argon2.parallelism": "1"}


def synthetic_fact(rng, services):
    code, agency, recs_from = rng.choice(services)
    month = rng.choice(MONTHS)
    day = f"{month}-{rng.randint(1, 28):02d}"
    state = rng.choice(OUTCOMES)
    fact = {"svc": code, "ag": agency, "kec": rng.choice(KECAMATAN),
            "ch": "loket" if rng.random() < 0.3 else "daring", "state": state,
            "sub": None if state == "draft" else day, "fin": None,
            "ret": 1 if rng.random() < 0.15 else 0, "days": None, "late": None, "due": None,
            "review": (), "recs": (), "fee": None, "paid": None}
    if state in ("issued", "rejected", "withdrawn"):
        end = dt.date.fromisoformat(day) + dt.timedelta(days=rng.randint(1, 40))
        fact["fin"] = end.isoformat()
        if state != "withdrawn":
            fact["days"] = rng.randint(1, 30)
            fact["late"] = fact["days"] > 14
    elif state in STAGES and state != "returned":
        fact["due"] = (dt.date.fromisoformat(day) + dt.timedelta(days=20)).isoformat()
    if state == "in_review":
        fact["review"] = tuple(recs_from[:2])
    if state == "issued":
        fact["recs"] = tuple((a, fact["fin"][:7], rng.randint(1, 10)) for a in recs_from[:2])
        if rng.random() < 0.4:
            fee = rng.choice((50_000, 150_000, 1_250_000))
            fact["fee"] = fact["paid"] = (fact["fin"][:7], fee)
    return fact


RECORD_LIMIT = 50_000


def number(n):
    return f"SILAT-{2025 + n % 2}-{n:07d}"


def bulk_load(site, facts_iter):
    """What N calls of ``record`` leave, written once: the counters of every
    view (``apply``'s sums), the facts and the index of numbers."""
    sums, stored, index = {}, {}, {}
    for n, fact in enumerate(facts_iter):
        key = number(n)
        stored[key] = fact
        for name in index_keys(fact):
            index.setdefault(name, []).append(key)
        for bucket, counter, amount in contributions(fact):
            for view in view_keys(bucket):
                counts = sums.setdefault(view, {})
                counts[counter] = counts.get(counter, 0) + amount
    store = tallies(site)
    for i, (view, counts) in enumerate(sums.items()):
        tally = Tally()
        tally.counts = {k: v for k, v in counts.items() if v}
        store[view] = tally
        if i % 20_000 == 19_999:
            transaction.commit()
    transaction.commit()
    known = facts(site)
    items = sorted(stored.items())
    for first in range(0, len(items), 50_000):
        known.update(items[first:first + 50_000])
        transaction.commit()
    site.report_index = OOBTree({name: OOTreeSet(numbers) for name, numbers in index.items()})
    transaction.commit()


def build(var, total, seed=2026):
    app = main({"__file__": "bench"}, **settings_for(var))
    db = app.registry._zodb_databases[""]
    rng = random.Random(seed)
    start = time.perf_counter()
    with db.transaction() as conn:
        site = conn.root()[ZODB_ROOT_KEY]
        loader.load(site, apply=True)
        create_demo_accounts(site)
        services = [(code, s.latest.agency or "-", list(s.latest.recommendations_from or ()))
                    for code, s in site["layanan"].items()]
    conn = db.open()
    site = conn.root()[ZODB_ROOT_KEY]
    if total <= RECORD_LIMIT:          # small runs go through record() one by one
        for n in range(total):
            record(site, number(n), synthetic_fact(rng, services))
            if n % 5_000 == 4_999:
                transaction.commit()
        transaction.commit()
    else:                              # the same end state, summed in memory first
        bulk_load(site, (synthetic_fact(rng, services) for _n in range(total)))
    built = time.perf_counter() - start
    size = sum(len(site.report_tallies[k].counts) for k in site.report_tallies.keys())
    buckets = len(site.report_tallies)
    conn.close()
    db.close()
    return built, buckets, size


def timed(testapp, url, headers=None):
    start = time.perf_counter()
    res = testapp.get(url, headers=headers or {})
    return (time.perf_counter() - start) * 1000, res


def measure(var):
    app = main({"__file__": "bench"}, **settings_for(var))       # a cold start: empty caches
    testapp = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    token = testapp.post_json("/api/v1/auth/token", {"username": "pengawas",
                                                      "password": DEMO_PASSWORD}).json["token"]
    api = {"Authorization": f"Bearer {token}"}
    page = testapp.get("/masuk").forms["deform"]
    page["login"], page["password"] = "pengawas", DEMO_PASSWORD
    page.submit("masuk")
    testapp.get("/dasbor?period=1990")         # compile the template before timing
    rows = []
    for label, query in (("month 2026-10", "period=2026-10"), ("quarter 2026-Q4", "period=2026-Q4"),
                         ("year 2026", "period=2026"),
                         ("year 2026, one kecamatan", f"period=2026&kecamatan={KECAMATAN[0]}")):
        cold, res = timed(testapp, f"/api/v1/stats?{query}", api)
        warm, _res = timed(testapp, f"/api/v1/stats?{query}", api)
        page_ms, _page = timed(testapp, f"/dasbor?{query}")     # after the API: warm
        rows.append((label, cold, warm, page_ms, res.json["received"]))
    drill_ms, drill = timed(testapp, "/dasbor-berkas?metric=late&period=2026-10")
    drill_rows = len(drill.html.select("table.silat-drilldown tbody tr"))
    for db in app.registry._zodb_databases.values():
        db.close()
    return rows, drill_ms, drill_rows


def main_bench(total):
    var = Path(tempfile.mkdtemp(prefix="silat-dashboard-bench-")) / "var"
    var.mkdir()
    try:
        built, buckets, counters = build(var, total)
        mb = os.path.getsize(var / "Data.fs") / 1e6
        print(f"dossiers: {total:,}; recorded in {built:.1f} s ({total / built:,.0f}/s); "
              f"{buckets:,} tally buckets, {counters:,} counters; Data.fs {mb:.0f} MB")
        rows, drill_ms, drill_rows = measure(var)
        print(f"{'filters':28} {'API cold ms':>12} {'API warm ms':>12} {'page ms':>9} {'received':>9}")
        for label, cold, warm, page_ms, received in rows:
            print(f"{label:28} {cold:12.0f} {warm:12.0f} {page_ms:9.0f} {received:9,}")
        print(f"drill-down list (late, 2026-10: {drill_rows} rows shown, each permission-checked): "
              f"{drill_ms:.0f} ms")
    finally:
        shutil.rmtree(var.parent, ignore_errors=True)


if __name__ == "__main__":
    main_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
