"""An application walks through every state through the transitions API."""
import json

from tests.workflow.conftest import (assess_fee, check_pbb, give_recommendation, mark_requirements,
                                    settle_fees)

URL = "/api/v1/applications/{}/transitions/{}"


def post(testapp, headers, number, name, comment=None, status=200):
    body = {} if comment is None else {"comment": comment}
    return testapp.post(URL.format(number, name), json.dumps(body), headers=headers,
                        content_type="application/json", status=status)


def test_every_state_through_the_api(testapp, make_dossier, tokens, edit_site):
    number = make_dossier("SILAT-2026-000101")
    owner, verifier, signer = tokens("pemohon"), tokens("verifikator"), tokens("penandatangan")

    # a draft is the applicant's alone: officers do not even see it
    post(testapp, verifier, number, "submit", status=404)
    listed = testapp.get(f"/api/v1/applications/{number}/transitions", headers=owner).json
    assert [t["name"] for t in listed["transitions"]] == ["submit", "withdraw"]

    res = post(testapp, owner, number, "submit").json
    assert res["state"] == "submitted" and res["state_title"] == "Diajukan" and res["due_date"]

    refused = post(testapp, owner, number, "verify", status=403).json
    assert refused["error"]["code"] == "forbidden"
    refused = post(testapp, verifier, number, "verify", status=409).json
    assert refused["error"]["code"] == "guard_failed"
    assert "Bukti Lunas Pembayaran PBB" in refused["error"]["message"]
    refused = post(testapp, verifier, number, "return", status=409).json
    assert "tidak perlu dikembalikan" in refused["error"]["message"]

    with edit_site() as site:
        mark_requirements(site["berkas"][number], False, "PBB 2025 belum lunas")
    refused = post(testapp, verifier, number, "return", comment="  ", status=422).json
    assert refused["error"]["code"] == "reason_required"
    assert post(testapp, verifier, number, "return", "Lengkapi bukti PBB").json["state"] == "returned"
    assert post(testapp, owner, number, "resubmit").json["state"] == "submitted"

    with edit_site() as site:
        mark_requirements(site["berkas"][number], True)
    assert post(testapp, verifier, number, "verify").json["state"] == "verified"
    refused = post(testapp, signer, number, "approve", status=409).json
    assert "diteruskan ke OPD" in refused["error"]["message"]
    assert post(testapp, verifier, number, "request_review").json["state"] == "in_review"
    refused = post(testapp, signer, number, "approve", status=409).json
    assert "DISTARU" in refused["error"]["message"]

    with edit_site() as site:
        give_recommendation(site["berkas"][number])
    assert post(testapp, signer, number, "approve").json["state"] == "approved"
    post(testapp, signer, number, "assess_fee", status=409)          # nothing to pay yet
    with edit_site() as site:
        assess_fee(site["berkas"][number])
    assert post(testapp, signer, number, "assess_fee").json["state"] == "awaiting_payment"
    post(testapp, verifier, number, "confirm_payment", status=409)   # not paid
    with edit_site() as site:
        settle_fees(site["berkas"][number])
        check_pbb(site["berkas"][number])
    assert post(testapp, verifier, number, "confirm_payment").json["state"] == "approved"
    post(testapp, verifier, number, "issue", status=403)             # only a signer signs
    res = post(testapp, signer, number, "issue", "Terbit").json
    assert res["state"] == "issued" and res["transitions"] == [] and res["sla"]["mark"] is None

    with edit_site() as site:
        dossier = site["berkas"][number]
        steps = [e["data"]["transition"] for e in dossier.history if e["action"] == "transition"]
        assert steps == ["submit", "return", "resubmit", "verify", "request_review", "approve",
                         "assess_fee", "confirm_payment", "issue"]
        actors = {e["data"]["transition"]: e["actor"] for e in dossier.history if e["action"] == "transition"}
        assert actors["return"] == "verifikator" and actors["issue"] == "penandatangan"
        granted = [(e["action"], e["data"]["principal"], e["data"]["role"]) for e in dossier.history
                   if e["action"].startswith("role_")]
        assert granted == [("role_granted", "user:pemohon", "owner"),
                           ("role_granted", "agency:DISTARU", "reviewer"),
                           ("role_revoked", "agency:DISTARU", "reviewer")]
        assert dossier.history.verify() is None
        assert dossier.sla.stopped_at is not None
        assert not any(number in path and running for path, running in site.sla_watch.items())


def test_rejection_and_cancellation_need_a_reason(testapp, make_dossier, tokens, edit_site):
    rejected = make_dossier("SILAT-2026-000102", state="verified")
    withdrawn = make_dossier("SILAT-2026-000103")
    signer, owner = tokens("penandatangan"), tokens("pemohon")
    assert post(testapp, signer, rejected, "reject", status=422).json["error"]["message"] == \
        "Alasan wajib diisi untuk tindakan ini."
    assert post(testapp, signer, rejected, "reject", "Lokasi di jalur hijau").json["state"] == "rejected"
    post(testapp, owner, withdrawn, "withdraw", status=422)
    assert post(testapp, owner, withdrawn, "withdraw", "Salah layanan").json["state"] == "withdrawn"
    post(testapp, owner, withdrawn, "submit", status=409)             # final
    with edit_site() as site:
        last = [e for e in site["berkas"][rejected].history if e["action"] == "transition"][-1]
        assert last["comment"] == "Lokasi di jalur hijau" and last["data"]["new_state"] == "rejected"
        assert site["berkas"][withdrawn].state == "withdrawn"


def test_unknown_names_bad_input_and_strangers(testapp, make_dossier, tokens, make_user):
    number = make_dossier("SILAT-2026-000104")
    owner = tokens("pemohon")
    assert post(testapp, owner, number, "fly", status=404).json["error"]["code"] == "unknown_transition"
    assert post(testapp, owner, "SILAT-2026-999999", "submit", status=404).json["error"]["code"] == "not_found"
    res = testapp.post(URL.format(number, "submit"), json.dumps({"comment": 5}), headers=owner,
                       content_type="application/json", status=422)
    assert res.json["error"]["fields"]["comment"]
    res = testapp.post(URL.format(number, "submit"), "nope", headers=owner,
                       content_type="application/json", status=400)
    assert res.json["error"]["code"] == "invalid_json"
    testapp.post(URL.format(number, "submit"), "{}", content_type="application/json", status=401)
    other = tokens("loket")      # front office watches submitted dossiers, never drafts
    post(testapp, other, number, "submit", status=404)
    assert testapp.get(f"/api/v1/applications/{number}/transitions", headers=owner).json["state"] == "draft"
