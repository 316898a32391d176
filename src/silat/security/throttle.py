"""Login throttling: after repeated failures a login is locked for a while.

Failures are counted per account and per client address in ZODB, so every
process of a scaled-out site sees the same counts.
"""
import datetime as dt

from persistent import Persistent

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)


class FailureRecord(Persistent):
    def __init__(self, now):
        self.count = 0
        self.first = now
        self.locked_until = None


def _keys(login, address):
    return ((f"login:{(login or '').strip().lower()}", MAX_FAILURES_PER_ACCOUNT),
            (f"addr:{address or '-'}", MAX_FAILURES_PER_ADDRESS))


def locked_until(principals, login, address, now):
    """When the login is locked, return until when; else None."""
    for key, _limit in _keys(login, address):
        record = principals.failures.get(key)
        if record is not None and record.locked_until and record.locked_until > now:
            return record.locked_until
    return None


def record_failure(principals, login, address, now):
    for key, limit in _keys(login, address):
        record = principals.failures.get(key)
        if record is None or now - record.first > WINDOW:
            record = principals.failures[key] = FailureRecord(now)
        record.count += 1
        if record.count >= limit:
            record.locked_until = now + LOCK


def record_success(principals, login):
    key, _limit = _keys(login, None)[0]
    if key in principals.failures:
        del principals.failures[key]
