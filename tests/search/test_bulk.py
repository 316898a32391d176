"""Issue 16: the rebuild writes its segments on worker processes, and live
commits merge only small segments."""
import datetime as dt

import pytest

from silat.search import bulk, query as SQ


def segments(ix):
    return ix._read_toc().segments


def officer_uids(index):
    result = SQ.officer_search(index, ("role:admin",), SQ.Params(sort="date", size=100))
    return [item["uid"] for item in result["items"]], result["facets"]


def public_numbers(index):
    result = SQ.public_search(index, SQ.PublicParams(size=100))
    return [item["permit_number"] for item in result["items"]]


@pytest.fixture
def corpus(seeded, make_dossier):
    issued = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    for n in range(1, 8):
        permit = ({"number": f"503/IMB/{n:04d}/2026", "issued_at": issued + dt.timedelta(days=n)}
                  if n % 2 else None)
        make_dossier(f"SILAT-2026-{n:06d}", state="issued" if permit else "submitted", permit=permit,
                     fields={"uraian": f"bangunan gudang nomor {n}"})
    return seeded


def test_rebuild_on_two_workers_gives_the_same_search(corpus, index):
    before = officer_uids(index), public_numbers(index)
    assert len(before[0][0]) >= 7 and len(before[1]) == 4
    index.rebuild(batch=2, procs=2)                     # 7 roots -> 4 segments, 2 processes
    _name, main, public = index.indexes()
    assert len(segments(main)) == 4
    assert len(segments(public)) >= 2
    after = officer_uids(index), public_numbers(index)
    assert sorted(after[0][0]) == sorted(before[0][0]) and after[0][1] == before[0][1]
    assert after[1] == before[1]                         # same permits, newest first
    assert index.verify().ok


def test_a_rebuild_that_fails_in_a_worker_keeps_the_old_generation(corpus, index, monkeypatch):
    current = index.current()
    monkeypatch.setattr(bulk, "write_segment", _broken_write)
    with pytest.raises(RuntimeError):
        index.rebuild(batch=100)                         # one batch: written in this process
    assert index.current() == current
    assert len(public_numbers(index)) == 4


def _broken_write(*args):
    raise RuntimeError("disk full")


def test_live_commits_merge_small_segments_and_never_large_ones(corpus, index, make_dossier,
                                                                monkeypatch):
    index.rebuild(batch=2, procs=2)
    main = index.indexes()[1]
    large = {s.segment_id() for s in segments(main)}
    monkeypatch.setattr(bulk, "LARGE", min(s.doc_count_all() for s in segments(main)))
    for n in range(20, 20 + 2 * bulk.FANOUT):
        make_dossier(f"SILAT-2026-{n:06d}", fields={"uraian": "kios pasar"})   # one commit each
    now = segments(index.indexes()[1])
    assert large <= {s.segment_id() for s in now}       # the rebuild's segments stay as written
    assert len([s for s in now if s.doc_count_all() < bulk.LARGE]) <= bulk.FANOUT
    assert len(now) < len(large) + 2 * bulk.FANOUT       # the live ones were merged
    found = SQ.officer_search(index, ("role:admin",), SQ.Params(q="kios", size=100))
    assert found["total"] == 2 * bulk.FANOUT


def test_rebuild_refuses_bad_batch_and_worker_counts():
    """`silat index rebuild --batch 0` would divide by zero, `--procs -1`
    start no pool: both are refused by the argument parser, before any work."""
    import subprocess
    import sys
    for args in (["--batch", "0"], ["--batch", "x"], ["--procs", "-1"], ["--procs", "0"]):
        done = subprocess.run([sys.executable, "-m", "silat.cli.main", "-c", "/nonexistent.ini",
                               "index", "rebuild", *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "at least 1" in done.stderr, (args, done.stderr)


def test_warm_docs_setting_must_be_a_number():
    from silat.search import warm_docs
    assert warm_docs({}) == 10_000 and warm_docs({"silat.search.warm_docs": "0"}) == 0
    with pytest.raises(ValueError, match="whole number"):
        warm_docs({"silat.search.warm_docs": "banyak"})


def test_a_segment_written_with_memoized_analysis_equals_whooshs(tmp_path):
    """write_segment analyses each short value once per field; the segment
    holds exactly the terms, postings (documents, weights, positions) and
    lengths that Whoosh's own writer gives the same documents."""
    import os
    from whoosh import index as windex
    from whoosh.reading import SegmentReader
    from silat.search.indexer import INDEX_NAME
    from silat.search.schema import make_schema
    names = ["Budi Santoso", "Siti Aminah", "PT Maju Jaya"]
    docs = [dict(uid=f"dossier:{n}", root=f"dossier:{n}", kind="dossier", allowed="role:admin agency:DINKES",
                 pemohon=names[n % 3], layanan="Izin Mendirikan Bangunan", kecamatan_name="Bekasi Timur",
                 title=f"Permohonan {names[n % 3]} nomor {n}", text=f"gudang bangunan izin {n} " * (n % 4),
                 date=dt.datetime(2026, 1, 1) + dt.timedelta(days=n))
            for n in range(40)]
    readers = []
    for name in ("memo", "whoosh"):
        path = str(tmp_path / name)
        os.makedirs(path)
        ix = windex.create_in(path, make_schema(), INDEX_NAME)
        if name == "memo":
            segment = bulk.write_segment(path, INDEX_NAME, docs, 32)
        else:
            with ix.writer() as writer:
                for doc in docs:
                    writer.add_document(**doc)
            segment = segments(windex.open_dir(path, indexname=INDEX_NAME))[0]
        readers.append(SegmentReader(ix.storage, ix.schema, segment))
    memo, plain = readers
    assert list(memo.all_terms()) == list(plain.all_terms()) and len(list(plain.all_terms())) > 50
    for field, text in plain.all_terms():
        for read in ("all_items", "all_ids"):        # (document, encoded positions), then documents
            assert list(getattr(memo.postings(field, text), read)()) == \
                list(getattr(plain.postings(field, text), read)())
        assert list(memo.postings(field, text).items_as("weight")) == \
            list(plain.postings(field, text).items_as("weight"))
    for field in ("pemohon", "title", "text", "layanan"):
        assert [memo.doc_field_length(d, field) for d in range(40)] == \
            [plain.doc_field_length(d, field) for d in range(40)]


def test_rebuilt_segments_carry_postings_files_equal_to_whooshs(corpus, index, make_dossier, edit_site):
    """search.postings: each segment a rebuild writes has a postings file
    whose documents and weights equal Whoosh's own, term by term; the
    search arrays read it; a segment written by a live commit has none and
    is read from Whoosh; a document replaced after the rebuild is never
    found through the file's (older) postings."""
    import os
    from silat.search import postings
    index.rebuild(batch=2, procs=2)
    _name, main, public = index.indexes()
    checked = 0
    for ix in (main, public):
        with ix.searcher() as searcher:
            for reader, _offset in searcher.reader().leaf_readers():
                found = postings.PostingsFile.open(postings.folder_of(reader), reader.segment())
                assert found is not None
                for field, text in reader.all_terms():
                    ids, weights = found.postings(reader, field, text)
                    expected = list(reader.postings(field, text).items_as("weight"))
                    assert list(zip(ids.tolist(), weights.tolist())) == expected
                    checked += 1
    assert checked > 300
    searcher = index.searcher()
    columns = index.doc_columns.generation(searcher)
    assert all(arrays.postings_file is not None for arrays, _o, _d in columns.parts)
    before = SQ.officer_search(index, ("role:admin",), SQ.Params(q="gudang", size=100))["total"]
    assert before == 7
    from silat.search import reindex
    with edit_site() as site:                             # replaced: its old document is deleted
        dossier = site["berkas"]["SILAT-2026-000003"]
        dossier.fields = dict(dossier.fields, uraian="kantor")
        reindex(dossier)
    make_dossier("SILAT-2026-000020", fields={"uraian": "gudang baru"})                  # new, live commit
    searcher = index.searcher()
    columns = index.doc_columns.generation(searcher)
    assert [arrays.postings_file is None for arrays, _o, _d in columns.parts].count(True) >= 1
    result = SQ.officer_search(index, ("role:admin",), SQ.Params(q="gudang", size=100))
    uids = [item["uid"] for item in result["items"]]
    assert result["total"] == 7 and "dossier:SILAT-2026-000003" not in uids
    assert "dossier:SILAT-2026-000020" in uids
    folder = postings.folder_of(searcher.reader().leaf_readers()[0][0])

    def files():
        return {f[:-len(postings.SUFFIX)] for f in os.listdir(folder) if f.endswith(postings.SUFFIX)}
    rebuilt = files()
    assert len(rebuilt) == 4
    for n in range(30, 30 + 2 * bulk.FANOUT):            # live commits merge the small segments
        make_dossier(f"SILAT-2026-{n:06d}", fields={"uraian": "kios"})
    current = {s.segment_id() for s in segments(index.indexes()[1])}
    assert files() <= current and files() < rebuilt     # Whoosh removed the merged ones' files
    assert SQ.officer_search(index, ("role:admin",), SQ.Params(q="gudang", size=100))["total"] == 7


def test_live_merges_join_segments_of_one_size_tier(corpus, index, make_dossier):
    """A few new documents never make a live commit rewrite a small segment
    much larger than they are: the merge takes the smallest segments while
    each is no larger than those taken so far (log-many rewrites)."""
    main = index.indexes()[1]
    with main.writer() as writer:                      # one small segment of 30 documents
        for n in range(30):
            writer.add_document(uid=f"tier:{n}", root=f"tier:{n}", allowed="role:admin",
                                text="bengkel")
    before = {s.segment_id(): s.doc_count_all() for s in segments(main)}
    tier = max((sid for sid, count in before.items() if count == 30))
    for n in range(40, 40 + bulk.FANOUT + 2):
        make_dossier(f"SILAT-2026-{n:06d}", fields={"uraian": "kios pasar"})   # one commit each
    now = {s.segment_id(): s.doc_count_all() for s in segments(index.indexes()[1])}
    assert tier in now                                 # the 30-document segment was never rewritten
    assert sum(1 for count in now.values() if count < bulk.LARGE) <= bulk.FANOUT
    found = SQ.officer_search(index, ("role:admin",), SQ.Params(q="kios", size=100))
    assert found["total"] == bulk.FANOUT + 2
