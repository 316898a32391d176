"""The append-only, hash-chained history (riwayat) of a dossier.

Each entry is an immutable mapping carrying the SHA-256 of the entry
before it; changing, removing or reordering any stored entry breaks the
chain from that entry on, which ``verify`` reports. Each entry is also
sealed: an HMAC of its hash under a key derived from the site's secret
(``var/secret``, outside the database), so someone who can write to the
database but not read the secret cannot rewrite an entry, not even the
last one, and recompute a valid chain. Entries live in an IOBTree keyed
by sequence number, so a long history loads bucket by bucket and
appending does not rewrite earlier entries.
"""
import datetime as dt
import hashlib
import hmac
import json
from types import MappingProxyType

from BTrees.IOBTree import IOBTree
from persistent import Persistent

GENESIS = "0" * 64
_SEAL_KEY = None


def configure(secret):
    """Derive the sealing key from the site secret (called at start-up)."""
    global _SEAL_KEY
    _SEAL_KEY = hashlib.sha256(b"silat-history-seal:" + secret.encode("utf-8")).digest()


def seal(entry_hash_hex):
    if _SEAL_KEY is None:
        return None
    return hmac.new(_SEAL_KEY, entry_hash_hex.encode("ascii"), hashlib.sha256).hexdigest()


def entry_hash(entry):
    """SHA-256 over the canonical JSON of an entry without its hash and seal."""
    body = {k: v for k, v in entry.items() if k not in ("hash", "seal")}
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class AuditLog(Persistent):
    """History of one dossier (or permit, complaint, ...)."""

    _count = None      # a Length in logs made before sequence numbers counted them

    def __init__(self):
        self._entries = IOBTree()

    def __len__(self):
        """Entries are numbered 0, 1, 2, ... with no gap: the count is the
        last number + 1 (no ``Length`` object to store on every append)."""
        if self._count is not None:
            return self._count()
        return self._entries.maxKey() + 1 if self._entries else 0

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
        entry["seal"] = seal(entry["hash"])
        self._entries[seq] = entry
        if self._count is not None:
            self._count.change(1)
        return MappingProxyType(entry)

    def verify(self, check_seals=True):
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
            expected = seal(entry["hash"]) if check_seals else None
            if expected is not None and not hmac.compare_digest(expected, entry.get("seal") or ""):
                return seq, "entry is not sealed by this site's key"
            expected_prev, expected_seq = entry["hash"], seq + 1
        return None

    def seal_unsealed(self):
        """Seal entries written before sealing existed (evolve step); the
        chain must verify first. Returns how many entries were sealed."""
        if _SEAL_KEY is None or self.verify(check_seals=False) is not None:
            return 0
        count = 0
        for seq, entry in list(self._entries.items()):
            if not entry.get("seal"):
                self._entries[seq] = {**entry, "seal": seal(entry["hash"])}
                count += 1
        return count
