"""Issue 10: the permission filter fails closed for every caller; search
is safe under threads; a lost index answers 503 and is rebuilt into a new
generation swapped in atomically; the index queue merges concurrent
commits instead of conflicting."""
import shutil
import threading

import pytest
import transaction

from silat.resources.dossier import Dossier
from silat.resources.site import ZODB_ROOT_KEY
from silat.search import query as SQ, reindex
from silat.search.queue import get_queue
from silat.search.security import search_allowed
from whoosh import query as Q
from tests.web import api_token, bearer, login


@pytest.fixture
def corpus(seeded, make_dossier, make_user):
    make_user("pemohon3", "pemohon")          # owns nothing: may view nothing
    make_dossier("SILAT-2026-000401", state="submitted", fields={"uraian": "rekening rahasia"})
    make_dossier("SILAT-2025-000402", state="rejected", fields={"uraian": "rekening lama"})
    return seeded


# -- fails closed -------------------------------------------------------------

def test_empty_allowed_set_means_no_hits_for_every_caller(testapp, corpus, index, monkeypatch):
    searcher = index.searcher()
    assert len(searcher.search(Q.Term("text", "rekening"))) == 2        # the documents exist
    for principals in ((), ("user:nobody",)):
        assert len(search_allowed(searcher, Q.Every(), principals)) == 0
        assert search_allowed(searcher, Q.Every(), principals, pagenum=1).total == 0
        result = SQ.officer_search(index, principals, SQ.Params())
        assert result["total"] == 0 and result["items"] == [] and not any(result["facets"].values())
    with pytest.raises(TypeError):                                       # no way around it
        search_allowed(searcher, Q.Every(), ("system.Everyone",), filter=None)
    # the API and the /cari page, for a user who may view nothing
    token = api_token(testapp, "pemohon3", "Rahasia-2026x")
    for q in ("", "rekening", "isi:rekening", "nomor:SILAT*"):
        res = testapp.get("/api/v1/search", params={"q": q}, headers=bearer(token))
        assert res.json["items_total"] == 0 and res.json["items"] == [], q
    login(testapp, "pemohon3", "Rahasia-2026x")
    assert "SILAT-2026-000401" not in testapp.get("/cari", params={"q": "rekening"}).text
    testapp.reset()
    # the archive pages (browse and the destruction proposals)
    login(testapp, "arsiparis", corpus)
    assert sum(int(c.text) for c in testapp.get("/arsip").html.select(".count")) == 1   # 402
    import silat.archive.views as archive_views
    monkeypatch.setattr(archive_views, "query_principals", lambda user: ())
    page = testapp.get("/arsip")
    assert page.html.select(".count") == [] and "SILAT-2025-000402" not in page.text


# -- threads ----------------------------------------------------------------

def test_searches_in_threads_while_the_indexer_commits(corpus, edit_site, index):
    errors, totals = [], []
    stop = threading.Event()

    def searching():
        try:
            while not stop.is_set():
                result = SQ.officer_search(index, ("role:admin",), SQ.Params(q="rekening"))
                totals.append(result["total"])
                public = SQ.public_search(index, SQ.PublicParams())
                assert public["items_total"] == 0
        except Exception as exc:      # reported below
            errors.append(exc)

    threads = [threading.Thread(target=searching) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(12):           # each commit writes a new Whoosh segment
            with edit_site() as site:
                dossier = Dossier(f"SILAT-2026-0009{n:02d}", "IMB", 1, "pemohon")
                site["berkas"].add(dossier.registration_number, dossier)
                dossier.state = "submitted"
                dossier.fields = {"uraian": f"lain {n}"}
                reindex(dossier)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert errors == []
    assert totals and set(totals) == {2}          # never a wrong total


# -- lost index ---------------------------------------------------------------

def test_lost_index_answers_503_and_is_rebuilt_in_the_background(testapp, corpus, index, make_dossier):
    make_dossier("SILAT-2026-000403", state="issued",
                 permit={"number": "503/IMB/0403/2026", "token": "vt403"})
    before = index.current()
    token = api_token(testapp, "admin", corpus)
    index.rebuild_gate = threading.Event()            # hold the rebuild until we looked
    shutil.rmtree(index.index_dir)                           # lost under the running app
    checks = [("/api/v1/search", {"headers": bearer(token)}), ("/api/v1/permits", {}),
              ("/portal/izin", {}), ("/portal/izin/feed.atom", {})]
    for path, kw in checks:
        res = testapp.get(path, params={"q": "rekening"} if "search" in path else {}, status=503, **kw)
        assert "dibangun ulang" in res.text, path
    login(testapp, "admin", corpus)
    assert "dibangun ulang" in testapp.get("/cari", params={"q": "rekening"}, status=503).text
    assert testapp.get("/").status_int == 200                # the rest of the site serves
    index.rebuild_gate.set()
    assert index.wait_rebuilt(60) and index.rebuild_error is None
    assert index.current() not in (None, before)
    res = testapp.get("/api/v1/search", params={"q": "rekening"}, headers=bearer(token))
    assert res.json["items_total"] == 2
    assert testapp.get("/api/v1/permits").json["items_total"] == 1


def test_rebuild_while_searching_swaps_atomically(corpus, index):
    seen, errors = [], []
    stop = threading.Event()

    def searching():
        try:
            while not stop.is_set():
                seen.append(SQ.officer_search(index, ("role:admin",), SQ.Params(q="rekening"))["total"])
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    try:
        generations = {index.current()}
        for _ in range(3):
            index.rebuild()
            generations.add(index.current())
    finally:
        stop.set()
        thread.join(30)
    assert errors == [] and set(seen) == {2}                 # never empty, never partial
    assert len(generations) == 4


# -- the queue is no conflict hot spot ------------------------------------------

def _shard_mates(queue, count):
    """Root uids that fall into the same shard."""
    found, n = [], 0
    target = queue._shard("dossier:SILAT-2026-000500")
    while len(found) < count:
        uid = f"dossier:SILAT-2026-{500 + n:06d}"
        if queue._shard(uid) is target:
            found.append(uid)
        n += 1
    return found


def test_two_connections_enqueue_into_one_shard_without_conflict(corpus, db, index):
    conns = []
    for _ in range(3):
        tm = transaction.TransactionManager(explicit=True)
        conns.append((db.open(transaction_manager=tm), tm))
    try:
        for _conn, tm in conns[:2]:
            tm.begin()
        queues = [get_queue(conn.root()[ZODB_ROOT_KEY]) for conn, _tm in conns[:2]]
        first, second, third = _shard_mates(queues[0], 3)
        queues[0].put(first, "/berkas/a")
        queues[1].put(second, "/berkas/b")
        queues[0].put(third, "/berkas/c")
        # a processor that indexed ``third`` (with an older token) in parallel
        conns[0][1].commit()
        conns[1][1].commit()                      # same shard: merged, no ConflictError
        conns[2][1].begin()
        queue = get_queue(conns[2][0].root()[ZODB_ROOT_KEY])
        assert first in queue and second in queue and third in queue
        token = queue.get(third)[1]
        conns[0][1].begin()
        queues[0].put(third, "/berkas/c2")          # queued again while being indexed
        queue.discard(third, token)                  # ... and indexed with the old token
        conns[0][1].commit()
        conns[2][1].commit()                         # merged: the newer entry survives
        conns[1][1].begin()
        assert queues[1].get(third)[0] == "/berkas/c2" and first in queues[1]
        conns[1][1].abort()
    finally:
        for conn, tm in conns:
            try:
                tm.abort()
            except Exception:
                pass
            conn.close()


def test_verify_and_repair_cover_the_public_register(corpus, make_dossier, index):
    make_dossier("SILAT-2026-000405", state="issued", permit={"number": "503/IMB/0405/2026"})
    assert index.verify().ok
    _name, _main, public = index.indexes()
    with index.writer_lock():
        writer = public.writer()
        writer.delete_by_term("uid", "permit:503/IMB/0405/2026")     # lost from the register only
        writer.commit()
    assert index.verify().missing == ["permit:503/IMB/0405/2026"]
    index.repair()
    assert index.verify().ok
    assert SQ.public_search(index, SQ.PublicParams(q='nomor:"503/IMB/0405/2026"'))["items_total"] == 1


def test_evolve_step_6_moves_a_first_release_queue_into_shards(seeded, edit_site, index):
    from silat import evolve
    from silat.search.queue import IndexQueue, ShardedQueue
    with edit_site() as site:
        old = IndexQueue()
        old.entries["dossier:SILAT-2020-000001"] = ("/berkas/SILAT-2020-000001", "tok")
        site.search_queue = old
        assert "dossier:SILAT-2020-000001" in get_queue(site)        # still usable before evolving
        site.generation = 5
        evolve.evolve(site)
    with edit_site() as site:
        queue = get_queue(site)
        assert isinstance(queue, ShardedQueue) and site.generation >= 6
        assert queue.get("dossier:SILAT-2020-000001")[0] == "/berkas/SILAT-2020-000001"
