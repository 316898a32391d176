"""Public permit search on C-coded integer sets (issue 16).

Whoosh keeps the public index (``schema.make_public_schema``). This
module reads each of its segments once into BTrees ``LLSet``s: for every
(field, term) the keys of the permits holding it. A permit's key is its
issue time (microseconds since 2000, times 1024; permits issued in the
same microsecond take the next free key), so every set is already in
issue order. A query
intersects sets in C, cuts a key range for dates, counts with ``len``
and reads only its page, from the end: newest first, without scoring or
sorting what it does not show.

Whoosh segments never change once written, so after a commit only the
new segment is read; deleted documents are subtracted per index
generation. Served here: plain words (each word in any public field,
analysed as that field analyses it, as Whoosh's parser does), words
for one field (``pemegang:budi``, ``nomor:"503/1/IMB/..."``), the
service and kecamatan filters and the issue date range, newest first.
Operators, wildcards, groups, phrases of several words and relevance
order go to Whoosh (``query.public_search`` decides).
"""
import datetime as dt
import re
import threading
from collections import OrderedDict

from BTrees.LLBTree import LLSet, difference, intersection, multiunion
from whoosh.util.times import datetime_to_long

from silat.search.schema import PUBLIC_ALIASES, PUBLIC_USER_FIELDS

FILTER_FIELDS = ("service", "kecamatan")
SPREAD = 1024                                   # keys per microsecond
EPOCH = datetime_to_long(dt.datetime(2000, 1, 1))
_WORD = re.compile(r"^\w[\w./-]*$")
_PART = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def analyse(text, schema, fields=PUBLIC_USER_FIELDS, aliases=PUBLIC_ALIASES):
    """The query as words, each a list of (field, tokens) of which one must
    match, analysed as Whoosh's parser analyses them for ``fields``; None
    when the query needs the parser (operators, wildcards, groups, phrases
    of several words, unknown fields)."""
    names = {field: field for field in fields}
    names.update({alias: field for field, found in aliases.items() if field in fields for alias in found})
    words = []
    for match in _PART.finditer(text):
        quoted_name, quoted, name, value, plain = match.groups()
        if plain is not None:
            if not _WORD.match(plain) or plain in _OPERATORS:
                return None
            choices = [(field, list(schema[field].process_text(plain, mode="query")))
                       for field in fields]
        else:
            field = names.get(quoted_name or name)
            value = quoted if quoted_name else value
            if field is None or (not quoted_name and not _WORD.match(value)):
                return None
            tokens = list(schema[field].process_text(value, mode="query"))
            if quoted_name and len(tokens) > 1:
                return None                     # a phrase: positions matter
            choices = [(field, tokens)]
        choices = [(field, tokens) for field, tokens in choices if tokens]
        if choices:
            words.append(choices)
    return words


def key_range(start, end):
    """Keys of permits issued from ``start`` to ``end`` (datetimes, inclusive)."""
    low = (datetime_to_long(start) - EPOCH) * SPREAD if start else None
    high = (datetime_to_long(end) - EPOCH) * SPREAD + SPREAD - 1 if end else None
    return low, high


class SegmentSets:
    """The sets of one Whoosh segment; ``doc_of`` maps key -> local docnum."""

    def __init__(self, reader, owner):
        column = reader.column_reader("issued_at")
        self.doc_of = {}
        keys = []
        for docnum in range(reader.doc_count_all()):
            issued = column[docnum]
            key = (datetime_to_long(issued) - EPOCH) * SPREAD if issued else 0
            while key in owner:                 # a tie: the next free key, in docnum order
                key += 1
            owner[key] = self
            self.doc_of[key] = docnum
            keys.append(key)
        self.keys = keys
        self.all = LLSet(keys)
        self.postings = {}
        schema = reader.schema
        for field in (*PUBLIC_USER_FIELDS, *FILTER_FIELDS):
            if field not in schema:
                continue
            for term in reader.lexicon(field):
                ids = reader.postings(field, term).all_ids()
                text = schema[field].from_bytes(term)
                self.postings[(field, text)] = LLSet([keys[i] for i in ids])

    def release(self, owner):
        for key in self.keys:
            if owner.get(key) is self:
                del owner[key]


class _Generation:
    """The segments of one index generation, with its deleted keys."""

    def __init__(self, parts):
        self.parts = parts                      # [(segment id, SegmentSets, deleted local docnums)]
        self.all = difference(multiunion([s.all for _i, s, _d in parts]),
                              LLSet([s.keys[d] for _i, s, deleted in parts for d in deleted]))
        self.cache = {}

    def term(self, field, text):
        found = self.cache.get((field, text))
        if found is None:
            found = multiunion([s.postings[(field, text)] for _i, s, _d in self.parts
                                if (field, text) in s.postings])
            if len(self.cache) < 4096:
                self.cache[(field, text)] = found
        return found


class PermitSets:
    """Per process: the sets of the segments the public index has had lately
    (threads may hold searchers of different generations for a while)."""

    KEEP = 4                                    # generations kept

    def __init__(self):
        self._lock = threading.Lock()
        self._segments = {}                     # segment id -> SegmentSets
        self._owner = {}                        # key -> SegmentSets
        self._generations = OrderedDict()       # signature -> _Generation

    def generation(self, searcher):
        leaves = [(r, o) for r, o in searcher.reader().leaf_readers() if r.segment() is not None]
        signature = tuple((r.segment().segment_id(), r.segment().deleted_count()) for r, _o in leaves)
        current = self._generations.get(signature)
        if current is not None:
            return current
        with self._lock:
            current = self._generations.get(signature)
            if current is not None:
                return current
            parts = []
            for reader, _offset in leaves:
                segment = reader.segment()
                sets = self._segments.get(segment.segment_id())
                if sets is None:
                    sets = self._segments[segment.segment_id()] = SegmentSets(reader, self._owner)
                deleted = list(segment.deleted_docs()) if segment.has_deletions() else []
                parts.append((segment.segment_id(), sets, deleted))
            current = self._generations[signature] = _Generation(parts)
            while len(self._generations) > self.KEEP:
                self._generations.popitem(last=False)
            used = {sid for gen in self._generations.values() for sid, _s, _d in gen.parts}
            for sid in [sid for sid in self._segments if sid not in used]:
                self._segments.pop(sid).release(self._owner)     # merged away
            return current

    def search(self, searcher, words, filters, start, end, page, size):
        """(total, [stored fields]) newest first; ``words`` from ``analyse``."""
        gen = self.generation(searcher)
        sets = []
        for choices in words:
            found_any = []
            for field, tokens in choices:
                found = gen.term(field, tokens[0])
                for token in tokens[1:]:
                    found = intersection(found, gen.term(field, token))
                found_any.append(found)
            sets.append(multiunion(found_any))
        sets.extend(gen.term(field, value) for field, value in filters)
        sets.sort(key=len)
        result = gen.all
        for found in sets:
            result = intersection(found, result)
            if not result:
                return 0, []
        if sets:
            result = intersection(result, gen.all)       # no deleted permit
        if start or end:
            low, high = key_range(start, end)
            result = LLSet(result.keys(low, high))
        total = len(result)
        first = total - (page - 1) * size - 1
        readers = {r.segment().segment_id(): (r, offset)
                   for r, offset in searcher.reader().leaf_readers() if r.segment() is not None}
        out = []
        for index in range(first, max(first - size, -1), -1):
            key = result[index]
            segment_id, docnum = self._locate(gen, key)
            _reader, offset = readers[segment_id]
            out.append(searcher.stored_fields(offset + docnum))
        return total, out

    @staticmethod
    def _locate(gen, key):
        for segment_id, sets, _deleted in gen.parts:
            docnum = sets.doc_of.get(key)
            if docnum is not None:
                return segment_id, docnum
        raise KeyError(key)
