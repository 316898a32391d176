"""Intake fixtures: a test service whose standard exercises every intake
feature (typed and optional requirements, an officer check, a fee formula
field, a working-day completion time)."""
import datetime as dt

import pytest

from silat.catalog.model import ServiceType, normalize

SERVICE = {
    "name": "Izin Uji Intake",
    "category": "perizinan_tertentu",
    "agency": "DPMPTSP",
    "recommendations_from": [],
    "completion_time": {"amount": 5, "unit": "working_days"},
    "fee": {"kind": "formula", "formula": "luas_bangunan * 1000"},
    "requirements": [
        {"key": "ktp", "name": "KTP pemohon", "mandatory": True},
        {"key": "denah", "name": "Denah lokasi", "mandatory": True, "file_types": ["pdf"]},
        {"key": "foto", "name": "Foto lokasi", "mandatory": False, "file_types": ["jpg", "png"]},
        {"key": "cek_lokasi", "name": "Pemeriksaan lokasi", "mandatory": True,
         "provided_by": "officer"},
    ],
}
CODE = "UJI-INTAKE"


@pytest.fixture
def service(seeded, edit_site):
    """The code of the test service (added to the seeded site)."""
    with edit_site() as site:
        item = site["layanan"].add(CODE, ServiceType(CODE))
        item.add_revision(normalize(SERVICE), dt.date.today(), "test")
    return CODE
