"""An answer costs the same however many answers the site holds: storing
one loads a few objects, not every bucket of the responses tree."""
import datetime as dt

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat.resources.containers import SurveyFolder
from silat.survey import store

ANSWERS = {f"U{i}": 3 for i in range(1, 10)}


def _loads_of_one_answer(tmp_path, existing):
    db = DB(FileStorage(str(tmp_path / f"Data-{existing}.fs")))
    try:
        tm = transaction.TransactionManager()
        conn = db.open(transaction_manager=tm)
        conn.root()["survei"] = SurveyFolder("Survei")
        site = conn.root()
        day = dt.date(2026, 1, 5)
        for n in range(existing):
            store.add_response(site, ANSWERS, "skm9", today=day + dt.timedelta(days=n // 50))
            if n % 500 == 499:
                tm.commit()
        tm.commit()
        conn.cacheMinimize()                    # every object a ghost, as after a restart
        before = conn.getTransferCounts()[0]
        key = store.add_response(site, ANSWERS, "skm9", today=dt.date(2026, 6, 1))
        loads = conn.getTransferCounts()[0] - before
        tm.commit()
        assert key == ("2026-06-01", existing)
        assert len(site["survei"].responses) == existing + 1
        conn.close()
        return loads
    finally:
        db.close()


def test_storing_an_answer_does_not_read_every_answer(tmp_path):
    small, large = _loads_of_one_answer(tmp_path, 100), _loads_of_one_answer(tmp_path, 4000)
    assert large <= small + 3, (small, large)      # one more tree level at most


def test_an_older_site_counts_its_answers_once(tmp_path):
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root()["survei"] = folder = SurveyFolder("Survei")
            for n in range(3):
                store.add_response(conn.root(), ANSWERS, "skm9", today=dt.date(2026, 1, 5))
            del folder.response_seq              # as stored before the counter existed
        with db.transaction() as conn:
            key = store.add_response(conn.root(), ANSWERS, "skm9", today=dt.date(2026, 1, 6))
            assert key == ("2026-01-06", 3)
            assert conn.root()["survei"].response_seq() == 4
    finally:
        db.close()
