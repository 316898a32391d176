"""Contracts of the service catalog."""
from zope.interface import Attribute, Interface


class IServiceType(Interface):
    """One kind of service (jenis layanan) with its versioned standard.

    Later issues keep ``(code, revision number)`` on a dossier and read
    the standard it was filed under with ``revision(number)``.
    """

    code = Attribute("Stable code, also the name in /layanan.")
    current = Attribute("Newest revision in effect today, or None.")

    def revision(number):
        """The revision with that number; KeyError if there is none."""

    def current_on(day):
        """Newest revision whose effective date is on or before ``day``."""

    def add_revision(fields, effective_date, author, note=""):
        """Store a new immutable revision; return it."""


class IStandardRevision(Interface):
    """An immutable revision of a service standard."""

    number = Attribute("1, 2, ... in order of creation.")
    effective_date = Attribute("datetime.date from which it applies.")
    author = Attribute("Username (or 'seed') that created it.")
    note = Attribute("Why it was made.")
