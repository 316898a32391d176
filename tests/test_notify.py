"""Email leaves through a real SMTP server on loopback, only after commit."""
import transaction

from silat.notify import notifier


def test_email_is_sent_only_when_the_transaction_commits(app, smtp_sink):
    service = notifier(app.registry)
    tm = transaction.manager
    with tm:
        service.notify([{"email": "warga@example.org", "phone": "0812"}], "Permohonan diterima",
                       "Nomor pendaftaran SILAT-2026-000001")
    tm.begin()
    service.notify([{"email": "batal@example.org"}], "Tidak terkirim", "dibatalkan")
    tm.abort()
    messages = smtp_sink.wait(1)
    assert [m["to"] for m in messages] == [["warga@example.org"]]
    assert messages[0]["subject"] == "Permohonan diterima"
    assert "SILAT-2026-000001" in messages[0]["body"]


def test_recipient_without_address_is_skipped(app, smtp_sink):
    with transaction.manager:
        assert notifier(app.registry).notify([{"phone": "0812"}], "x", "y") == 0
        assert notifier(app.registry).notify([{"phone": "0812"}], "x", "y", channels=("sms",)) == 1
