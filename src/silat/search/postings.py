"""Posting lists as arrays, in a file beside each segment a rebuild writes.

Whoosh keeps a term's postings in blocks of 128, each a compressed
pickle of documents, weights and word positions. Reading a common word
("izin" is in nearly every dossier) means decompressing and unpickling
thousands of blocks: about a second at 500,000 dossiers, on the first
search that uses the word in each process (``search.columns`` then keeps
it in a bounded cache).

A rebuild worker therefore also writes, for every term of the segment it
has just written, the documents and weights as plain arrays
(``<segment id>.postings``): sorted by the term's postings offset in
the segment (the key Whoosh's own term index gives), read through one
read-only map. Whoosh's pattern for segment files matches the name, so
Whoosh deletes the file with its segment. Segments written by live
commits (small ones, and merges of small ones up to
``bulk.LARGE`` documents) have no such file; their postings are read
from Whoosh's blocks (``read``), a block at a time.

Postings here include deleted documents; callers mask them out.
"""
import mmap
import os
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import SegmentReader, TermNotFound

MAGIC = b"SILATPS1"
SUFFIX = ".postings"
_EMPTY = (np.zeros(0, np.int32), np.zeros(0, np.float32))


def _term_bytes(reader, field, text):
    return reader._text_to_bytes(field, text) if isinstance(text, str) else text


def _blocks(matcher, ids, weights):
    """Append the documents and weights of a Whoosh leaf matcher to the
    lists ``ids`` and ``weights``, a block at a time."""
    while matcher.is_active():
        matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        ids.extend(accumulate(raw_ids))                  # delta-coded within a block
        if raw_weights is None or isinstance(raw_weights, float):
            weights.extend([raw_weights or 1.0] * matcher._blocklength)
        else:
            weights.extend(raw_weights)
        matcher._next_block()


def read(reader, field, text):
    """(local documents int32, weights float32) of ``field:text`` in the
    segment of ``reader`` (a ``SegmentReader``), from Whoosh's blocks."""
    try:
        matcher = reader._terms.matcher(field, _term_bytes(reader, field, text), reader.schema[field].format)
    except (TermNotFound, KeyError):
        return _EMPTY
    ids, weights = [], []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        _blocks(matcher, ids, weights)
    else:                                        # inlined (one posting) terms
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.array(ids, np.int32), np.array(weights, np.float32)


def path_of(folder, segment):
    return os.path.join(folder, segment.segment_id() + SUFFIX)


def write(folder, schema, segment):
    """Write the postings file of ``segment`` (a finished segment in the
    index folder ``folder``); the file appears whole or not at all."""
    reader = SegmentReader(_storage(folder), schema, segment)
    terms = reader._terms
    offsets, starts, ids, weights = [], [0], [], []
    try:
        for (field, _tbytes), terminfo in terms.items():
            if terminfo.is_inlined():
                continue                         # one posting: Whoosh reads it at once
            _blocks(terms._codec.postings_reader(terms._postfile, terminfo, schema[field].format),
                    ids, weights)
            offsets.append(terminfo.extent()[0])
            starts.append(len(ids))
    finally:
        reader.close()
    offsets, starts = np.array(offsets, np.int64), np.array(starts, np.int64)
    ids, weights = np.array(ids, np.int32), np.array(weights, np.float32)
    if len(offsets) > 1 and not (offsets[1:] > offsets[:-1]).all():     # keep offsets sorted
        order = np.argsort(offsets, kind="stable")
        ids = np.concatenate([ids[starts[i]:starts[i + 1]] for i in order])
        weights = np.concatenate([weights[starts[i]:starts[i + 1]] for i in order])
        starts = np.concatenate([[0], np.cumsum((starts[1:] - starts[:-1])[order])]).astype(np.int64)
        offsets = offsets[order]
    target = path_of(folder, segment)
    tmp = target + ".tmp"
    with open(tmp, "wb") as out:
        out.write(MAGIC)
        out.write(np.array([len(offsets), len(ids)], np.int64).tobytes())
        for array in (offsets, starts, ids, weights):
            out.write(array.tobytes())
    os.replace(tmp, target)


def _storage(folder):
    from whoosh.filedb.filestore import FileStorage
    return FileStorage(folder, readonly=True)


class PostingsFile:
    """The postings file of one segment, mapped read-only."""

    def __init__(self, path):
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if self._map[:len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not a postings file")
        terms, postings = np.frombuffer(self._map, np.int64, 2, len(MAGIC))
        at = len(MAGIC) + 16
        self.offsets = np.frombuffer(self._map, np.int64, terms, at)
        at += 8 * terms
        self.starts = np.frombuffer(self._map, np.int64, terms + 1, at)
        at += 8 * (terms + 1)
        self.ids = np.frombuffer(self._map, np.int32, postings, at)
        self.weights = np.frombuffer(self._map, np.float32, postings, at + 4 * postings)

    @classmethod
    def open(cls, folder, segment):
        """The segment's postings file, or None when it has none (or an
        unreadable one: Whoosh's blocks are then read instead)."""
        try:
            return cls(path_of(folder, segment))
        except (OSError, ValueError):
            return None

    def postings(self, reader, field, text):
        """(documents, weights) of ``field:text``; from Whoosh when the
        term is inlined in its term index."""
        try:
            terminfo = reader._terms.term_info(field, _term_bytes(reader, field, text))
        except (TermNotFound, KeyError):
            return _EMPTY
        if terminfo.is_inlined():
            return read(reader, field, text)
        found = int(np.searchsorted(self.offsets, terminfo.extent()[0]))
        if found >= len(self.offsets) or self.offsets[found] != terminfo.extent()[0]:
            return read(reader, field, text)     # not in the file: trust Whoosh
        start, end = self.starts[found], self.starts[found + 1]
        return self.ids[start:end], self.weights[start:end]


def folder_of(reader):
    """The index folder of a ``SegmentReader``."""
    storage = reader._storage
    return getattr(storage, "folder", None) or getattr(getattr(storage, "b", None), "folder", None)
