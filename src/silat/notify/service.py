"""The notifier and its channels.

Every channel delivers in an after-commit hook: only when the
transaction that produced the message commits, and a failed delivery is
logged without undoing the commit. Requests run in their own transaction manager
(``request.tm``, pyramid_tm explicit mode), so callers bind the notifier
to the manager they work in (``notifier(request)`` does it); an unbound
notifier joins the thread's default manager.
"""
import json
import logging
import urllib.request

import transaction
from pyramid_mailer.mailer import Mailer
from pyramid_mailer.message import Message
from zope.interface import implementer

from silat.notify.interfaces import IChannel, INotifier

log = logging.getLogger(__name__)


class _AfterCommit:
    """A channel whose delivery runs in an after-commit hook."""

    def __init__(self, tm=None):
        self.tm = tm

    def bind(self, tm):
        """This channel, delivering when ``tm``'s transaction commits."""
        bound = object.__new__(type(self))
        bound.__dict__.update(self.__dict__, tm=tm)
        return bound

    def send(self, address, subject, body):
        def deliver(committed):
            if committed:
                try:
                    self.deliver(address, subject, body)
                except Exception:      # delivery must never undo what committed
                    log.exception("%s message to %s failed", self.name, address)
        (self.tm or transaction.manager).get().addAfterCommitHook(deliver)


@implementer(IChannel)
class EmailChannel(_AfterCommit):
    """SMTP through pyramid_mailer, sent by an after-commit hook: only when
    the transaction that caused it commits, and a mail server that is down
    is logged, never turned into a failed request."""

    name = "email"

    def __init__(self, mailer, sender, tm=None):
        super().__init__(tm)
        self.mailer, self.sender = mailer, sender

    def deliver(self, address, subject, body):
        self.mailer.send_immediately(Message(subject=subject, sender=self.sender,
                                             recipients=[address], body=body))


class LogMailer:
    """Stands in for SMTP when no ``mail.host`` is configured: logs each message."""

    def send_immediately(self, message, fail_silently=False):
        log.info("mail (no mail.host configured) to %s: %s", ", ".join(message.recipients),
                 message.subject)


@implementer(IChannel)
class LogSmsChannel(_AfterCommit):
    """Default SMS/WhatsApp channel: writes the message to the log."""

    name = "sms"

    def deliver(self, address, subject, body):
        log.info("SMS to %s: %s - %s", address, subject, body)


@implementer(IChannel)
class HttpSmsChannel(_AfterCommit):
    """An SMS/WhatsApp gateway: POSTs ``{"to", "subject", "text"}`` as JSON
    to ``silat.sms.gateway_url`` (bearer ``silat.sms.gateway_token`` if set)."""

    name = "sms"

    def __init__(self, url, token=None, timeout=10.0, tm=None):
        super().__init__(tm)
        self.url, self.token, self.timeout = url, token, timeout

    def deliver(self, address, subject, body):
        data = json.dumps({"to": address, "subject": subject, "text": body}).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout) as response:
            if response.status >= 300:
                raise OSError(f"gateway answered {response.status}")


@implementer(INotifier)
class Notifier:
    def __init__(self, channels):
        self.channels = {c.name: c for c in channels}

    def bind(self, tm):
        """This notifier, delivering when ``tm``'s transaction commits."""
        return Notifier([c.bind(tm) for c in self.channels.values()])

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
    """SMTP to ``mail.host``; ``mail.mailer = debug`` writes each message as
    a file under ``mail.debug_dir`` (development); without ``mail.host``
    messages are only logged."""
    if settings.get("mail.mailer") == "debug":
        from pyramid_mailer.mailer import DebugMailer
        return DebugMailer(settings["mail.debug_dir"])
    if not settings.get("mail.host"):
        log.warning("mail.host is not set: email notifications are only logged")
        return LogMailer()
    return Mailer.from_settings(settings, prefix="mail.")


def make_sms_channel(settings):
    url = (settings.get("silat.sms.gateway_url") or "").strip()
    if not url:
        return LogSmsChannel()
    return HttpSmsChannel(url, (settings.get("silat.sms.gateway_token") or "").strip() or None,
                          float(settings.get("silat.sms.timeout", 10)))


def make_notifier(settings):
    mailer = make_mailer(settings)
    sender = settings.get("mail.default_sender", "SILAT <silat@localhost>")
    return Notifier([EmailChannel(mailer, sender), make_sms_channel(settings)])
