"""The officer search and the public register on numpy arrays (issue 16).

Whoosh keeps both indexes and parses every query. For the parts of a
search that grow with the number of hits, each Whoosh segment is read
once into arrays (segments never change once written):

- per document: its date and a code for each facet value;
- per term, on first use: the documents holding it and their term
  frequencies (a bounded cache, shared by threads);
- per field, on first use: each document's field length.

An index generation (the segments a searcher sees, with their deletions)
joins these into arrays indexed by the searcher's own document numbers.
A query then becomes boolean masks (its words, the permission filter,
the facet filters) and:

- the total is a count of the mask;
- every facet number is one ``bincount`` over the hits;
- newest first is a partial sort of the hits' dates;
- relevance is BM25F computed over the hits' term frequencies with
  Whoosh's own statistics (idf, average field length) and formula, so
  the order is Whoosh's.

No Python loop runs per hit. The permission mask is built in
``search.security`` (``allowed_mask``) and fails closed.
"""
import threading
from collections import OrderedDict

import numpy as np
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long

from silat.search import postings
from silat.search.schema import FACETS
from silat.search.whoosh_patches import length_bytes, release_pages

TERM_BUDGET = 8_000_000          # postings kept in the term cache per process (64 MB at most)
MAX_TERMS = 200_000              # cached (segment, field, term) entries per process
KEEP = 4                         # generations kept (threads may hold older searchers a while)
_WEIGHTING = BM25F()
# Whoosh's quantized field lengths by length byte (0: no length, as Whoosh's None)
_LENGTHS = np.array([np.nan] + [byte_to_length(b) for b in range(1, 256)], np.float64)
CELLS = 1_000_000                # values x width laid out at a time by read_codes
ALLOWED_KEPT = 64                # principal sets whose permission mask a generation keeps (bit-packed)


def _has_column(reader, name):
    return name in reader.schema and reader.has_column(name)


def read_dates(reader, field, count):
    """Each document's date of ``field`` as Whoosh's long (0: none). A
    date column is read in place as one array; other columns per value."""
    if not _has_column(reader, field):
        return np.zeros(count, np.int64)
    raw = reader.column_reader(field, translate=False)
    if isinstance(raw, NumericColumn.Reader) and raw._typecode == "Q" and not raw._reverse:
        stored = min(raw._count, count)
        found = np.frombuffer(raw._dbfile.get(raw._basepos, 8 * stored), ">u8", stored)
        dates = np.zeros(count, np.int64)           # the column's default (2**64 - 1): no date
        dates[:stored] = np.where(found == np.uint64(raw._default), 0, found)
        return dates
    return read_dates_slowly(reader, field, count)


def read_dates_slowly(reader, field, count):
    return np.fromiter((datetime_to_long(v) if v else 0 for v in reader.column_reader(field)),
                       np.int64, count)


def read_codes(reader, field, count):
    """(codes, values) of facet ``field``: each document's code (0: no
    value) and the values by code (``values[0]`` None). A text column is
    read in place: its values are laid out side by side as fixed-width
    byte strings and numbered by ``np.unique``, with no Python step per
    document."""
    if not _has_column(reader, field):
        return np.zeros(count, np.int32), [None]
    raw = reader.column_reader(field, translate=False)
    if not isinstance(raw, VarBytesColumn.Reader) or count == 0:
        return read_codes_slowly(reader, field, count)
    lengths = np.zeros(count, np.int64)
    stored = min(len(raw._lengths), count)
    lengths[:stored] = np.asarray(raw._lengths)[:stored]
    total, width = int(lengths.sum()), int(lengths.max())
    data = np.frombuffer(raw._dbfile.get(raw._basepos, total), np.uint8) if total else None
    if not width or not data.all():              # empty, or a NUL byte that fixed width would drop
        return read_codes_slowly(reader, field, count) if width else (np.zeros(count, np.int32), [None])
    starts = np.cumsum(lengths) - lengths
    columns = np.arange(width)
    laid = np.empty(count, f"S{width}")
    rows = max(1, CELLS // width)                # bounds the temporary arrays in a large segment
    for first in range(0, count, rows):
        part = slice(first, first + rows)
        inside = columns < lengths[part, None]
        cells = np.minimum(starts[part, None] + columns, total - 1)
        laid[part] = np.where(inside, data[cells], 0).astype(np.uint8).view(f"S{width}").ravel()
    keys, codes = np.unique(laid, return_inverse=True)
    decode = reader.schema[field].from_column_value
    values = [decode(bytes(key)) if key else None for key in keys]
    if values[0] is not None:                   # every document has a value: make room for code 0
        values.insert(0, None)
        codes = codes + 1
    return codes.astype(np.int32), values


def read_codes_slowly(reader, field, count):
    values, codes = {}, np.zeros(count, np.int32)
    for docnum, value in enumerate(reader.column_reader(field)):
        if value:
            codes[docnum] = values.setdefault(value, len(values) + 1)
    return codes, [None] + list(values)


class SegmentArrays:
    """The per-document arrays of one Whoosh segment."""

    def __init__(self, reader, date_field, facets):
        self.count = reader.doc_count_all()
        self.dates = read_dates(reader, date_field, self.count)
        self.facets = {name: read_codes(reader, name, self.count) for name in facets}
        self.lengths = {}                       # field -> length bytes
        self.postings_file = postings.PostingsFile.open(postings.folder_of(reader), reader.segment())

    def share(self, generation, offset):
        """Point the arrays at ``generation``'s copies (views), so a
        segment's arrays are held once however many generations use it."""
        end = offset + self.count
        self.dates = generation.dates[offset:end]
        self.facets = {name: (codes[offset:end], values)
                       for name, (codes, values) in generation.facets.items()}


class Generation:
    """Arrays of one generation, indexed by the searcher's document numbers."""

    def __init__(self, parts, owner, facets):
        self.parts = parts                       # [(SegmentArrays, offset, deleted local docnums)]
        self.owner = owner
        self.count = sum(arrays.count for arrays, _o, _d in parts)
        self.live = np.ones(self.count, bool)
        for arrays, offset, deleted in parts:
            if deleted:
                self.live[offset + np.array(deleted, np.int64)] = False
        self.all_live = bool(self.live.all())
        self.dates = np.concatenate([a.dates for a, _o, _d in parts]) if parts else np.zeros(0, np.int64)
        self.facets = {}
        for name in facets:
            values, codes = [None], []
            index = {}
            for arrays, _offset, _deleted in parts:
                local_codes, local_values = arrays.facets[name]
                remap = np.zeros(len(local_values), np.int32)
                for code, value in enumerate(local_values[1:], 1):
                    if value not in index:
                        index[value] = len(values)
                        values.append(value)
                    remap[code] = index[value]
                codes.append(remap[local_codes])
            dtype = np.min_scalar_type(len(values))
            self.facets[name] = (np.concatenate(codes, dtype=dtype, casting="unsafe") if codes
                                 else np.zeros(0, dtype), values)
        for arrays, offset, _deleted in parts:       # segments keep views: one copy in memory
            arrays.share(self, offset)
        self._lengths = {}
        self._allowed = OrderedDict()            # principals -> packed mask (search.security)
        self._lock = threading.Lock()

    def leaves(self, searcher):
        """{segment id: leaf reader} of ``searcher`` (kept on the searcher)."""
        found = getattr(searcher, "_silat_leaves", None)
        if found is None:
            found = searcher._silat_leaves = {r.segment().segment_id(): r
                                              for r, _o in searcher.reader().leaf_readers()
                                              if r.segment() is not None}
        return found

    def term(self, searcher, field, text):
        """(docnums, term frequencies) of ``field:text`` in this
        generation's live documents."""
        found = self.owner.segment_terms(self.parts, self.leaves(searcher), field, text)
        sizes = [len(local_ids) for local_ids, _w in found]
        if not sum(sizes):
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        ids = np.concatenate([local_ids for local_ids, _w in found], dtype=np.int64, casting="unsafe")
        ids += np.repeat([offset for _a, offset, _d in self.parts], sizes)
        weights = np.concatenate([local_weights for _i, local_weights in found], dtype=np.float64,
                                 casting="unsafe")
        if self.all_live:
            return ids, weights
        live = self.live[ids]
        return ids[live], weights[live]

    def lengths(self, searcher, field):
        """Every document's length byte of ``field`` (Whoosh's quantized
        length; ``_LENGTHS`` decodes it)."""
        found = self._lengths.get(field)
        if found is None:
            leaves = self.leaves(searcher)
            found = np.concatenate([self.owner.segment_lengths(arrays, leaves, field)
                                    for arrays, _o, _d in self.parts]) if self.parts \
                else np.zeros(0, np.uint8)
            with self._lock:
                self._lengths[field] = found
            for arrays, offset, _deleted in self.parts:
                arrays.lengths[field] = found[offset:offset + arrays.count]
        return found

    def allowed(self, principals, build):
        """The mask of ``principals`` (a frozenset) from ``build()`` once per
        generation, kept bit-packed (an eighth of a byte a document) for the
        last ``ALLOWED_KEPT`` principal sets."""
        with self._lock:
            packed = self._allowed.get(principals)
            if packed is not None:
                self._allowed.move_to_end(principals)
        if packed is None:
            mask = build()
            with self._lock:
                self._allowed[principals] = np.packbits(mask)
                while len(self._allowed) > ALLOWED_KEPT:
                    self._allowed.popitem(last=False)
            return mask
        return np.unpackbits(packed, count=self.count).view(bool)

    def mask_of(self, docnums):
        mask = np.zeros(self.count, bool)
        mask[np.fromiter(docnums, np.int64)] = True
        return mask

    def facet_mask(self, facets):
        """Documents having every (facet, value) of ``facets``."""
        mask = self.live.copy()
        for name, value in facets:
            codes, values = self.facets[name]
            try:
                mask &= codes == values.index(value, 1)
            except ValueError:
                mask[:] = False
        return mask

    def facet_any(self, name, values):
        """Documents whose facet ``name`` has one of ``values``."""
        codes, known = self.facets[name]
        wanted = [known.index(v, 1) for v in values if v in known[1:]]
        return self.live & np.isin(codes, wanted)

    def date_mask(self, start=None, end=None):
        """Documents dated from ``start`` to ``end`` (datetimes, inclusive)."""
        mask = self.live.copy()
        if start is not None:
            mask &= self.dates >= datetime_to_long(start)
        if end is not None:
            mask &= self.dates <= datetime_to_long(end)
        return mask

    def match(self, searcher, words, scored):
        """(mask, scores or None) of documents matching every word; a word
        is a list of (field, tokens) of which one must match (all tokens).
        Scores are meaningful only where the mask is set."""
        mask = np.ones(self.count, bool)
        scores = np.zeros(self.count) if scored else None
        for choices in words:
            word_mask = np.zeros(self.count, bool)
            word_scores = np.zeros(self.count) if scored else None
            for field, tokens in choices:
                docnums, field_scores = self._field_hits(searcher, field, tokens, scored)
                word_mask[docnums] = True
                if scored:
                    word_scores[docnums] += field_scores
            mask &= word_mask
            if scored:
                scores += word_scores
        return mask, scores

    def _field_hits(self, searcher, field, tokens, scored):
        """(docnums, summed scores or None) of the documents whose ``field``
        holds every one of ``tokens`` (not empty): sorted document numbers,
        no array over all documents."""
        docnums, scores = None, None
        for token in tokens:
            ids, frequencies = self.term(searcher, field, token)
            if not len(ids):                     # in no document: nothing to score
                return ids, (frequencies if scored else None)
            token_scores = self._bm25(searcher, field, token, ids, frequencies) if scored else None
            if docnums is None:
                docnums, scores = ids, token_scores
                continue
            docnums, mine, theirs = np.intersect1d(docnums, ids, assume_unique=True,
                                                   return_indices=True)
            if scored:
                scores = scores[mine] + token_scores[theirs]
        return docnums, scores

    def _bm25(self, searcher, field, text, docnums, frequencies):
        """Whoosh's BM25F score of ``field:text`` for ``docnums``."""
        if not searcher.schema[field].scorable:
            return frequencies                   # Whoosh's WeightScorer: the weight itself
        idf = searcher.idf(field, text)
        average = searcher.avg_field_length(field) or 1
        lengths = _LENGTHS[self.lengths(searcher, field)[docnums]]
        b, k1 = _WEIGHTING.B, _WEIGHTING.K1
        return idf * ((frequencies * (k1 + 1)) / (frequencies + k1 * ((1 - b) + b * lengths / average)))

    def facet_counts(self, mask, names):
        """{facet: {value: number of hits}} for the facets ``names``,
        biggest first; empty values left out."""
        out = {}
        hits = np.flatnonzero(mask)              # once: gathering by index beats a mask per facet
        for name in names:
            codes, values = self.facets[name]
            counts = np.bincount(codes[hits], minlength=len(values))
            found = [(values[code], int(counts[code])) for code in np.flatnonzero(counts) if code]
            out[name] = dict(sorted(found, key=lambda kv: (-kv[1], kv[0])))
        return out

    def page(self, mask, page, size, scores=None):
        """Document numbers of page ``page``: by score (ties: lower docnum
        first, as Whoosh), or newest first (ties: higher docnum first, as
        before); only the first ``page * size`` hits are sorted."""
        hits = np.flatnonzero(mask)
        primary = self.dates[hits] if scores is None else scores[hits]
        want = page * size
        if len(hits) > want:
            cut = np.partition(primary, len(hits) - want)[len(hits) - want]
            keep = primary >= cut
            hits, primary = hits[keep], primary[keep]
        order = (np.lexsort((hits, primary))[::-1] if scores is None
                 else np.lexsort((hits, -primary)))
        return hits[order][(page - 1) * size:want].tolist()


class DocColumns:
    """Per process and index: the arrays of its recent generations, with
    the index's date field and facet fields."""

    def __init__(self, date_field="date", facets=FACETS, term_budget=TERM_BUDGET):
        self.date_field, self.facet_fields = date_field, tuple(facets)
        self._lock = threading.Lock()
        self._segments = {}                      # segment id -> SegmentArrays
        self._generations = OrderedDict()        # signature -> Generation
        self._terms = OrderedDict()              # (segment id, field, text) -> (ids, weights), LRU
        self._term_size = 0
        self.term_budget = term_budget

    def generation(self, searcher):
        leaves = [(r, o) for r, o in searcher.reader().leaf_readers() if r.segment() is not None]
        signature = tuple((r.segment().segment_id(), r.segment().deleted_count()) for r, _o in leaves)
        found = self._generations.get(signature)
        if found is not None:
            return found
        with self._lock:
            found = self._generations.get(signature)
            if found is not None:
                return found
            parts = []
            for reader, offset in leaves:
                segment = reader.segment()
                arrays = self._segments.get(segment.segment_id())
                if arrays is None:
                    arrays = self._segments[segment.segment_id()] = SegmentArrays(
                        reader, self.date_field, self.facet_fields)
                    arrays.segment_id = segment.segment_id()
                    release_pages(reader)
                deleted = list(segment.deleted_docs()) if segment.has_deletions() else []
                parts.append((arrays, offset, deleted))
            found = self._generations[signature] = Generation(parts, self, self.facet_fields)
            while len(self._generations) > KEEP:
                self._generations.popitem(last=False)
            used = {a.segment_id for gen in self._generations.values() for a, _o, _d in gen.parts}
            for sid in [sid for sid in self._segments if sid not in used]:
                del self._segments[sid]                      # merged away
            for key in [key for key in self._terms if key[0] not in used]:
                self._term_size -= self._terms.pop(key)[2]
            return found

    def segment_terms(self, parts, leaves, field, text):
        """[(local docnums, frequencies)] of ``field:text`` in each segment
        of ``parts``, deleted documents included, through the term cache."""
        found = [None] * len(parts)
        with self._lock:                         # cache hits under one lock
            for i, (arrays, _offset, _deleted) in enumerate(parts):
                hit = self._terms.get((arrays.segment_id, field, text))
                if hit is not None:
                    self._terms.move_to_end((arrays.segment_id, field, text))
                    found[i] = hit[:2]
        return [local if local is not None else self.segment_term(arrays, leaves, field, text)
                for local, (arrays, _o, _d) in zip(found, parts)]

    def segment_term(self, arrays, leaves, field, text):
        """(local docnums, frequencies) of ``field:text`` in one segment,
        deleted documents included, through the term cache: a slice of
        the segment's postings file (no heap: counted as one posting), else
        read from Whoosh's blocks. Finding a term in Whoosh's term index
        costs about 20 microseconds a segment, so slices are cached too."""
        key = (arrays.segment_id, field, text)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found[:2]
        if arrays.postings_file is not None:
            found = arrays.postings_file.postings(leaves[arrays.segment_id], field, text) + (1,)
        else:
            found = postings.read(leaves[arrays.segment_id], field, text)
            found += (len(found[0]),)
        with self._lock:
            if key not in self._terms:
                self._terms[key] = found
                self._term_size += found[2]
                while (self._term_size > self.term_budget or len(self._terms) > MAX_TERMS) \
                        and len(self._terms) > 1:
                    _key, old = self._terms.popitem(last=False)
                    self._term_size -= old[2]
        return found[:2]

    def segment_lengths(self, arrays, leaves, field):
        found = arrays.lengths.get(field)
        if found is None:
            raw = length_bytes(leaves[arrays.segment_id]._perdoc, field)
            found = (np.ones(arrays.count, np.uint8) if raw is None     # byte 1: length 1
                     else np.frombuffer(raw, np.uint8, arrays.count))
            arrays.lengths[field] = found
            release_pages(leaves[arrays.segment_id])
        return found
