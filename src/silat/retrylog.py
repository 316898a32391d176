"""Name the hot object whenever a request is retried after a write
conflict, and wait a little before the retry.

pyramid_retry runs a request again after a ConflictError. Each retry is
logged with the conflicting object's oid and class, so contention shows
up in the log long before it turns into errors (see docs/numbering.md).
The retry then waits a random, growing delay (jittered exponential
backoff), so requests that collided do not collide again at once.
Contention between different dossiers is removed by design (see
docs/numbering.md); what remains are writers of one and the same dossier,
whose hash-chained history serialises them on purpose.
"""
import logging
import random
import time

from pyramid_retry import IBeforeRetry
from ZODB.utils import oid_repr

log = logging.getLogger("silat.conflicts")


def describe(exc):
    """``oid=0x.. class=..`` of a ConflictError (empty parts when unknown)."""
    oid = getattr(exc, "oid", None)
    name = getattr(exc, "class_name", None) or ""
    return f"oid={oid_repr(oid) if oid else '?'} class={name or '?'}"


BACKOFF_BASE = 0.02     # seconds; doubles per attempt
BACKOFF_CAP = 0.5


def backoff(attempt):
    """The random delay before retry ``attempt`` (0 for the first retry)."""
    return random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt))


def log_retry(event):
    request = event.request
    attempt = request.environ.get("retry.attempt") or 0
    log.warning("conflict retry %s: %s %s %s", attempt, request.method, request.path,
                describe(event.exception))
    time.sleep(backoff(attempt))


def includeme(config):
    config.add_subscriber(log_retry, IBeforeRetry)
