"""Search benchmark (issue 16): build N synthetic dossiers with issued
permits in a temporary var dir (real FileStorage, real Whoosh indexes),
rebuild the index, and time a realistic mix of 200 public queries in
SILAT (relevance and newest-first), SQLite FTS5 and tantivy on the same
corpus of the public register (the same analysed text), plus officer
searches with facets. Prints p50/p95, ratios, rebuild time and RSS.

    .venv/bin/python bench/search_bench.py --n 100000      # the real run
    .venv/bin/python bench/search_bench.py --n 300         # smoke test

tantivy (PyPI ``tantivy``) is a bench-only dependency: skipped when absent.
"""
import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sqlite3
import tempfile
import time

import transaction

from silat import main
from silat.catalog import loader
from silat.resources.dossier import Dossier
from silat.resources.permit import add_permit
from silat.resources.site import ZODB_ROOT_KEY
from silat.search import query as SQ
from silat.search.analysis import name_analyzer, text_analyzer
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
        dossier.fields = {"uraian": " ".join(rnd.choice(WORDS) for _ in range(8)) + " izin usaha"}
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


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _s, files in os.walk(path) for f in files)


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the query mix --------------------------------------------------------------

def query_mix(rnd, register, services, kecamatan, count=200):
    """(kind, words, kecamatan, (from, to), page) for each query, as the issue lists them."""
    mix = []
    numbers = [d["permit_number"] for d in register]
    for i in range(count):
        kind = ("word", "words", "word+kecamatan", "word+dates", "number", "izin", "filter",
                "holder", "rare", "service")[i % 10]
        words, kec, dates, page = "", "", None, 1
        if kind == "word":
            words = rnd.choice(WORDS)
        elif kind == "words":
            words = " ".join(rnd.sample(WORDS, rnd.choice((2, 3))))
        elif kind == "word+kecamatan":
            words, kec = rnd.choice(WORDS), rnd.choice(kecamatan)
        elif kind == "word+dates":
            y = rnd.randrange(2016, 2026)
            words, dates = rnd.choice(WORDS), (dt.date(y, 1, 1), dt.date(y, 6, 30))
        elif kind == "number":
            words = f'nomor:"{rnd.choice(numbers)}"'
        elif kind == "izin":
            words = "izin"
        elif kind == "filter":
            kec = rnd.choice(kecamatan)
        elif kind == "holder":
            words = f"pemegang:{rnd.choice(NAMES).lower()}"
        elif kind == "rare":
            words = rnd.choice(numbers).split("/")[2]        # a rare token: one permit's serial
            words = f"nomor:{words}*" if False else rnd.choice(NAMES).lower() + " " + rnd.choice(WORDS)
        else:
            kec = rnd.choice(kecamatan)
            words = rnd.choice(WORDS)
        if rnd.random() < 0.15:
            page = rnd.randrange(2, 6)
        mix.append((kind, words, kec, dates, page))
    return mix


def silat_params(item, sort):
    _kind, words, kec, dates, page = item
    return SQ.PublicParams(q=words, kecamatan=kec, issued_from=dates[0] if dates else None,
                           issued_to=dates[1] if dates else None, page=page, size=20, sort=sort)


def analysed(text, analyzer):
    return " ".join(t.text for t in analyzer(text))


def free_terms(words):
    """The analysed terms of a mix item's words (field prefixes mapped)."""
    if words.startswith("nomor:"):
        return "number", words[len('nomor:"'):-1].lower()
    if words.startswith("pemegang:"):
        return "holder", analysed(words.split(":", 1)[1], name_analyzer())
    return "body", analysed(words, text_analyzer())


class Fts5:
    def __init__(self, register):
        self.db = sqlite3.connect(":memory:")
        t0 = time.perf_counter()
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(number UNINDEXED, holder, body, "
                        "kecamatan UNINDEXED, issued UNINDEXED, tokenize='unicode61')")
        self.db.execute("CREATE TABLE n (number TEXT PRIMARY KEY, rid INTEGER)")
        self.db.executemany("INSERT INTO p (rowid, number, holder, body, kecamatan, issued) "
                            "VALUES (?, ?, ?, ?, ?, ?)", [
                                (i, d["permit_number"], d["holder_terms"], d["body_terms"],
                                 d["kecamatan"], d["issued"]) for i, d in enumerate(register)])
        self.db.executemany("INSERT INTO n VALUES (?, ?)",
                            [(d["permit_number"].lower(), i) for i, d in enumerate(register)])
        self.db.execute("CREATE INDEX pk ON n(number)")
        self.build_s = time.perf_counter() - t0

    def search(self, item):
        _kind, words, kec, dates, page = item
        where, args = [], []
        if words:
            field, terms = free_terms(words)
            if field == "number":
                where.append("rowid IN (SELECT rid FROM n WHERE number = ?)")
                args.append(terms)
            else:
                where.append("p MATCH ?")
                args.append(" AND ".join(f'{field}:"{t}"' for t in terms.split()))
        if kec:
            where.append("kecamatan = ?")
            args.append(kec)
        if dates:
            where.append("issued BETWEEN ? AND ?")
            args += [dates[0].isoformat(), dates[1].isoformat() + "T99"]
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = self.db.execute("SELECT count(*) FROM p" + clause, args).fetchone()[0]
        rows = self.db.execute("SELECT number FROM p" + clause + " ORDER BY issued DESC LIMIT 20 OFFSET ?",
                               args + [(page - 1) * 20]).fetchall()
        return total, rows


class Tantivy:
    def __init__(self, register, path):
        import tantivy
        self.t = tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("number", stored=True, tokenizer_name="raw")
        sb.add_text_field("holder", tokenizer_name="whitespace")
        sb.add_text_field("body", tokenizer_name="whitespace")
        sb.add_text_field("kecamatan", tokenizer_name="raw")
        sb.add_integer_field("issued", fast=True, indexed=True)
        self.schema = sb.build()
        t0 = time.perf_counter()
        index = tantivy.Index(self.schema, path=path)
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        for d in register:
            writer.add_document(tantivy.Document(
                number=d["permit_number"].lower(), holder=d["holder_terms"], body=d["body_terms"],
                kecamatan=d["kecamatan"], issued=int(d["issued"][:10].replace("-", ""))))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self.build_s = time.perf_counter() - t0
        self.searcher = index.searcher()

    def search(self, item):
        t, schema = self.t, self.schema
        _kind, words, kec, dates, page = item
        must = []
        if words:
            field, terms = free_terms(words)
            if field == "number":
                must.append(t.Query.term_query(schema, "number", terms))
            else:
                must += [t.Query.term_query(schema, field, w) for w in terms.split()]
        if kec:
            must.append(t.Query.term_query(schema, "kecamatan", kec))
        if dates:
            must.append(t.Query.range_query(schema, "issued", t.FieldType.Integer,
                                            int(dates[0].strftime("%Y%m%d")), int(dates[1].strftime("%Y%m%d"))))
        q = t.Query.boolean_query([(t.Occur.Must, m) for m in must]) if must else t.Query.all_query()
        result = self.searcher.search(q, 20, count=True, order_by_field="issued", offset=(page - 1) * 20)
        return result.count, result.hits


def report(label, times, base=None):
    p50, p95 = percentile(times, 50), percentile(times, 95)
    ratio = (f"   SILAT newest-first takes x{base[0] / max(p50, 1e-9):.2f} (p50) / "
             f"x{base[1] / max(p95, 1e-9):.2f} (p95) of this one's time" if base else "")
    print(f"  {label:<44} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms{ratio}")
    return p50, p95


def settings_for(var):
    """App settings for a bench site in ``var`` (embedded FileStorage, inline indexing)."""
    return {"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
            "silat.secret_file": f"{var}/secret", "silat.var_dir": var,
            "silat.search.background": "false", "silat.index_catch_up": "false",
            "silat.argon2.time_cost": "1", "silat.argon2.memory_cost": "1024",
            "silat.argon2.parallelism": "1"}


def corpus(app, var, n, reuse, rebuild, seed_site=None):
    """Load the catalog (and ``seed_site(site)``) and write ``n`` dossiers
    unless ``reuse``; rebuild the index when ``rebuild`` or new; print the
    figures. Returns (service codes, kecamatan names)."""
    db = app.registry._zodb_databases[""]
    if not reuse:
        with db.transaction() as conn:
            site = conn.root()[ZODB_ROOT_KEY]
            loader.load(site, apply=True)
            if seed_site is not None:
                seed_site(site)
    with db.transaction() as conn:
        services = [c for c, s in conn.root()[ZODB_ROOT_KEY]["layanan"].items()
                    if s.latest is not None and s.latest.category.startswith("perizinan")][:30]
    kecamatan = [k["name"] for k in loader.kecamatan()]
    if reuse:
        print(f"corpus: reused from {var}")
    else:
        load = build(db, n, services, kecamatan)
        print(f"corpus: {n:,} dossiers written to ZODB in {load:.1f}s ({n / load:,.0f}/s)")
    if rebuild or not reuse:
        t0 = time.perf_counter()
        done = app.registry.silat_index.rebuild()
        build_s = time.perf_counter() - t0
        print(f"index rebuild (main + public register, new generation swapped in): {done:,} dossiers "
              f"in {build_s:.1f}s ({done / build_s:,.0f}/s)")
    return services, kecamatan


def run(n, queries, keep=None, rebuild=True):
    var = keep or tempfile.mkdtemp(prefix="silat-bench-")
    reuse = keep is not None and os.path.exists(os.path.join(var, "Data.fs"))
    os.makedirs(var, exist_ok=True)
    try:
        app = main({"__file__": "bench"}, **settings_for(var))
        db = app.registry._zodb_databases[""]
        services, kecamatan = corpus(app, var, n, reuse, rebuild)
        service = app.registry.silat_index
        gen = os.path.join(service.index_dir, service.current())
        print(f"index size: main {dir_size(gen + '/main') / 1e6:.1f} MB, "
              f"public {dir_size(gen + '/public') / 1e6:.1f} MB")

        register = []
        for stored in service.public_searcher().all_stored_fields():
            register.append({"permit_number": stored["permit_number"], "kecamatan": stored["kecamatan"],
                             "issued": stored["issued_at"].isoformat(),
                             "holder_terms": analysed(stored["holder"], name_analyzer()),
                             "body_terms": analysed(f"{stored['service_title']} {stored['service']} "
                                                    f"{stored['holder']}", text_analyzer())})
        print(f"public register: {len(register):,} issued permits")
        fts = Fts5(register)
        print(f"SQLite FTS5 build: {len(register) / fts.build_s:,.0f} permits/s")
        tv = None
        try:
            tv = Tantivy(register, tempfile.mkdtemp(dir=var))
            print(f"tantivy build: {len(register) / tv.build_s:,.0f} permits/s")
        except ImportError:
            print("tantivy: not installed (pip install tantivy), skipped")

        rnd = random.Random(11)
        mix = query_mix(rnd, register, services, kecamatan, queries)
        began = time.perf_counter()
        SQ.public_search(service, silat_params(mix[0], "date"))
        rss = rss_mb()
        print(f"public arrays read from the register segments (the first query after the index opened): "
              f"{time.perf_counter() - began:.2f} s; RSS after: {rss:.0f} MB")
        for item in mix[:20]:      # warm caches
            SQ.public_search(service, silat_params(item, "date"))
        print(f"public search, {len(mix)} queries (one word, 2-3 words, word+kecamatan, word+dates, "
              f"number, 'izin', filter only, holder, rare, service; 15% pages 2-5):")
        rel = report("SILAT (sort=relevance, BM25F on arrays)",
                     timed(lambda i: SQ.public_search(service, silat_params(i, "relevance")), [(i,) for i in mix]))
        base = report("SILAT (newest first, the portal default)",
                      timed(lambda i: SQ.public_search(service, silat_params(i, "date")), [(i,) for i in mix]))
        report("SQLite FTS5 (newest first + count)", timed(fts.search, [(i,) for i in mix]), base)
        if tv is not None:
            report("tantivy (newest first + count)", timed(tv.search, [(i,) for i in mix]), base)
        izin = [i for i in mix if i[0] == "izin"]
        report("SILAT 'izin' only (newest first)",
               timed(lambda i: SQ.public_search(service, silat_params(i, "date")), [(i,) for i in izin]))
        # same totals check (words only: the analysed text is the same)
        diff = sum(1 for i in mix if i[0] in ("word", "words", "filter", "izin")
                   and SQ.public_search(service, silat_params(i, "date"))["items_total"] != fts.search(i)[0])
        print(f"  totals differing between SILAT and FTS5 on word/filter queries: {diff}")
        del rel

        users = [("role:verifikator",), ("agency:DINKES", "user:opd.dinkes"), ("role:arsiparis",),
                 ("user:user42",), ("role:admin",)]
        officer = []
        for i in range(queries):
            principals = ("system.Authenticated", "system.Everyone") + users[i % len(users)]
            q = rnd.choice(("", rnd.choice(WORDS), f"pemohon:{rnd.choice(NAMES).lower()}",
                            f"layanan:{rnd.choice(WORDS)}"))
            officer.append((principals, SQ.Params(q=q, sort=rnd.choice(("relevance", "date")))))
        for args in officer[:20]:
            SQ.officer_search(service, *args)
        print("officer search (permission filter + 5 facets + page of 20):")
        report("SILAT officer", timed(lambda pr, p: SQ.officer_search(service, pr, p), officer))
        print(f"peak RSS of this process: {rss_mb():.0f} MB")
        service.close()
        db.close()
    finally:
        if keep is None:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="dossiers (default 100000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", metavar="DIR", help="build the corpus in DIR and keep it; "
                        "when DIR already holds one, reuse it")
    parser.add_argument("--no-rebuild", action="store_true", help="with --keep on a kept corpus: "
                        "search the index as it is")
    args = parser.parse_args()
    run(args.n, args.queries, args.keep, not args.no_rebuild)
