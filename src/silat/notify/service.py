"""The notifier and its channels."""
import logging

from pyramid_mailer.mailer import Mailer
from pyramid_mailer.message import Message
from zope.interface import implementer

from silat.notify.interfaces import IChannel, INotifier

log = logging.getLogger(__name__)


@implementer(IChannel)
class EmailChannel:
    """SMTP through pyramid_mailer; joins the transaction, so a message is
    sent only after the commit that caused it."""

    name = "email"

    def __init__(self, mailer, sender):
        self.mailer, self.sender = mailer, sender

    def send(self, address, subject, body):
        self.mailer.send(Message(subject=subject, sender=self.sender, recipients=[address], body=body))


@implementer(IChannel)
class LogSmsChannel:
    """Default SMS/WhatsApp channel: writes the message to the log."""

    name = "sms"

    def send(self, address, subject, body):
        log.info("SMS to %s: %s - %s", address, subject, body)


@implementer(INotifier)
class Notifier:
    def __init__(self, channels):
        self.channels = {c.name: c for c in channels}

    def notify(self, recipients, subject, body, channels=("email",)):
        sent = 0
        for recipient in recipients:
            for name in channels:
                address = _address(recipient, name)
                if address and name in self.channels:
                    self.channels[name].send(address, subject, body)
                    sent += 1
        return sent


def _address(recipient, channel):
    field = "email" if channel == "email" else "phone"
    if isinstance(recipient, dict):
        return recipient.get(field)
    return getattr(recipient, field, None)


def make_mailer(settings):
    """SMTP by default; ``mail.mailer = debug`` writes each message as a
    file under ``mail.debug_dir`` instead (development)."""
    if settings.get("mail.mailer") == "debug":
        from pyramid_mailer.mailer import DebugMailer
        return DebugMailer(settings["mail.debug_dir"])
    return Mailer.from_settings(settings, prefix="mail.")


def make_notifier(settings):
    mailer = make_mailer(settings)
    sender = settings.get("mail.default_sender", "SILAT <silat@localhost>")
    return Notifier([EmailChannel(mailer, sender), LogSmsChannel()])
