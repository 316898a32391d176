"""Letter and permit numbers: pattern, yearly restart, no repeats under concurrency."""
import datetime as dt
import threading

import pytest
import transaction
from ZODB.POSException import ConflictError

from silat.permits import numbering
from silat.resources.site import ZODB_ROOT_KEY


def test_pattern_fields_and_yearly_restart(edit_site, seeded):
    settings = {}
    with edit_site() as site:
        agency = site["opd"]["DISTARU"]
        day = dt.date(2026, 11, 3)
        first = numbering.next_number(settings, "recommendation", agency, day, agency_code="DISTARU")
        second = numbering.next_number(settings, "recommendation", agency, day, agency_code="DISTARU")
        next_year = numbering.next_number(settings, "recommendation", agency, dt.date(2027, 1, 2),
                                          agency_code="DISTARU")
        agency.number_patterns = {"recommendation": "REK-{seq:04d}/{agency}/{month}/{year}"}
        own = numbering.next_number(settings, "recommendation", agency, day, agency_code="DISTARU")
    assert (first, second, next_year) == ("503/1/DISTARU/XI/2026", "503/2/DISTARU/XI/2026",
                                          "503/1/DISTARU/I/2027")
    assert own == "REK-0003/DISTARU/11/2026"
    assert numbering.check_pattern("503/{nomor}/{year}") is not None
    assert numbering.check_pattern("503/{agency}/{year}") is not None
    with pytest.raises(numbering.PatternError):
        numbering.pattern_for({"silat.numbering.permit": "{seq}/{bogus}"}, "permit")


def test_concurrent_numbers_never_repeat(db, edit_site, seeded):
    """Eight threads, each on its own connection, take numbers at the same
    time; conflicts are retried as pyramid_retry does: all distinct, no gaps."""
    with edit_site() as site:
        site["opd"]["DINKES"].counters = None
        numbering.counters(site["opd"]["DINKES"])
    results, errors, retries = [], [], []
    barrier = threading.Barrier(8)

    def worker():
        tm = transaction.TransactionManager(explicit=True)
        conn = db.open(transaction_manager=tm)
        try:
            barrier.wait()
            for _ in range(5):
                for attempt in range(50):
                    tm.begin()
                    try:
                        agency = conn.root()[ZODB_ROOT_KEY]["opd"]["DINKES"]
                        number = numbering.next_number({}, "recommendation", agency,
                                                       dt.date(2026, 5, 1), agency_code="DINKES")
                        tm.commit()
                        results.append(number)
                        break
                    except ConflictError:
                        tm.abort()
                        retries.append(1)
        except Exception as exc:   # noqa: BLE001
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 40 and len(set(results)) == 40
    assert sorted(int(n.split("/")[1]) for n in results) == list(range(1, 41))
    assert retries, "the threads should have collided at least once"
