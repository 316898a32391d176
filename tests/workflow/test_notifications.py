"""Applicants, officers and reviewing agencies hear of transitions: real
mail to a loopback SMTP server, SMS/WhatsApp to a loopback HTTP gateway."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.workflow.conftest import mark_requirements
from tests.workflow.test_api_walk import post


class Gateway:
    """A tiny SMS/WhatsApp gateway on loopback that keeps what it receives."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                received.append({"body": json.loads(self.rfile.read(length)),
                                 "auth": self.headers.get("Authorization")})
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/kirim"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait(self, count, timeout=5.0):
        import time
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


@pytest.fixture
def gateway():
    gw = Gateway()
    gw.thread.start()
    yield gw
    gw.server.shutdown()
    gw.server.server_close()


@pytest.fixture
def settings(settings, gateway):
    return {**settings, "silat.sms.gateway_url": gateway.url, "silat.sms.gateway_token": "rahasia-gw"}


def by_recipient(messages):
    found = {}
    for m in messages:
        for to in m["to"]:
            found.setdefault(to, []).append(m)
    return found


def test_submission_return_review_and_rejection_are_announced(
        testapp, smtp_sink, gateway, make_dossier, tokens, edit_site):
    number = make_dossier("SILAT-2026-000301")
    owner, verifier, signer = tokens("pemohon"), tokens("verifikator"), tokens("penandatangan")
    assert smtp_sink.messages == []                     # a draft tells nobody

    post(testapp, owner, number, "submit")
    mail = by_recipient(smtp_sink.wait(2))
    applicant = mail["pemohon@demo.silat.invalid"][0]
    assert applicant["subject"] == f"Permohonan {number} telah diterima"
    assert "Izin Mendirikan Bangunan" in applicant["body"] and "Batas waktu penyelesaian" in applicant["body"]
    assert mail["verifikator@demo.silat.invalid"][0]["subject"] == f"Pekerjaan baru: Permohonan {number}"
    sms = gateway.wait(1)
    assert sms[0]["body"]["to"] == "081234567890" and number in sms[0]["body"]["subject"]
    assert sms[0]["auth"] == "Bearer rahasia-gw"

    post(testapp, verifier, number, "verify", status=409)      # refused: nobody is told
    with edit_site() as site:
        mark_requirements(site["berkas"][number], False, "PBB tahun 2025 belum lunas")
    post(testapp, verifier, number, "return", "Mohon unggah ulang")
    returned = [m for m in smtp_sink.wait(3) if "dikembalikan" in m["subject"]]
    assert len(smtp_sink.messages) == 3 and len(returned) == 1
    assert "Mohon unggah ulang" in returned[0]["body"]
    assert "Bukti Lunas Pembayaran PBB: PBB tahun 2025 belum lunas" in returned[0]["body"]

    post(testapp, owner, number, "resubmit")
    with edit_site() as site:
        mark_requirements(site["berkas"][number], True)
    post(testapp, verifier, number, "verify")
    smtp_sink.messages.clear()
    post(testapp, verifier, number, "request_review")
    reviewers = sorted(to for m in smtp_sink.wait(2) for to in m["to"])
    assert reviewers == ["kepala.distaru@demo.silat.invalid", "opd.distaru@demo.silat.invalid"]

    smtp_sink.messages.clear()
    post(testapp, signer, number, "reject", "Lokasi di sempadan sungai")
    rejected = smtp_sink.wait(1)[0]
    assert rejected["to"] == ["pemohon@demo.silat.invalid"]
    assert rejected["subject"] == f"Permohonan {number} ditolak"
    assert "Alasan: Lokasi di sempadan sungai" in rejected["body"]


def test_approval_and_issue_reach_the_applicant(testapp, smtp_sink, make_dossier, tokens, edit_site):
    from tests.workflow.conftest import check_pbb
    number = make_dossier("SILAT-2026-000302", state="in_review")
    with edit_site() as site:
        from tests.workflow.conftest import give_recommendation
        give_recommendation(site["berkas"][number])
        check_pbb(site["berkas"][number])
    smtp_sink.wait(2)            # what walking the fixture there sent (submission)
    smtp_sink.messages.clear()
    signer = tokens("penandatangan")
    post(testapp, signer, number, "approve")
    post(testapp, signer, number, "issue")
    subjects = [m["subject"] for m in smtp_sink.wait(4) if m["to"] == ["pemohon@demo.silat.invalid"]]
    assert [m["to"] for m in smtp_sink.messages if "Pekerjaan baru" in m["subject"]] == [
        ["penandatangan@demo.silat.invalid"]]
    assert subjects == [f"Permohonan {number} disetujui", f"Izin untuk permohonan {number} telah terbit",
                        f"Survei kepuasan layanan {number}"]     # the survey link (silat.survey)
    issued = [m for m in smtp_sink.messages if "telah terbit" in m["subject"]][0]["body"]
    assert "Izin Izin" not in issued and f"/berkas/{number}/izin.pdf" in issued    # issue 12


def test_notices_keep_one_localizer_per_locale():
    """Made once per locale and shared with Pyramid's request localizer
    (the same ILocalizer utility), so a notice does not reread the catalogs."""
    from pyramid import testing
    from pyramid.interfaces import ILocalizer
    from silat.i18n import _
    from silat.workflow.notices import _localizer
    config = testing.setUp()
    try:
        config.add_translation_dirs("silat:locale/")
        first = _localizer(config.registry, "en")
        assert _localizer(config.registry, "en") is first
        assert config.registry.queryUtility(ILocalizer, name="en") is first
        assert _localizer(config.registry, "xx") is _localizer(config.registry, "id")
        assert first.translate(_("Permohonan")) == "Application"
    finally:
        testing.tearDown()
