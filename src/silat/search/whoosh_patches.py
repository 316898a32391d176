"""Four corrections to whoosh-reloaded, applied when the indexer is
imported, and ``release_pages``.

``W3PerDocReader._cached_reader`` caches the column readers it finds but
not their absence: for a field without a lengths column (ID and KEYWORD
fields) every posting written asks the file system again whether the
column file exists. Profiling a rebuild of 8,000 dossiers found 422,000
such ``os.path.exists`` calls, about a tenth of the rebuild. A segment's
column files never change once written, so the absence is cached too.

``BufferFile`` (a file inside a compound segment, over the segment's
``mmap``) wrapped its memoryview in a ``BytesIO``, which copies it: every
searcher held a private copy of the postings, terms and columns of every
segment it opened, about the size of the index per serving thread (an
app process with 4 threads on 20,000 dossiers grew to 800 MB). It now
reads the memoryview in place (``ViewFile``).

Each searcher also mapped every compound segment file again: the pages
are the kernel's page cache, but a process's RSS counts them once per
mapping, so once per serving thread. Readers of the same file in one
process now share one read-only map (``SharedMap``), unmapped when the
last of them is gone.

``W3PerDocReader.doc_field_length`` read one byte of a field's lengths
column through the file layer (a seek and a read) per call: once per
posting when a segment is written (a fifth of a rebuild worker's time)
and once per scored hit when Whoosh ranks. Each reader now reads a
field's lengths column once, as bytes (``length_bytes``).
"""
import mmap
import os
import threading
import weakref

from whoosh.codec import whoosh3
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.util.numeric import byte_to_length

_MISSING = object()


def _cached_reader(self, fieldname, column):
    found = self._readers.get(fieldname)
    if found is None:
        found = self._readers[fieldname] = (self.column_reader(fieldname, column)
                                            if self.has_column(fieldname) else _MISSING)
    return None if found is _MISSING else found


def length_bytes(perdoc, fieldname):
    """The lengths column of ``fieldname`` in a segment's per-document
    reader as bytes, one (quantized) length byte per document and a zero
    byte after the last; None when the field keeps no lengths."""
    cache = perdoc.__dict__.setdefault("_silat_lengths", {})
    found = cache.get(fieldname)
    if found is None:
        reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        if reader is None:
            found = _MISSING
        else:
            count = min(reader._count, perdoc._doccount)
            found = bytes(reader._dbfile.get(reader._basepos, count)) + bytes(perdoc._doccount + 1 - count)
        cache[fieldname] = found
    return None if found is _MISSING else found


def _doc_field_length(self, docnum, fieldname, default=0):
    if docnum > self._doccount:
        raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
    lengths = length_bytes(self, fieldname)
    if lengths is None:
        return default
    lbyte = lengths[docnum]
    if lbyte:
        return byte_to_length(lbyte)
    return None                                 # as Whoosh: no length byte, no length


class ViewFile:
    """A read-only file over a memoryview, without copying it."""

    def __init__(self, view):
        self._view = view
        self._pos = 0

    def read(self, size=-1):
        start, length = self._pos, len(self._view)
        end = length if size is None or size < 0 else min(start + size, length)
        self._pos = max(end, start)
        return self._view[start:end].tobytes()

    def peek(self, size=0):
        """The next bytes without moving (pickle's loader reads ahead with
        it: one call per pickle instead of one per opcode)."""
        return self._view[self._pos:self._pos + min(max(size, 1), 512)].tobytes()

    def readline(self, size=-1):
        start, length = self._pos, len(self._view)
        limit = length if size is None or size < 0 else min(start + size, length)
        end = start
        while end < limit:
            chunk = self._view[end:min(end + 4096, limit)].tobytes()
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        self._pos = end
        return self._view[start:end].tobytes()

    def seek(self, offset, whence=0):
        base = (0, self._pos, len(self._view))[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def tell(self):
        return self._pos

    def close(self):
        pass


_buffer_file_init_copying = BufferFile.__init__


def _buffer_file_init(self, buf, name=None, onclose=None):
    if not isinstance(buf, memoryview):         # bytes: BytesIO shares them already
        return _buffer_file_init_copying(self, buf, name, onclose)
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


class SharedMap(mmap.mmap):
    """A read-only map of a whole segment file, shared by its readers:
    a reader's ``close`` leaves it to the others."""

    def close(self):
        pass


_maps = weakref.WeakValueDictionary()          # (device, inode, size, mtime) -> SharedMap
_maps_lock = threading.Lock()


class _SharedMmapModule:
    """What ``whoosh.filedb.compound`` uses of the ``mmap`` module."""
    error = mmap.error
    ACCESS_READ = mmap.ACCESS_READ

    @staticmethod
    def mmap(fileno, length, access=mmap.ACCESS_READ):
        info = os.fstat(fileno)
        key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, length, access)
        with _maps_lock:
            found = _maps.get(key)
            if found is None:
                found = _maps[key] = SharedMap(fileno, length, access=access)
            return found


def release_pages(reader):
    """Drop a segment's mapped pages from this process's resident set
    (``MADV_DONTNEED`` on its read-only shared map), after its columns and
    lengths were read once into arrays: they stay in the kernel's page
    cache, and a later read of the segment maps them again."""
    storage = getattr(reader, "_storage", None)
    for part in (storage, getattr(storage, "a", None)):
        source = getattr(part, "_source", None)
        if isinstance(source, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            try:
                source.madvise(mmap.MADV_DONTNEED)
            except (OSError, ValueError):      # closed meanwhile: nothing is mapped
                pass


def apply():
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
    BufferFile.__init__ = _buffer_file_init
    compound.mmap = _SharedMmapModule
