"""Fixtures for the search tests: dossiers (and permits) written straight
into the real FileStorage, indexed by the real Whoosh index under the
test's var dir after their transaction commits."""
import datetime as dt

import pytest

from silat.resources.dossier import Dossier
from silat.search import reindex
from silat.security.localroles import grant


@pytest.fixture
def index(app):
    return app.registry.silat_index


def _permit(dossier, number, issued_at, valid_until, token):
    from silat.resources.permit import add_permit
    permit = add_permit(dossier, number, "penandatangan", valid_until=valid_until,
                        issued_at=issued_at)
    permit.token = token
    return permit


@pytest.fixture
def make_dossier(edit_site):
    """``make_dossier(number, service=..., state=..., reviewers=(...), permit=...)``:
    a committed dossier; returns its registration number."""
    def _make(number, service="IMB", owner="pemohon", state="submitted", reviewers=(),
              applicant=None, location=None, fields=None, permit=None, created=None):
        with edit_site() as site:
            dossier = Dossier(number, service, site["layanan"][service].latest.number, owner)
            dossier.applicant = applicant or {"kind": "person", "name": "Budi Santoso",
                                              "identity_number": "3275010101900001",
                                              "phone": "081234567890", "email": "budi@example.id",
                                              "address": "Jl. Mawar 1", "business_name": "",
                                              "business_type": ""}
            dossier.location = location or {"kecamatan": "Bekasi Barat", "kelurahan": "Kranji",
                                             "address": "Jl. Sultan Agung 10"}
            dossier.fields = fields or {"uraian": "Pendirian bangunan gedung perkantoran"}
            if created:
                dossier.created = created
            site["berkas"].add(number, dossier)
            dossier.state = state
            grant(dossier, f"user:{owner}", "owner")
            for agency in reviewers:
                grant(dossier, f"agency:{agency}", "reviewer")
            if permit:
                _permit(dossier, permit["number"], permit.get("issued_at") or dt.datetime.now(dt.timezone.utc),
                        permit.get("valid_until"), permit.get("token", "tok-" + number))
            reindex(dossier)
        return number
    return _make
