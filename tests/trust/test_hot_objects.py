"""No write conflict reaches the user: 32 parallel applications and 32
parallel permit issues on different dossiers over a real threaded server
end without a 5xx, and every number handed out is distinct (issue 10,
"Conflicts never reach the user")."""
import logging

import transaction

from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION
from tests.permits import flow
from tests.trust.live import call_json, parallel, serving, token

COUNT = 32


def test_parallel_creations_get_distinct_numbers(app, db, service, make_user, caplog):
    users = [(f"pemohon{n}", make_user(f"pemohon{n}", "pemohon")) for n in range(8)]
    with serving(app, threads=COUNT) as port:
        headers = [token(port, u, p) for u, p in users]

        def work(n):
            body = {"service": service, "applicant": APPLICANT, "location": LOCATION,
                    "fields": FIELDS}
            return call_json(port, "POST", "/api/v1/applications", body, headers[n % 8])

        with caplog.at_level(logging.WARNING, logger="silat.conflicts"):
            results = parallel(COUNT, work)
    statuses = [getattr(r, "status", repr(r)) for r in results]
    assert statuses == [201] * COUNT, [(r.status, r.body[:300]) for r in results
                                       if getattr(r, "status", 0) != 201]
    numbers = [r.json["registration_number"] for r in results]
    assert len(set(numbers)) == COUNT
    with db.transaction() as conn:
        folder = conn.root()[ZODB_ROOT_KEY]["berkas"]
        assert len(folder) == COUNT and all(n in folder for n in numbers)
        assert sorted(folder.intake_index.by_day.values()[0]) == sorted(numbers)
    # every retry that did happen names its object
    assert all("oid=0x" in rec.getMessage() for rec in caplog.records
               if rec.name == "silat.conflicts")


def test_parallel_issues_on_different_dossiers(app, db, seeded, edit_site, signing_ca):
    numbers = [f"SILAT-2026-9{n:05d}" for n in range(COUNT)]
    with edit_site() as site:
        flow.configure_service(site, code="IMB", recommendations=(), formula=None)
        for number in numbers:
            flow.advance(flow.file_dossier(site, app.registry, number=number, code="IMB"),
                         app.registry, ("verify", "approve"), actor="penandatangan")
    with serving(app, threads=COUNT) as port:
        headers = token(port, "penandatangan", seeded)

        def work(n):
            return call_json(port, "POST",
                             f"/api/v1/applications/{numbers[n]}/transitions/issue", {}, headers)

        results = parallel(COUNT, work)
    bad = [(getattr(r, "status", None), getattr(r, "body", repr(r))[:300]) for r in results
           if getattr(r, "status", None) != 200]
    assert bad == []
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    try:
        tm.begin()
        site = conn.root()[ZODB_ROOT_KEY]
        permits = [site["berkas"][n].permit for n in numbers]
        assert all(p is not None and site["berkas"][n].state == "issued"
                   for n, p in zip(numbers, permits))
        permit_numbers = [p.number for p in permits]
        assert len(set(permit_numbers)) == COUNT
        assert set(site["izin"].by_number) == set(permit_numbers)
        assert "approved" not in [site["berkas"][n].state for n in numbers]
        assert not site["izin"].open_numbers("sign")
        tm.abort()
    finally:
        conn.close()
