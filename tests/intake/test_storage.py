"""What a new dossier stores: sub-folders only when first used, no Length
objects in the small containers; dossiers stored the older way (all five
counted sub-folders) keep working."""
import json

from silat.resources.dossier import SUBFOLDERS, Dossier, Subfolder
from silat.resources.folder import Folder
from silat.resources.history import AuditLog
from silat.resources.site import ZODB_ROOT_KEY
from tests.intake.helpers import APPLICANT, FIELDS, LOCATION, api_headers, pdf_bytes


def records_since(db, tid):
    """Class names of the records stored after transaction ``tid``."""
    from ZODB.utils import get_pickle_metadata
    return [get_pickle_metadata(r.data)[1] for t in db.storage.iterator(tid) if t.tid != tid
            for r in t]


def test_sub_folders_are_stored_with_their_first_child(testapp, seeded, service, db):
    headers = api_headers(testapp, "pemohon", seeded)
    before = db.lastTransaction()
    body = {"service": service, "applicant": APPLICANT, "location": LOCATION, "fields": FIELDS}
    number = testapp.post("/api/v1/applications", json.dumps(body), headers=headers,
                          content_type="application/json").json["registration_number"]
    stored = records_since(db, before)
    assert "Folder" not in stored and "Subfolder" not in stored and "Length" in stored
    assert stored.count("Length") == 1         # /berkas's count only
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        assert list(dossier.keys()) == [] and len(dossier) == 0
        assert all(name in dossier and len(dossier[name]) == 0 for name in SUBFOLDERS)
        assert dossier["dokumen"] is dossier["dokumen"] and dossier.get("dokumen") is not None
        assert dossier.get("lain") is None and "lain" not in dossier
        assert dossier.missing_requirements() and dossier.fee_outstanding() == 0

    seen = db.lastTransaction()
    testapp.get(f"/api/v1/applications/{number}", headers=headers, status=200)
    assert db.lastTransaction() == seen        # reading stores nothing
    testapp.put(f"/api/v1/applications/{number}/documents/ktp", headers=headers,
                upload_files=[("file", "ktp.pdf", pdf_bytes("KTP"), "application/pdf")])
    testapp.put(f"/api/v1/applications/{number}/documents/ktp", headers=headers,
                upload_files=[("file", "ktp.pdf", pdf_bytes("KTP 2"), "application/pdf")])
    assert "Length" not in records_since(db, seen)
    with db.transaction() as conn:
        dossier = conn.root()[ZODB_ROOT_KEY]["berkas"][number]
        assert list(dossier.keys()) == ["dokumen"] and isinstance(dossier["dokumen"], Subfolder)
        assert len(dossier["dokumen"]) == 1 and len(dossier["dokumen"]["ktp"]) == 2
        assert len(dossier.history) == 3 and dossier.history.verify() is None


def test_two_handles_on_an_unstored_sub_folder_add_to_one_folder(edit_site):
    with edit_site() as site:
        dossier = site["berkas"].add("SILAT-2026-900001", Dossier("SILAT-2026-900001", "X", 1, "u"))
        first = dossier["disposisi"]
        dossier._v_subfolders = {}            # as after the dossier was reloaded
        second = dossier["disposisi"]
        assert first is not second
        first.add("1", Folder())
        second.add("2", Folder())
    with edit_site() as site:
        assert list(site["berkas"]["SILAT-2026-900001"]["disposisi"].keys()) == ["1", "2"]


def test_a_dossier_stored_the_older_way_keeps_working(edit_site):
    with edit_site() as site:
        dossier = Dossier("SILAT-2026-900002", "X", 1, "u")
        for name, title in SUBFOLDERS.items():
            Folder.add(dossier, name, Folder(title))     # counted folders, as before
        log = dossier.history = AuditLog()
        from BTrees.Length import Length
        log._count = Length()
        site["berkas"].add("SILAT-2026-900002", dossier)
    with edit_site() as site:
        dossier = site["berkas"]["SILAT-2026-900002"]
        dossier["inspeksi"].add("1", Folder())
        dossier.history.append("u", "created")
    with edit_site() as site:
        dossier = site["berkas"]["SILAT-2026-900002"]
        assert type(dossier["inspeksi"]) is Folder and len(dossier["inspeksi"]) == 1
        assert len(dossier) == 5 and len(dossier.history) == 1
