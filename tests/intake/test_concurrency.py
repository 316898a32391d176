"""Registration numbers under concurrent submissions."""
import json
import threading

import pytest
import webtest

from silat.intake import numbering
from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers, pdf_bytes

THREADS = 6
PER_THREAD = 5


def test_counter_hands_out_distinct_numbers_from_many_threads(db):
    taken, errors = [], []

    def work():
        try:
            for _ in range(20):
                taken.append(numbering.take(db, 2031))
        except Exception as exc:      # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(taken) == len(set(taken)) == 160
    assert max(taken) == "SILAT-2031-000160"       # no gaps when nothing aborts


def test_concurrent_submissions_through_the_app(app, seeded, service, db, make_user):
    users = [(f"pemohon{n}", make_user(f"pemohon{n}", "pemohon")) for n in range(THREADS)]
    pdf = pdf_bytes()
    results, errors = [], []
    barrier = threading.Barrier(THREADS)

    def work(username, password):
        client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        headers = api_headers(client, username, password)
        body = json.dumps({"service": service, "applicant": APPLICANT, "location": LOCATION,
                           "fields": FIELDS})
        barrier.wait()
        try:
            for _ in range(PER_THREAD):
                created = client.post("/api/v1/applications", body, headers=headers,
                                      content_type="application/json", expect_errors=True)
                if created.status_int != 201:
                    errors.append(created.status)
                    continue
                number = created.json["registration_number"]
                for key in ("ktp", "denah"):
                    put = client.put(f"/api/v1/applications/{number}/documents/{key}",
                                     headers=headers, upload_files=[("file", "a.pdf", pdf)],
                                     expect_errors=True)
                    if put.status_int != 201:
                        errors.append(put.status)
                done = client.post(f"/api/v1/applications/{number}/submit", headers=headers,
                                   expect_errors=True)
                if done.status_int != 200:
                    errors.append(done.status)
                results.append((username, number))
        except Exception as exc:      # noqa: BLE001 - reported below
            errors.append(str(exc))

    threads = [threading.Thread(target=work, args=user) for user in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = [n for _u, n in results]
    assert len(numbers) == len(set(numbers)) == THREADS * PER_THREAD
    with db.transaction() as conn:
        folder = conn.root()[ZODB_ROOT_KEY]["berkas"]
        assert len(folder) == THREADS * PER_THREAD
        for username, number in results:
            assert folder[number].owner == username and folder[number].state == "submitted"
        index = folder.intake_index
        assert set(index.in_state("submitted")) == set(numbers)
        assert "draft" not in index.by_state and not index.in_state("draft")


def test_numbers_reserved_in_blocks_stay_unique_from_threads_and_restarts(settings):
    """A process reserves a block of numbers with one commit and hands them
    out to its threads; a restarted process (or a second one) reserves the
    next block: nothing is handed out twice, a stopped process's unused
    numbers are gaps."""
    from silat import main
    taken = []
    for _run in range(2):
        app = main({"__file__": "test"}, **{**settings, "silat.registration_block": "5"})
        db = app.registry._zodb_databases[""]
        block = numbering.block_size(app.registry.settings)
        try:
            threads = [threading.Thread(target=lambda: taken.extend(
                numbering.take(db, 2031, block=block) for _ in range(3))) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            db.close()
    assert len(taken) == len(set(taken)) == 24
    first, second = sorted(taken[:12]), sorted(taken[12:])
    assert first == [numbering.format_number(2031, n) for n in range(1, 13)]
    assert second == [numbering.format_number(2031, n) for n in range(16, 28)]    # 13-15: gaps


def test_a_bad_registration_block_stops_the_start(settings):
    from silat import main
    with pytest.raises(ValueError, match="silat.registration_block"):
        main({"__file__": "test"}, **{**settings, "silat.registration_block": "0"})
