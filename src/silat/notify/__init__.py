"""Notifications: email (SMTP, after commit) and an SMS/WhatsApp gateway.

Look the service up with ``notifier(request_or_registry)`` and call
``notify(recipients, subject, body, channels)``. Messages leave only
when the transaction that produced them commits.
"""
from silat.notify.interfaces import INotifier


def notifier(request_or_registry):
    registry = getattr(request_or_registry, "registry", request_or_registry)
    return registry.getUtility(INotifier)


def includeme(config):
    from silat.notify.service import make_notifier
    config.registry.registerUtility(make_notifier(config.get_settings()), INotifier)
