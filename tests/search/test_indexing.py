"""Indexing after commit only, crash catch-up, rebuild/verify/repair."""
import os
import signal
import subprocess
import sys
import time

import transaction

from silat import main
from silat.resources.dossier import Dossier
from silat.resources.site import ZODB_ROOT_KEY
from silat.search import reindex
from silat.search.indexer import IndexService


def uids(index):
    return {f["uid"] for f in index.searcher().all_stored_fields()}


def test_indexed_only_after_commit(seeded, edit_site, index):
    with edit_site() as site:
        dossier = Dossier("SILAT-2026-000010", "IMB", 1, "pemohon")
        site["berkas"].add(dossier.registration_number, dossier)
        dossier.state = "submitted"
        reindex(dossier)
        assert "dossier:SILAT-2026-000010" in site.search_queue.entries   # queued in the same transaction
        assert "dossier:SILAT-2026-000010" not in uids(index)      # not before the commit
    assert "dossier:SILAT-2026-000010" in uids(index)              # right after it
    with edit_site() as site:
        assert len(site.search_queue.entries) == 0                  # the queue was emptied


def test_aborted_transaction_never_reaches_the_index(seeded, db, index):
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    tm.begin()
    site = conn.root()[ZODB_ROOT_KEY]
    dossier = Dossier("SILAT-2026-000011", "IMB", 1, "pemohon")
    site["berkas"].add(dossier.registration_number, dossier)
    reindex(dossier)
    tm.abort()
    conn.close()
    assert "dossier:SILAT-2026-000011" not in uids(index)
    assert index.queued() == 0


def test_crash_between_commit_and_index_is_caught_up(seeded, app, settings, edit_site, index, monkeypatch):
    def crash(self, changes, deleted=()):
        raise RuntimeError("process died while writing the index")
    monkeypatch.setattr(IndexService, "apply", crash)
    with edit_site() as site:
        dossier = Dossier("SILAT-2026-000012", "IMB", 1, "pemohon")
        site["berkas"].add(dossier.registration_number, dossier)
        dossier.state = "submitted"
        reindex(dossier)
    monkeypatch.undo()
    # committed in ZODB, absent from the index, still queued
    assert "dossier:SILAT-2026-000012" not in uids(index)
    assert index.queued() == 1
    report = index.verify()
    assert report.missing == ["dossier:SILAT-2026-000012"] and not report.ok
    # a restart catches up from the durable queue
    index.close()
    for database in app.registry._zodb_databases.values():
        database.close()
    restarted = main({"__file__": "test"}, **settings)
    try:
        service = restarted.registry.silat_index
        assert "dossier:SILAT-2026-000012" in uids(service)
        assert service.queued() == 0
        assert service.verify().ok
    finally:
        restarted.registry.silat_index.close()
        for database in restarted.registry._zodb_databases.values():
            database.close()


def _ini(tmp_path, settings):
    lines = ["[app:main]", "use = egg:silat"] + [f"{k} = {v}" for k, v in settings.items()]
    path = tmp_path / "test.ini"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _workers_of(pid):
    """The running segment writers (spawned workers) of process ``pid``."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read()
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if b"spawn_main" in cmdline and int(fields[1]) == pid:
            found.append(entry)
    return found


def _running(pids):
    alive = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(pid)
        except OSError:
            pass
    return alive


def _silat(ini, *args):
    return subprocess.run([sys.executable, "-m", "silat.cli.main", "-c", ini, *args],
                          capture_output=True, text=True, timeout=300)


def test_killed_rebuild_is_found_by_verify_and_fixed_by_repair(seeded, app, settings, edit_site,
                                                               index, tmp_path):
    total = 3000
    with edit_site() as site:
        for n in range(1, total + 1):
            dossier = Dossier(f"SILAT-2025-{n:06d}", "IMB", 1, f"user{n % 50}")
            dossier.state = "submitted"
            dossier.fields = {"uraian": f"bangunan nomor {n}"}
            site["berkas"].add(dossier.registration_number, dossier)
    index.close()
    for database in app.registry._zodb_databases.values():
        database.close()
    ini = _ini(tmp_path, settings)
    before = index.current()
    proc = subprocess.Popen([sys.executable, "-m", "silat.cli.main", "-c", ini, "index", "rebuild",
                             "--batch", "100"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen, deadline = b"", time.monotonic() + 120
    import re
    while time.monotonic() < deadline:
        chunk = os.read(proc.stderr.fileno(), 256)
        if not chunk:
            break
        seen += chunk
        counts = [int(x) for x in re.findall(rb"(\d+)/%d" % total, seen)]
        if counts and max(counts) >= 600:
            workers = _workers_of(proc.pid)
            proc.send_signal(signal.SIGKILL)       # killed halfway
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, seen[-500:]
    assert workers                                     # it was writing on worker processes
    deadline = time.monotonic() + 10                   # and they end with it
    while _running(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _running(workers) == []

    verify = _silat(ini, "index", "verify")
    assert verify.returncode == 1, verify.stdout + verify.stderr
    missing = int(re.search(r"in ZODB, not in the index: (\d+)", verify.stdout).group(1))
    # the rebuild wrote a new generation that was never swapped in: search
    # still reads the old, complete-as-it-was index, never a partial one
    assert missing == total, verify.stdout
    assert index.current() == before

    repair = _silat(ini, "index", "repair")
    assert repair.returncode == 0, repair.stdout + repair.stderr
    assert "index is in step with ZODB" in repair.stdout
    again = _silat(ini, "index", "verify")
    assert again.returncode == 0 and "in ZODB, not in the index: 0" in again.stdout

    rebuilt = _silat(ini, "index", "rebuild")
    assert rebuilt.returncode == 0 and f"indexed {total} items" in rebuilt.stdout
    assert "/s" in rebuilt.stderr                        # the progress bar shows a rate
    assert index.current() != before                    # swapped in
    generations = [n for n in os.listdir(index.index_dir) if n.startswith("gen-")]
    assert len(generations) == 2                         # the current one and the one before


def test_verify_reports_extra_and_stale(seeded, make_dossier, edit_site, index):
    make_dossier("SILAT-2026-000020")
    make_dossier("SILAT-2026-000021")
    assert index.verify().ok
    with edit_site() as site:                        # removed without the index knowing
        site["berkas"].remove("SILAT-2026-000021")
        site["berkas"]["SILAT-2026-000020"].state = "verified"    # changed, not queued
    report = index.verify()
    assert report.extra == ["dossier:SILAT-2026-000021"]
    assert report.stale == ["dossier:SILAT-2026-000020"]
    index.repair()
    assert index.verify().ok
    hits = [f for f in index.searcher().all_stored_fields() if f["uid"] == "dossier:SILAT-2026-000020"]
    assert hits[0]["state"] == "verified"


def test_pdf_text_is_indexed_and_scans_are_marked(seeded, edit_site, index, tmp_path):
    import hashlib
    from silat.catalog.model import Requirement
    from silat.resources.attachment import add_document_version
    from silat.search import query as SQ
    from tests.archive.conftest import pdf_bytes
    with edit_site() as site:
        dossier = Dossier("SILAT-2026-000030", "IMB", 1, "pemohon")
        site["berkas"].add(dossier.registration_number, dossier)
        dossier.state = "submitted"
        for key, name, data, mime in (
                ("laik", "laik.pdf", pdf_bytes("Sertifikat laik higiene sanitasi"), "application/pdf"),
                ("foto", "ktp.jpg", b"\xff\xd8\xff\xe0 not really a photo", "image/jpeg")):
            path = tmp_path / name
            path.write_bytes(data)
            add_document_version(dossier, Requirement(key, key), str(path), name, mime, len(data),
                                 hashlib.sha256(data).hexdigest(), "pemohon")
        reindex(dossier)
    result = SQ.officer_search(index, ("role:admin",), SQ.Params(q="higiene"))
    assert [i["number"] for i in result["items"]] == ["SILAT-2026-000030"]
    assert result["items"][0]["scan_only"] == 1


def test_missing_length_columns_are_looked_up_once(tmp_path):
    """silat.search.whoosh_patches: a field without a lengths column asks
    the file system once per segment, not once per posting."""
    from whoosh import fields, index as windex
    from whoosh.codec import whoosh3
    import silat.search.indexer  # noqa: F401  (applies the patch)
    schema = fields.Schema(uid=fields.ID(stored=True), text=fields.TEXT)
    ix = windex.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for n in range(5):
            writer.add_document(uid=f"d{n}", text=f"kata {n}")
    with ix.searcher() as searcher:
        reader = searcher.reader()._perdoc
        assert isinstance(reader, whoosh3.W3PerDocReader)
        storage, calls = reader._storage, []
        real = storage.file_exists
        storage.file_exists = lambda name: calls.append(name) or real(name)
        assert [reader.doc_field_length(n, "uid") for n in range(5)] == [0] * 5
        assert len(calls) == 1
        assert [reader.doc_field_length(n, "text") for n in range(5)] == [1] * 5


def test_field_lengths_are_read_once_and_equal_whooshs(tmp_path):
    """silat.search.whoosh_patches: a reader reads a field's lengths column
    once; every length equals Whoosh's own byte-by-byte reading (short,
    long and missing values, the first document past the end)."""
    from whoosh import fields, index as windex
    from whoosh.codec import whoosh3
    from whoosh.util.numeric import byte_to_length
    import silat.search.indexer  # noqa: F401  (applies the patch)
    schema = fields.Schema(uid=fields.ID(stored=True), text=fields.TEXT, title=fields.TEXT)
    ix = windex.create_in(str(tmp_path), schema)
    words = [" ".join(f"kata{i}" for i in range(n)) for n in (1, 2, 7, 300, 5000, 0, 3)]
    with ix.writer() as writer:
        for n, text in enumerate(words):
            writer.add_document(uid=f"d{n}", text=text, **({"title": "judul"} if n % 2 else {}))
    with ix.searcher() as searcher:
        reader = searcher.reader()._perdoc
        assert isinstance(reader, whoosh3.W3PerDocReader)

        def whooshs(docnum, field):                 # the unpatched reading
            column = reader._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
            return byte_to_length(column[docnum]) if column[docnum] else None
        for field in ("text", "title"):
            expected = [whooshs(d, field) for d in range(len(words) + 1)]
            assert [reader.doc_field_length(d, field) for d in range(len(words) + 1)] == expected
        assert reader.doc_field_length(3, "text") == byte_to_length(whoosh3.length_to_byte(300))
        assert reader.doc_field_length(5, "text") is None and reader.doc_field_length(0, "title") is None
        assert set(reader._silat_lengths) == {"text", "title"}


def test_index_service_reads_the_latest_commit_on_a_pooled_connection(seeded, db, index):
    """A connection taken again from ZODB's pool must not show the snapshot
    it was closed with: rebuild, verify and the counts begin a transaction."""
    tm = transaction.TransactionManager(explicit=True)
    writer = db.open(transaction_manager=tm)      # stays open: the pool keeps the index's own
    before = index.count_roots()                  # leaves its connection in the pool
    tm.begin()
    dossier = Dossier("SILAT-2026-000077", "IMB", 1, "pemohon")
    writer.root()[ZODB_ROOT_KEY]["berkas"].add(dossier.registration_number, dossier)
    reindex(dossier)
    tm.commit()
    writer.close()
    assert index.count_roots() == before + 1
    assert index.rebuild() == before + 1
    assert "dossier:SILAT-2026-000077" in uids(index)


def test_compound_segments_are_read_in_place(tmp_path):
    """silat.search.whoosh_patches: the files of a compound segment are
    read from its mmap, not copied into each searcher, and searchers share
    one map per file; searching, stored fields, columns and pickles read
    the same as before."""
    import pickle
    from whoosh import fields, index as windex
    from whoosh.filedb.structfile import BufferFile
    from whoosh.query import Term
    from silat.search.whoosh_patches import SharedMap, ViewFile
    import silat.search.indexer  # noqa: F401  (applies the patch)
    schema = fields.Schema(uid=fields.ID(stored=True), text=fields.TEXT(stored=True),
                           n=fields.NUMERIC(sortable=True))
    ix = windex.create_in(str(tmp_path), schema)
    for batch in range(3):                      # several compound segments
        with ix.writer() as writer:
            for n in range(batch * 50, batch * 50 + 50):
                writer.add_document(uid=f"d{n}", text=f"kata nomor{n} {'genap' if n % 2 else 'ganjil'}", n=n)
    with ix.searcher() as searcher:
        files = [f for reader, _o in searcher.reader().leaf_readers()
                 for f in (reader._terms._dbfile, reader._terms._postfile)]
        assert len(files) >= 2
        assert all(isinstance(f, BufferFile) and isinstance(f.file, ViewFile) for f in files)
        assert len(searcher.search(Term("text", "genap"), limit=None)) == 75
        hit = searcher.search(Term("text", "nomor42"))[0]
        assert (hit["uid"], hit["text"]) == ("d42", "kata nomor42 ganjil")
        assert sorted(searcher.reader().column_reader("n")) == list(range(150))
    # two searchers (as two serving threads hold) share one map per segment file;
    # closing one leaves the other working
    first, second = ix.searcher(), ix.searcher()
    maps = [[reader._terms._dbfile._buf.obj for reader, _o in s.reader().leaf_readers()]
            for s in (first, second)]
    assert all(isinstance(m, SharedMap) for m in maps[0]) and len(maps[0]) == len(maps[1])
    assert all(a is b for a, b in zip(*maps))
    first.close()
    assert len(second.search(Term("text", "ganjil"), limit=None)) == 75
    second.close()
    view = ViewFile(memoryview(b"line one\nline two\n" + pickle.dumps({"a": 1})))
    assert (view.readline(), view.read(4), view.tell()) == (b"line one\n", b"line", 13)
    assert view.readline() == b" two\n" and pickle.load(view) == {"a": 1} and view.read() == b""
    view.seek(-3, 2)
    assert view.tell() == len(view._view) - 3


def test_a_closed_index_service_schedules_no_retry(index, monkeypatch):
    """After ``close`` (a shutdown: the database closes next) a worker that
    finds the index busy schedules no retry, and a retry already firing
    does nothing: neither may touch the closed database."""
    index._retry_later(delay=30)
    pending = index._retry
    assert pending is not None and pending.is_alive()
    index.close()
    assert index._retry is None and pending.finished.is_set()      # cancelled
    calls = []
    monkeypatch.setattr(index, "process_queue", lambda **kw: calls.append(kw))
    index._retry_later(delay=0.01)
    assert index._retry is None
    index._retry_now()                 # a timer that fired as close ran
    assert calls == []
