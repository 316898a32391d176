"""Throttling of guesses: logins and tracking codes.

Designed like the usual anchors (OWASP, Django-axes, Plone): failures are
counted per account *and client address* and per address, never per
account alone, and they cause a growing delay, not a hard lock:

- ``pair``: one address guessing one account. After ``FREE_PER_PAIR``
  failures every further attempt from that address must wait 1 s, 2 s,
  4 s, ... (capped at ``CAP``) after the last failure.
- ``addr``: one address guessing many accounts (password spraying):
  the same after ``FREE_PER_ADDRESS`` failures.
- ``acct``: all failures on an account, from anywhere: never delays
  anyone, it is what the admin page shows and logs at a threshold.

So nobody can lock a user out from another address: the right password
from a clean address is always accepted. The account is found first, so
username and email (any case) share one counter. A record is forgotten
``WINDOW`` after its last failure; admins clear records early with the
unlock page (``/pengguna/<name>/buka-kunci``) or ``silat users unlock``.
Records live in ZODB (``principals.failures``), so every process of a
scaled-out site shares them. Every delay start and unlock is logged.
"""
import datetime as dt
import logging

from persistent import Persistent

log = logging.getLogger(__name__)

FREE_PER_PAIR = 5
FREE_PER_ADDRESS = 20
FREE_TRACKING = 10           # wrong tracking codes per address (and per number+address)
ACCOUNT_ALERT = 50           # failures on one account that make a log entry
CAP = dt.timedelta(minutes=15)
WINDOW = dt.timedelta(minutes=15)


class FailureRecord(Persistent):
    def __init__(self, now):
        self.count = 0
        self.first = now
        self.last = now
        self.locked_until = None     # kept for records written before progressive delays

    def wait(self, free, now):
        """How long the next attempt must still wait (a timedelta, maybe zero)."""
        if self.count < free:
            return dt.timedelta(0)
        delay = min(CAP, dt.timedelta(seconds=2 ** min(self.count - free, 20)))
        return max(dt.timedelta(0), getattr(self, "last", self.first) + delay - now)


def account_name(principals, login):
    """The one counter name of an account: the username when the login
    (username or email, any case) finds a user, else the login folded."""
    user = principals.find(login)
    return user.username if user is not None else (login or "").strip().lower()[:200]


def _login_keys(principals, login, address):
    account = account_name(principals, login)
    return account, ((f"pair:{account}|{address or '-'}", FREE_PER_PAIR),
                     (f"addr:{address or '-'}", FREE_PER_ADDRESS))


def _wait(principals, keys, now):
    longest = dt.timedelta(0)
    for key, free in keys:
        record = principals.failures.get(key)
        if record is None:
            continue
        if now - getattr(record, "last", record.first) > WINDOW:
            continue
        longest = max(longest, record.wait(free, now))
    return longest


def _bump(principals, key, free, now):
    record = principals.failures.get(key)
    if record is None or now - getattr(record, "last", record.first) > WINDOW:
        record = principals.failures[key] = FailureRecord(now)
    record.count += 1
    record.last = now
    if record.count == free:
        log.warning("throttle: %s reached %s failures; further attempts are delayed", key, free)
    return record


def login_wait(principals, login, address, now):
    """Seconds the login must still wait (0 when it may be tried now)."""
    _account, keys = _login_keys(principals, login, address)
    return int(_wait(principals, keys, now).total_seconds() + 0.999)


def locked_until(principals, login, address, now):
    """When the login must wait, until when; else None."""
    seconds = login_wait(principals, login, address, now)
    return now + dt.timedelta(seconds=seconds) if seconds else None


def record_failure(principals, login, address, now):
    account, keys = _login_keys(principals, login, address)
    for key, free in keys:
        _bump(principals, key, free, now)
    total = _bump(principals, f"acct:{account}", ACCOUNT_ALERT, now)
    if total.count % ACCOUNT_ALERT == 0:
        log.warning("throttle: %s failed logins on account %s in a row", total.count, account)


def record_success(principals, login, address=None):
    account = account_name(principals, login)
    for key in (f"pair:{account}|{address or '-'}", f"acct:{account}"):
        if key in principals.failures:
            del principals.failures[key]


def failures_of(principals, account):
    """The recent failure count of an account (for the admin pages)."""
    record = principals.failures.get(f"acct:{account}")
    return record.count if record is not None else 0


def unlock(principals, account=None, address=None, by="admin"):
    """Forget the failures of an account (every address) and/or of an
    address; returns how many records were removed and logs it."""
    removed = 0
    for key in list(principals.failures.keys()):
        kind, _sep, rest = key.partition(":")
        name, _bar, addr = rest.partition("|")
        if (account and kind in ("pair", "acct") and name == account) or \
                (address and ((kind == "addr" and rest == address) or
                              (kind == "pair" and addr == address) or
                              (kind == "track" and rest.endswith(address)))):
            del principals.failures[key]
            removed += 1
    log.warning("throttle: %s unlocked account=%s address=%s (%s records)",
                by, account or "-", address or "-", removed)
    return removed


# -- tracking codes ----------------------------------------------------------------

def _tracking_keys(number, address):
    return ((f"track:{address or '-'}", FREE_TRACKING),
            (f"track:{(number or '').strip().upper()[:40]}|{address or '-'}", FREE_TRACKING))


def tracking_wait(principals, number, address, now):
    return int(_wait(principals, _tracking_keys(number, address), now).total_seconds() + 0.999)


def record_tracking_failure(principals, number, address, now):
    for key, free in _tracking_keys(number, address):
        _bump(principals, key, free, now)
