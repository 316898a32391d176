"""Search benchmark: build N synthetic dossiers with issued permits in a
temporary var dir (real FileStorage, real Whoosh index), index them with
``IndexService.rebuild`` and time mixed public and officer queries.

    .venv/bin/python bench/search_bench.py            # 20,000 dossiers
    .venv/bin/python bench/search_bench.py 100000

Prints the ZODB load rate, the index build rate, and p50/p95 of mixed
public queries (top 20 sorted by issue date, as ARCHITECTURE.md measured)
and of officer queries with permission filters and facets.
"""
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time

import transaction

from silat import main
from silat.catalog import loader
from silat.resources.dossier import Dossier
from silat.resources.permit import add_permit
from silat.resources.site import ZODB_ROOT_KEY
from silat.search import query as SQ
from silat.security.localroles import grant

WORDS = ("toko bangunan klinik apotek gudang kantor rumah makan bengkel salon laundry "
         "percetakan minimarket kafe hotel kos reklame menara sekolah").split()
NAMES = ("Budi Siti Ani Joko Rina Agus Dewi Hadi Maya Rudi Sri Tono Wati Yanto Lina").split()
STATES = ("submitted", "verified", "in_review", "approved", "issued", "issued", "issued", "rejected")
AGENCIES = ("DINKES", "DISTARU", "DLH", "DISHUB", "DISDAGPERIN")


def build(db, n, services, kecamatan, seed=7):
    rnd = random.Random(seed)
    start = time.perf_counter()
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    base = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc)
    tm.begin()
    site = conn.root()[ZODB_ROOT_KEY]
    for i in range(n):
        created = base + dt.timedelta(minutes=rnd.randrange(10 * 365 * 24 * 60))
        number = f"SILAT-{created.year}-{i:06d}"
        code = rnd.choice(services)
        dossier = Dossier(number, code, 1, f"user{i % 5000}")
        dossier.created = dossier.modified = created
        business = f"{rnd.choice(('CV', 'PT', 'UD'))} {rnd.choice(NAMES)} {rnd.choice(WORDS).title()}"
        dossier.applicant = {"kind": "company", "name": f"{rnd.choice(NAMES)} {rnd.choice(NAMES)}",
                             "identity_number": f"3275{rnd.randrange(10**12):012d}",
                             "phone": f"08{rnd.randrange(10**10):010d}", "business_name": business}
        dossier.location = {"kecamatan": rnd.choice(kecamatan)}
        dossier.fields = {"uraian": " ".join(rnd.choice(WORDS) for _ in range(8))}
        site["berkas"].add(number, dossier)
        dossier.state = rnd.choice(STATES)
        grant(dossier, f"user:{dossier.owner}", "owner")
        if dossier.state == "in_review":
            grant(dossier, f"agency:{rnd.choice(AGENCIES)}", "reviewer")
        if dossier.state == "issued":
            permit = add_permit(dossier, f"503/{code}/{i:06d}/{created.year}", "bench",
                                issued_at=created + dt.timedelta(days=5))
            permit.token = f"t{i}"
        if i % 2000 == 1999:
            tm.commit()
            conn.cacheGC()
            tm.begin()
            site = conn.root()[ZODB_ROOT_KEY]
    tm.commit()
    conn.close()
    return time.perf_counter() - start


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, runs):
    times = []
    for args in runs:
        t0 = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def run(n):
    var = tempfile.mkdtemp(prefix="silat-bench-")
    try:
        settings = {"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
                    "silat.secret_file": f"{var}/secret", "silat.var_dir": var,
                    "silat.argon2.time_cost": "1", "silat.argon2.memory_cost": "1024",
                    "silat.argon2.parallelism": "1"}
        app = main({"__file__": "bench"}, **settings)
        db = app.registry._zodb_databases[""]
        with db.transaction() as conn:
            loader.load(conn.root()[ZODB_ROOT_KEY], apply=True)
        with db.transaction() as conn:
            services = [c for c, s in conn.root()[ZODB_ROOT_KEY]["layanan"].items()
                        if s.latest is not None and s.latest.category.startswith("perizinan")][:30]
        kecamatan = [k["name"] for k in loader.kecamatan()]
        load = build(db, n, services, kecamatan)
        print(f"corpus: {n:,} dossiers written to ZODB in {load:.1f}s ({n / load:,.0f}/s)")
        service = app.registry.silat_index
        t0 = time.perf_counter()
        done = service.rebuild()
        build_s = time.perf_counter() - t0
        size = sum(os.path.getsize(os.path.join(service.index_dir, f)) for f in os.listdir(service.index_dir))
        print(f"index build: {done:,} dossiers in {build_s:.1f}s ({done / build_s:,.0f}/s), "
              f"{size / 1e6:.1f} MB on disk")

        rnd = random.Random(11)
        service.searcher()
        public = []
        for i in range(400):
            kind = i % 5
            if kind == 0:
                public.append(SQ.PublicParams(q=rnd.choice(WORDS)))
            elif kind == 1:
                public.append(SQ.PublicParams(service=rnd.choice(services)))
            elif kind == 2:
                public.append(SQ.PublicParams(kecamatan=rnd.choice(kecamatan)))
            elif kind == 3:
                y = rnd.randrange(2016, 2026)
                public.append(SQ.PublicParams(issued_from=dt.date(y, 1, 1), issued_to=dt.date(y, 3, 31)))
            else:
                public.append(SQ.PublicParams(q=f"{rnd.choice(NAMES)}"))
        for p in public[:20]:        # warm caches (columns, filters)
            SQ.public_search(service, p)
        times = timed(lambda p: SQ.public_search(service, p), [(p,) for p in public])
        print(f"public queries (top 20, newest first / relevance): n={len(times)} "
              f"p50 {percentile(times, 50):.1f} ms  p95 {percentile(times, 95):.1f} ms")

        users = [("role:verifikator",), ("agency:DINKES", "user:opd.dinkes"), ("role:arsiparis",),
                 ("user:user42",), ("role:admin",)]
        officer = []
        for i in range(300):
            principals = ("system.Authenticated", "system.Everyone") + users[i % len(users)]
            q = rnd.choice(("", rnd.choice(WORDS), f"pemohon:{rnd.choice(NAMES).lower()}",
                            f"layanan:{rnd.choice(WORDS)}"))
            officer.append((principals, SQ.Params(q=q, sort=rnd.choice(("relevance", "date")))))
        for args in officer[:20]:
            SQ.officer_search(service, *args)
        times = timed(lambda pr, p: SQ.officer_search(service, pr, p), officer)
        print(f"officer queries (permission filter + 5 facets + page of 20): n={len(times)} "
              f"p50 {percentile(times, 50):.1f} ms  p95 {percentile(times, 95):.1f} ms")
        service.close()
        db.close()
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
