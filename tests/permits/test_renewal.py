"""Validity from the standard drives the permit: its end date, and the
renewal notice sent once, N working days before it ends (issue 15)."""
import datetime as dt
import secrets

from silat.catalog.model import Duration
from silat.permits.registry import registry
from silat.permits.renewal import send_renewal_notices
from silat.permits.services import WIB, add_validity
from silat.resources.permit import add_permit
from silat.workflow.calendar import calendar_for
from tests.permits import flow

APOTEK = "YANKES-APOTEK"


def _permit(site, app, number, registration, valid_until):
    dossier = flow.file_dossier(site, app.registry, number=registration, code="IMB")
    permit = add_permit(dossier, number, "test", valid_until=valid_until)
    permit.token = secrets.token_urlsafe(18)
    registry(site).add_permit(permit)
    return permit


def test_the_standard_validity_sets_the_end_date(seeded, edit_site):
    today = dt.date(2026, 12, 3)
    with edit_site() as site:
        validity = site["layanan"][APOTEK].current.validity
    assert validity == Duration(5, "years")            # Permenkes 9/2017, from the reference
    assert add_validity(today, validity) == dt.date(2031, 12, 2)


def test_holder_is_told_once_before_the_permit_ends(app, seeded, edit_site, smtp_sink):
    today = dt.datetime.now(WIB).date()
    with edit_site() as site:
        soon = calendar_for(site).add_working_days(today, 5)
        later = calendar_for(site).add_working_days(today, 40)
        _permit(site, app, "503/APT/1", "SILAT-2026-900101", soon)
        _permit(site, app, "503/APT/2", "SILAT-2026-900102", later)
    with edit_site() as site:
        told = send_renewal_notices(site, app.registry, site._p_jar.transaction_manager)
    assert told == ["503/APT/1"]        # the other ends after the 20 working days of notice
    notices = [m for m in smtp_sink.wait(20, timeout=3) if "akan berakhir" in m["subject"]]
    assert len(notices) == 1 and notices[0]["to"] == ["pemohon@demo.silat.invalid"]   # the account's address
    assert soon.strftime("%d-%m-%Y") in notices[0]["body"]
    assert "/layanan/IMB" in notices[0]["body"] and "Izin Mendirikan Bangunan" in notices[0]["body"]
    with edit_site() as site:
        assert send_renewal_notices(site, app.registry, site._p_jar.transaction_manager) == []
        permit = registry(site).by_number["503/APT/1"]
        assert [e["action"] for e in permit.history][-1] == "renewal_notice"
