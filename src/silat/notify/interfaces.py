"""The notification contract: one service, several channels."""
from zope.interface import Attribute, Interface


class IChannel(Interface):
    """One way of reaching a person (email, SMS/WhatsApp gateway, ...)."""

    name = Attribute("Channel name: 'email', 'sms'.")

    def send(address, subject, body):
        """Queue a message to ``address``; delivered only if the current
        transaction commits."""

    def bind(transaction_manager):
        """The same channel joined to ``transaction_manager``."""


class INotifier(Interface):
    """Tells people that something needs them."""

    def notify(recipients, subject, body, channels=("email",)):
        """Send ``subject``/``body`` to each recipient (a User or a dict
        with ``email``/``phone``) over the named channels."""

    def bind(transaction_manager):
        """The same notifier delivering when ``transaction_manager``'s
        transaction commits."""
