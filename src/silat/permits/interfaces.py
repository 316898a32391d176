"""Contracts of the permits package that a deployment can replace."""
from zope.interface import Interface


class IPbbRecords(Interface):
    """Land and building tax (PBB) payment records of Bapenda.

    SILAT ships ``CsvPbbRecords`` (records imported from Bapenda's CSV
    export into ZODB); a live integration with Bapenda's system registers
    another utility providing this interface.
    """

    def lookup(site, nop, year):
        """The payment record of tax object ``nop`` (18 digits) for ``year``
        as a dict (``nop, year, taxpayer, amount, paid_on``; ``paid_on`` None
        when unpaid), or None when Bapenda has no such record."""
