"""Issue 16: the officer search on arrays (``search.columns``) answers as
Whoosh does: the same hits, totals, relevance order and facet numbers,
for every kind of caller, also after deletions and across segments."""
import random

import pytest
from whoosh import query as Q

from silat.search import query as SQ, reindex
from silat.search.security import allowed_docs, search_allowed

WORDS = "gudang klinik toko kantor bangunan apotek rumah makan bengkel salon".split()
NAMES = "Budi Siti Ani Joko Rina Agus Dewi".split()
CALLERS = [("role:admin",), ("role:verifikator",), ("agency:DINKES",), ("user:pemohon",),
           ("role:arsiparis",), ("user:nobody",), ()]


@pytest.fixture
def corpus(seeded, make_dossier, edit_site, index):
    rnd = random.Random(3)
    for n in range(1, 41):
        words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(2, 9)))
        make_dossier(f"SILAT-2026-{n:06d}", owner=rnd.choice(("pemohon", "warga")),
                     state=rnd.choice(("submitted", "in_review", "rejected", "draft")),
                     reviewers=("DINKES",) if n % 3 == 0 else (),
                     applicant={"name": f"{rnd.choice(NAMES)} {rnd.choice(NAMES)}"},
                     fields={"uraian": words})
    index.rebuild(batch=15, procs=1)                 # three segments
    with edit_site() as site:                        # a change: a deletion + a new segment
        dossier = site["berkas"]["SILAT-2026-000007"]
        dossier.fields = {"uraian": "gudang ulang"}
        reindex(dossier)
    assert any(s.has_deletions() for s in index.indexes()[1]._read_toc().segments)
    return seeded


def whoosh_reference(index, principals, params):
    """Hits in Whoosh's relevance order and brute-force facet numbers."""
    searcher = index.searcher()
    parsed = SQ.parse_query(searcher.schema, params.q, SQ.OFFICER_FIELDS)
    clauses = [parsed] + [Q.Term(name, value) for name, value in params.facets]
    results = search_allowed(searcher, Q.And(clauses) if len(clauses) > 1 else parsed, principals,
                             limit=None)
    uids = [hit["uid"] for hit in results]
    facets = {}
    for hit in results:
        for name in ("service", "state", "year"):
            if hit.get(name):
                facets.setdefault(name, {}).setdefault(hit[name], 0)
                facets[name][hit[name]] += 1
    return uids, facets


QUERIES = ["gudang", "klinik toko", "pemohon:budi", "kantor bangunan rumah", "isi:gudang",
           "SILAT-2026-000012", "zzz", ""]


def test_relevance_order_totals_and_facets_equal_whoosh(corpus, index):
    for q, callers in [(q, callers) for q in QUERIES for callers in CALLERS]:
        principals = ("system.Everyone", "system.Authenticated") + callers if callers else ()
        params = SQ.Params(q=q, sort="relevance", size=100)
        got = SQ.officer_search(index, principals, params)
        uids, facets = whoosh_reference(index, principals, params)
        assert got["total"] == len(uids), (q, callers)
        if q:
            assert [item["uid"] for item in got["items"]] == uids, (q, callers)
        else:
            assert sorted(item["uid"] for item in got["items"]) == sorted(uids)
        for name in facets:
            assert got["facets"][name] == dict(sorted(facets[name].items(), key=lambda kv: (-kv[1], kv[0])))
        assert not allowed_docs(index.searcher(), ()) and (callers or got["total"] == 0)


def test_pages_of_relevance_and_of_newest_first_join_up(corpus, index):
    principals = ("system.Everyone", "system.Authenticated", "role:admin")
    for sort in ("relevance", "date"):
        whole = SQ.officer_search(index, principals, SQ.Params(q="gudang", sort=sort, size=100))
        pages = [SQ.officer_search(index, principals, SQ.Params(q="gudang", sort=sort, page=p, size=3))
                 for p in range(1, -(-whole["total"] // 3) + 2)]
        assert [i["uid"] for page in pages for i in page["items"]] == [i["uid"] for i in whole["items"]]
    dates = [i["date"] for i in whole["items"]]
    assert dates == sorted(dates, reverse=True)


def test_wildcards_and_phrases_are_counted_on_the_same_arrays(corpus, index):
    principals = ("system.Everyone", "system.Authenticated", "role:admin")
    for q in ('pemohon:bud*', '"gudang ulang"', "gudang OR klinik", "gudang NOT toko"):
        params = SQ.Params(q=q, sort="relevance", size=100)
        got = SQ.officer_search(index, principals, params)
        uids, _facets = whoosh_reference(index, principals, params)
        assert got["total"] == len(uids) and [i["uid"] for i in got["items"]] == uids, q
        dated = SQ.officer_search(index, principals, SQ.Params(q=q, sort="date", size=100))
        assert sorted(i["uid"] for i in dated["items"]) == sorted(uids)


def test_arrays_are_read_ahead_after_start_for_a_large_index(corpus, index):
    assert index.warm(minimum=10_000) is None              # a small index: nothing to do
    assert not index.doc_columns._generations
    thread = index.warm(minimum=1)
    thread.join(30)
    assert not thread.is_alive()
    assert index.doc_columns._generations and index.public_columns._generations


def test_searches_on_an_empty_index_answer_nothing(testapp, seeded, index):
    """A fresh site: words that are in no document, in both orders, on
    both indexes (BM25F must not score absent terms: idf of an empty index)."""
    from tests.web import api_token, bearer
    token = api_token(testapp, "verifikator", seeded)
    for sort in ("relevance", "date"):
        for q in ("izin", "izin gudang", "pemohon:budi", ""):
            res = testapp.get("/api/v1/search", params={"q": q, "sort": sort}, headers=bearer(token))
            assert res.json["items_total"] == 0 and res.json["items"] == [], (q, sort)
            res = testapp.get("/api/v1/permits", params={"q": q, "sort": sort})
            assert res.json["items_total"] == 0, (q, sort)
            assert testapp.get("/portal/izin", params={"q": q, "sort": sort}).status_int == 200


def test_permission_masks_are_kept_per_generation_and_follow_grants(corpus, index, edit_site):
    """``allowed_mask`` is built once per generation and principal set and
    kept bit-packed; each caller gets its own copy, an empty set still
    allows nothing, and a grant indexed later is seen by the next
    generation (the kept mask is not reused across generations)."""
    import numpy as np
    from silat.security.localroles import grant
    from silat.search.security import allowed_mask

    dinkes = ("system.Everyone", "system.Authenticated", "agency:DINKES")
    params = SQ.Params(q="", sort="date", size=100)
    before = SQ.officer_search(index, dinkes, params)
    searcher = index.searcher()
    columns = index.doc_columns.generation(searcher)
    assert frozenset(dinkes) in columns._allowed
    first = allowed_mask(searcher, columns, dinkes)
    first[:] = True                                   # the caller's copy, not the kept mask
    assert np.array_equal(allowed_mask(searcher, columns, dinkes),
                          columns.mask_of(allowed_docs(searcher, dinkes)))
    assert not allowed_mask(searcher, columns, ()).any()
    assert SQ.officer_search(index, dinkes, params) == before

    with edit_site() as site:                         # DINKES is asked to review one more dossier
        dossier = next(site["berkas"][f"SILAT-2026-{n:06d}"] for n in range(1, 41)
                       if n % 3 and site["berkas"][f"SILAT-2026-{n:06d}"].state == "in_review")
        grant(dossier, "agency:DINKES", "reviewer")
        reindex(dossier)
    after = SQ.officer_search(index, dinkes, params)
    uids, _facets = whoosh_reference(index, dinkes, params)
    assert after["total"] == len(uids) == before["total"] + 1
    assert sorted(i["uid"] for i in after["items"]) == sorted(uids)


def test_a_new_generation_answers_as_whoosh_with_segment_arrays_shared(corpus, index, edit_site):
    """Segment arrays are views into the newest generation's arrays (one
    copy in memory); a generation built after a change from those views
    still answers as Whoosh does."""
    import numpy as np
    admin = ("system.Everyone", "system.Authenticated", "role:admin")
    SQ.officer_search(index, admin, SQ.Params(q="gudang", sort="relevance"))
    old = index.doc_columns.generation(index.searcher())
    assert all(np.shares_memory(arrays.dates, old.dates) for arrays, _o, _d in old.parts)
    with edit_site() as site:
        dossier = site["berkas"]["SILAT-2026-000003"]
        dossier.fields = {"uraian": "gudang klinik gudang"}
        reindex(dossier)
    for q in QUERIES:
        params = SQ.Params(q=q, sort="relevance", size=100)
        got = SQ.officer_search(index, admin, params)
        uids, facets = whoosh_reference(index, admin, params)
        assert got["total"] == len(uids), q
        if q:
            assert [item["uid"] for item in got["items"]] == uids, q
        for name in facets:
            assert got["facets"][name] == dict(sorted(facets[name].items(), key=lambda kv: (-kv[1], kv[0])))
    new = index.doc_columns.generation(index.searcher())
    assert new is not old
    assert all(np.shares_memory(arrays.dates, new.dates) for arrays, _o, _d in new.parts)


@pytest.mark.parametrize("cells", [None, 7])     # 7: a large segment laid out a few rows at a time
def test_columns_read_in_place_equal_whooshs_values(corpus, index, make_dossier, monkeypatch, cells):
    """``read_dates`` and ``read_codes`` read a segment's date and facet
    columns as whole arrays; they give every document the value Whoosh's
    own column reader gives it, in every segment (with deletions, a
    document without a kecamatan, values of several lengths)."""
    from silat.search import columns
    from silat.search.columns import read_codes, read_codes_slowly, read_dates, read_dates_slowly
    from silat.search.schema import FACETS
    if cells:
        monkeypatch.setattr(columns, "CELLS", cells)
    make_dossier("SILAT-2026-000099", location={"kecamatan": "", "kelurahan": "", "address": ""})
    make_dossier("SILAT-2026-000098", service="IMB", location={"kecamatan": "Bantar Gebang",
                                                                "kelurahan": "Ciketing Udik",
                                                                "address": "Jl. Raya 2"})
    leaves = [r for r, _o in index.searcher().reader().leaf_readers()]
    assert len(leaves) >= 3
    from whoosh.columns import NumericColumn, VarBytesColumn
    for reader in leaves:
        count = reader.doc_count_all()
        assert isinstance(reader.column_reader("date", translate=False), NumericColumn.Reader)
        assert isinstance(reader.column_reader("service", translate=False), VarBytesColumn.Reader)
        assert (read_dates(reader, "date", count) == read_dates_slowly(reader, "date", count)).all()
        for name in FACETS:
            codes, values = read_codes(reader, name, count)
            old_codes, old_values = read_codes_slowly(reader, name, count)
            assert values[0] is None and old_values[0] is None
            assert [values[c] for c in codes] == [old_values[c] for c in old_codes], name
    assert any(None in [read_codes(r, "kecamatan", r.doc_count_all())[1][c]
                        for c in read_codes(r, "kecamatan", r.doc_count_all())[0]] for r in leaves)
