"""Versioned standards and the idempotent loader."""
import datetime as dt
import shutil

import pytest
import yaml
from importlib import resources

from silat.catalog import loader, reference
from silat.catalog.interfaces import IServiceType, IStandardRevision
from tests.web import login


def test_revisions_are_immutable_and_persist(seeded, edit_site):
    with edit_site() as site:
        service = site["layanan"]["IMB"]
        assert IServiceType.providedBy(service)
        rev = service.revision(1)
        assert IStandardRevision.providedBy(rev)
        with pytest.raises(AttributeError):
            rev.completion_time = None
        with pytest.raises(AttributeError):
            del rev.name
        assert rev.author == loader.SEED_AUTHOR
        with pytest.raises(KeyError):
            service.revision(len(service.revisions) + 1)
    with edit_site() as site:      # a fresh connection reads the stored record back
        assert site["layanan"]["IMB"].revision(1).completion_time.amount == 14


def test_an_application_keeps_the_revision_it_was_filed_under(seeded, edit_site, testapp):
    with edit_site() as site:
        filed = (site["layanan"]["SIUP"].code, site["layanan"]["SIUP"].current.number)
    login(testapp, "admin", seeded)
    form = testapp.get("/layanan/SIUP/edit").forms["deform"]
    form.set("amount", "2", index=0)
    form["note"] = "Perubahan jangka waktu"
    form.submit("simpan")
    with edit_site() as site:
        service = site["layanan"][filed[0]]
        assert service.current.number == filed[1] + 1
        assert service.current.completion_time.amount == 2
        kept = service.revision(filed[1])
        assert kept.completion_time.amount == 3 and kept.effective_date <= dt.date.today()
    history = testapp.get("/layanan/SIUP/riwayat")
    assert "Perubahan jangka waktu" in history.text and loader.SEED_NOTE in history.text


def test_reload_neither_duplicates_nor_overwrites_admin_edits(seeded, edit_site, testapp):
    login(testapp, "admin", seeded)
    form = testapp.get("/layanan/IPLC/edit").forms["deform"]
    form.set("amount", "8", index=0)
    form.submit("simpan")
    form = testapp.get("/opd/DLH/edit").forms["deform"]
    form["title"] = "DLH (diubah admin)"
    form.submit("simpan")
    with edit_site() as site:
        before = (len(site["layanan"]), len(site["opd"]))
        report = loader.load(site, apply=True)
    assert report.added == [] and report.updated == []
    assert len(report.differs) == 2
    assert any(d.startswith("layanan/IPLC: completion_time") and "oleh admin" in d
               for d in report.differs)
    assert any(d.startswith("opd/DLH: title") for d in report.differs)
    assert "2 differ from the seed (kept as stored)" in report.summary()[0]
    with edit_site() as site:
        assert (len(site["layanan"]), len(site["opd"])) == before
        assert site["layanan"]["IPLC"].current.completion_time.amount == 8
        assert len(site["layanan"]["IPLC"].revisions) == 3    # seed, reference facts, admin
        assert site["opd"]["DLH"].title == "DLH (diubah admin)"


@pytest.fixture
def changed_seed(tmp_path):
    """A copy of the seed files with IMB and IPLC changed (as a later data release)."""
    data = resources.files("silat.catalog").joinpath("data")
    for name in ("agencies.yaml", "services.yaml"):
        shutil.copy(data.joinpath(name), tmp_path / name)
    services = yaml.safe_load((tmp_path / "services.yaml").read_text("utf-8"))
    for entry in services:
        if entry["code"] in ("IMB", "IPLC"):
            entry["fee"] = {"kind": "fixed", "amount": 250000}
    (tmp_path / "services.yaml").write_text(yaml.safe_dump(services, allow_unicode=True), "utf-8")
    return tmp_path


def test_changed_seed_updates_untouched_services_and_reports_edited_ones(
        seeded, edit_site, testapp, changed_seed):
    login(testapp, "admin", seeded)
    form = testapp.get("/layanan/IPLC/edit").forms["deform"]
    form.set("amount", "8", index=0)
    form.submit("simpan")
    with edit_site() as site:
        dry = loader.load(site, apply=False, data_dir=changed_seed)
    assert dry.updated == ["layanan/IMB: fee"]
    assert [d.split(":")[0] for d in dry.differs] == ["layanan/IPLC"]
    with edit_site() as site:
        # a dry run stores nothing: still the seed's and the reference facts' revisions
        assert len(site["layanan"]["IMB"].revisions) == 2
        loader.load(site, apply=True, data_dir=changed_seed)
    with edit_site() as site:
        imb = site["layanan"]["IMB"]
        # the new seed revision, then the reference facts applied on top of it again
        assert imb.revision(3).author == loader.SEED_AUTHOR and imb.revision(3).product is None
        assert imb.current.number == 4 and imb.current.author == reference.AUTHOR
        assert imb.current.product.startswith("Persetujuan Bangunan Gedung")
        assert imb.current.fee.amount == 250000 and imb.revision(1).fee is None
        assert site["layanan"]["IPLC"].current.fee is None      # the admin's revision stays
        again = loader.load(site, apply=True, data_dir=changed_seed)
    assert again.updated == [] and [d.split(":")[0] for d in again.differs] == ["layanan/IPLC"]


def test_bad_seed_data_is_refused(tmp_path):
    data = resources.files("silat.catalog").joinpath("data")
    shutil.copy(data.joinpath("agencies.yaml"), tmp_path / "agencies.yaml")
    (tmp_path / "services.yaml").write_text(yaml.safe_dump([{
        "code": "X", "name": "X", "category": "perizinan_tertentu", "agency": "NOPE",
        "recommendations_from": [], "fee": {"kind": "formula", "formula": "open('x')"}}]))
    with pytest.raises(loader.CatalogError) as info:
        loader.seed_services(str(tmp_path))
    assert "services.yaml X" in str(info.value)


def test_title_follows_new_revisions_and_the_day(monkeypatch):
    """ServiceType.title is kept per day and newest revision."""
    from types import SimpleNamespace
    from silat.catalog import model
    today = dt.date.today()
    service = model.ServiceType("X")
    assert service.title == "X"
    service.add_revision({"name": "Izin A"}, today, "test")
    assert service.title == "Izin A"
    service.add_revision({"name": "Izin B"}, today + dt.timedelta(days=1), "test")
    assert service.title == "Izin A"                # B is not in force yet
    service.add_revision({"name": "Izin C"}, today, "test")
    assert service.title == "Izin C"
    later = model.ServiceType("Y")
    later.add_revision({"name": "Lama"}, today, "test")
    later.add_revision({"name": "Baru"}, today + dt.timedelta(days=1), "test")
    assert later.title == "Lama"

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return today + dt.timedelta(days=1)
    monkeypatch.setattr(model, "dt", SimpleNamespace(date=Tomorrow))
    assert service.title == "Izin C"                # the newest revision in force
    assert later.title == "Baru"                    # the next day: B is in force
