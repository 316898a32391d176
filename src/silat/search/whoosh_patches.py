"""One correction to whoosh-reloaded, applied when the indexer is imported.

``W3PerDocReader._cached_reader`` caches the column readers it finds but
not their absence: for a field without a lengths column (ID and KEYWORD
fields) every posting written asks the file system again whether the
column file exists. Profiling a rebuild of 8,000 dossiers found 422,000
such ``os.path.exists`` calls, about a tenth of the rebuild. A segment's
column files never change once written, so the absence is cached too.
"""
from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self, fieldname, column):
    found = self._readers.get(fieldname)
    if found is None:
        found = self._readers[fieldname] = (self.column_reader(fieldname, column)
                                            if self.has_column(fieldname) else _MISSING)
    return None if found is _MISSING else found


def apply():
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
