"""Notifications: email (SMTP, after commit) and an SMS/WhatsApp gateway.

Look the service up with ``notifier(request)`` (bound to the request's
transaction) or ``notifier(registry, tm)`` and call
``notify(recipients, subject, body, channels)``. Messages leave only
when the transaction that produced them commits.
"""
from silat.notify.interfaces import INotifier


def notifier(request_or_registry, tm=None):
    registry = getattr(request_or_registry, "registry", request_or_registry)
    service = registry.getUtility(INotifier)
    tm = tm or getattr(request_or_registry, "tm", None)
    return service.bind(tm) if tm is not None and hasattr(service, "bind") else service


def includeme(config):
    from silat.notify.service import make_notifier
    config.registry.registerUtility(make_notifier(config.get_settings()), INotifier)
