"""API tokens: random bearer tokens stored only as their SHA-256 hash."""
import datetime as dt
import hashlib
import secrets

from persistent import Persistent

from silat.security.principals import utcnow

DEFAULT_TTL_HOURS = 12


def _digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(Persistent):
    def __init__(self, username, expires_at, label=""):
        self.username = username
        self.created = utcnow()
        self.expires_at = expires_at
        self.revoked_at = None
        self.label = label

    def valid(self, now):
        return self.revoked_at is None and now < self.expires_at


def issue(principals, username, ttl_hours=DEFAULT_TTL_HOURS, label=""):
    """Create a token; return (plain token, ApiToken). Only the hash is kept."""
    token = secrets.token_urlsafe(32)
    record = ApiToken(username, utcnow() + dt.timedelta(hours=ttl_hours), label)
    principals.tokens[_digest(token)] = record
    return token, record


def lookup(principals, token):
    """Return the ApiToken for a presented token, valid or not, or None."""
    if not token or len(token) > 200:
        return None
    return principals.tokens.get(_digest(token))


def revoke(principals, token):
    record = lookup(principals, token)
    if record is not None and record.revoked_at is None:
        record.revoked_at = utcnow()
    return record


def revoke_all(principals, username):
    count = 0
    for record in principals.tokens.values():
        if record.username == username and record.revoked_at is None:
            record.revoked_at = utcnow()
            count += 1
    return count


def purge_expired(principals, now=None):
    """Drop tokens that expired or were revoked more than a day ago."""
    now = now or utcnow()
    horizon = now - dt.timedelta(days=1)
    stale = [k for k, r in principals.tokens.items()
             if r.expires_at < horizon or (r.revoked_at and r.revoked_at < horizon)]
    for key in stale:
        del principals.tokens[key]
    return len(stale)
