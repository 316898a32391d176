"""Work committed apart: a short transaction of its own on a separate
connection, retried here on conflict, so that the caller's (longer)
transaction never writes the shared object. Used for counters and
stores that every parallel request touches (registration and letter
numbers, survey tokens); a number or token so taken stays taken even if
the caller's transaction later aborts (a gap, see docs/numbering.md).
"""
import random
import time

import transaction
from ZODB.POSException import ConflictError

ATTEMPTS = 50


def commit_apart(db, work, note="", attempts=ATTEMPTS):
    """``work(conn)`` committed in a transaction of its own; its result.

    Retried with a short random back-off on ConflictError; raises
    ConflictError when the object stayed contended for every attempt."""
    for attempt in range(attempts):
        tm = transaction.TransactionManager(explicit=True)
        conn = db.open(transaction_manager=tm)
        try:
            tm.begin()
            result = work(conn)
            if note:
                tm.get().note(note)
            tm.commit()
            return result
        except ConflictError:
            tm.abort()
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        finally:
            conn.close()
    raise ConflictError(f"stayed contended: {note or work!r}")
