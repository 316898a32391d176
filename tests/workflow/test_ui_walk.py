"""The officer UI offers exactly the transitions the user may take now,
and walks an application through every state with real forms."""
from tests.web import login
from tests.workflow.conftest import (assess_fee, check_pbb, give_recommendation, mark_requirements,
                                    settle_fees)


def offered(testapp, number):
    page = testapp.get(f"/berkas/{number}/transisi")
    return page, sorted(k[len("transisi-"):] for k in page.forms if str(k).startswith("transisi-"))


def take(testapp, number, name, comment=""):
    page, names = offered(testapp, number)
    assert name in names, (name, names)
    form = page.forms[f"transisi-{name}"]
    form["comment"] = comment
    return form.submit("jalankan").follow()


def as_user(testapp, user, password):
    testapp.reset()
    login(testapp, user, password)


def test_every_state_through_the_ui(testapp, make_dossier, edit_site, seeded):
    number = make_dossier("SILAT-2026-000201")
    as_user(testapp, "pemohon", seeded)
    page, names = offered(testapp, number)
    assert names == ["submit", "withdraw"] and "Draf" in page.text
    page = take(testapp, number, "submit")
    assert "Ajukan berhasil. Status sekarang: Diajukan." in page.text
    assert offered(testapp, number)[1] == ["withdraw"]

    as_user(testapp, "verifikator", seeded)
    assert offered(testapp, number)[1] == []      # nothing checked: neither verify nor return
    with edit_site() as site:
        mark_requirements(site["berkas"][number], False, "PBB belum lunas")
    assert offered(testapp, number)[1] == ["return"]
    page = take(testapp, number, "return")                 # no reason: refused, nothing changes
    assert "Alasan wajib diisi untuk tindakan ini." in page.text
    with edit_site() as site:
        assert site["berkas"][number].state == "submitted"
    take(testapp, number, "return", "Bukti PBB kedaluwarsa")

    as_user(testapp, "pemohon", seeded)
    assert offered(testapp, number)[1] == ["resubmit", "withdraw"]
    take(testapp, number, "resubmit")

    as_user(testapp, "verifikator", seeded)
    with edit_site() as site:
        mark_requirements(site["berkas"][number], True)
    take(testapp, number, "verify")
    assert offered(testapp, number)[1] == ["request_review"]
    take(testapp, number, "request_review")
    assert offered(testapp, number)[1] == []

    as_user(testapp, "penandatangan", seeded)
    assert offered(testapp, number)[1] == ["reject"]       # no recommendation yet
    with edit_site() as site:
        give_recommendation(site["berkas"][number])
    assert offered(testapp, number)[1] == ["approve", "reject"]
    take(testapp, number, "approve", "Sesuai rekomendasi DISTARU")
    with edit_site() as site:
        assess_fee(site["berkas"][number])
    take(testapp, number, "assess_fee")

    as_user(testapp, "verifikator", seeded)
    assert offered(testapp, number)[1] == []
    with edit_site() as site:
        settle_fees(site["berkas"][number])
        check_pbb(site["berkas"][number])
    take(testapp, number, "confirm_payment")

    as_user(testapp, "penandatangan", seeded)
    page = take(testapp, number, "issue")
    assert "Status sekarang: Izin terbit" in page.text
    assert offered(testapp, number)[1] == []
    with edit_site() as site:
        dossier = site["berkas"][number]
        assert dossier.state == "issued"
        steps = [e["data"]["transition"] for e in dossier.history if e["action"] == "transition"]
        assert steps == ["submit", "return", "resubmit", "verify", "request_review", "approve",
                         "assess_fee", "confirm_payment", "issue"]


def test_refusals_store_nothing(testapp, make_dossier, edit_site, seeded):
    number = make_dossier("SILAT-2026-000202", state="submitted")
    as_user(testapp, "pemohon", seeded)
    page, names = offered(testapp, number)
    token = page.forms["transisi-withdraw"]["csrf_token"].value
    # a transition that is not the owner's: refused with the reason, state unchanged
    res = testapp.post(f"/berkas/{number}/transisi", {"csrf_token": token, "name": "verify",
                                                      "comment": "", "jalankan": "x"}).follow()
    assert "Anda tidak berhak melakukan tindakan ini." in res.text
    res = testapp.post(f"/berkas/{number}/transisi", {"csrf_token": token, "name": "issue",
                                                      "jalankan": "x"}).follow()
    assert "tidak dapat dilakukan pada status" in res.text
    res = testapp.post(f"/berkas/{number}/transisi", {"csrf_token": token, "name": "withdraw",
                                                      "comment": "x" * 2001, "jalankan": "x"}).follow()
    assert "Catatan paling banyak 2000 karakter." in res.text
    # no CSRF token: rejected before the view runs
    testapp.post(f"/berkas/{number}/transisi", {"name": "withdraw", "comment": "a"}, status=400)
    with edit_site() as site:
        dossier = site["berkas"][number]
        assert dossier.state == "submitted"
        assert [e["data"].get("transition") for e in dossier.history if e["action"] == "transition"] \
            == ["submit"]


def test_strangers_get_no_actions(testapp, make_dossier, seeded, make_user):
    number = make_dossier("SILAT-2026-000203")
    password = make_user("tetangga", "pemohon")
    as_user(testapp, "tetangga", password)
    testapp.get(f"/berkas/{number}/transisi", status=404)     # like an unknown number
    testapp.get(f"/berkas/{number}/riwayat", status=404)
    testapp.reset()
    assert "/masuk" in testapp.get(f"/berkas/{number}/transisi", status=303).location
