"""The append-only, hash-chained history (riwayat) of a dossier.

Each entry is an immutable mapping carrying the SHA-256 of the entry
before it; changing, removing or reordering any stored entry breaks the
chain from that entry on, which ``verify`` reports. Entries live in an
IOBTree keyed by sequence number, so a long history loads bucket by
bucket and appending does not rewrite earlier entries.
"""
import datetime as dt
import hashlib
import json
from types import MappingProxyType

from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from persistent import Persistent

GENESIS = "0" * 64


def entry_hash(entry):
    """SHA-256 over the canonical JSON of an entry without its own hash."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class AuditLog(Persistent):
    """History of one dossier (or permit, complaint, ...)."""

    def __init__(self):
        self._entries = IOBTree()
        self._count = Length()

    def __len__(self):
        return self._count()

    def __iter__(self):
        return (MappingProxyType(e) for e in self._entries.values())

    def last(self):
        if not len(self._entries):
            return None
        return MappingProxyType(self._entries[self._entries.maxKey()])

    def append(self, actor, action, comment="", **data):
        """Add an entry; ``data`` must be JSON-serialisable."""
        previous = self.last()
        seq = previous["seq"] + 1 if previous else 0
        entry = {
            "seq": seq,
            "at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "actor": actor or "system",
            "action": action,
            "comment": comment or "",
            "data": json.loads(json.dumps(data, default=str)),
            "prev": previous["hash"] if previous else GENESIS,
        }
        entry["hash"] = entry_hash(entry)
        self._entries[seq] = entry
        self._count.change(1)
        return MappingProxyType(entry)

    def verify(self):
        """Return None when the chain is intact, else the first broken
        entry's sequence number and why."""
        expected_prev, expected_seq = GENESIS, 0
        for seq, entry in self._entries.items():
            if seq != expected_seq or entry.get("seq") != seq:
                return seq, "sequence gap or reordering"
            if entry.get("prev") != expected_prev:
                return seq, "link to the previous entry is broken"
            if entry_hash(entry) != entry.get("hash"):
                return seq, "entry content was changed"
            expected_prev, expected_seq = entry["hash"], seq + 1
        return None
