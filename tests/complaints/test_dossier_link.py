"""A dossier shows the complaints about it that the viewer may see."""
import json

from silat.resources.dossier import Dossier
from silat.security.principals import user_principal
from silat.workflow.history import grant_local_role
from tests.web import api_token, bearer, login


def test_dossier_lists_its_complaints(testapp, seeded, make_user, edit_site):
    pw = make_user("warga", "pemohon", email="warga@example.org")
    with edit_site() as site:
        dossier = Dossier("SILAT-2026-000900", "IMB", 1, "warga")
        site["berkas"].add(dossier.registration_number, dossier)
        dossier.state = "submitted"
        grant_local_role(dossier, user_principal("warga"), "owner", "test")
    token = api_token(testapp, "warga", pw)
    mine = testapp.post("/api/v1/complaints", json.dumps({
        "subject": "Verifikasi lama", "body": "Sudah dua minggu", "name": "Warga",
        "dossier_number": "SILAT-2026-000900"}), content_type="application/json",
        headers=bearer(token), status=201).json["number"]
    other = testapp.post("/api/v1/complaints", json.dumps({
        "subject": "Rahasia orang lain", "body": "x", "anonymous": True,
        "dossier_number": "SILAT-2026-000900"}), content_type="application/json",
        headers=bearer(token), status=201).json["number"]
    login(testapp, "warga", pw)
    page = testapp.get("/berkas/SILAT-2026-000900/pengaduan")
    links = [a.text for a in page.html.select(".silat-complaints-panel a")]
    assert links == [mine] and other not in page.text
    # the dossier page itself shows the same, in its tree
    tree = testapp.get("/berkas/SILAT-2026-000900")
    assert mine in tree.text and "Verifikasi lama" in tree.text
    assert other not in tree.text and "Rahasia orang lain" not in tree.text
