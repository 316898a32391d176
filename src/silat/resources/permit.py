"""The permit (izin) issued from a dossier: ``/berkas/<number>/izin``.

A minimal content class with what the permits package builds on: the
permit number, holder, service, the dossier it came from, validity and
the workflow state (active, frozen, revoked, expired; see
``silat.workflow.permit``). It keeps its own hash-chained history.
"""
import datetime as dt

from persistent import Persistent
from zope.interface import implementer

from silat.interfaces import IPermit
from silat.resources.history import AuditLog

PERMIT_NAME = "izin"


@implementer(IPermit)
class Permit(Persistent):
    __name__ = None
    __parent__ = None
    state = None
    workflow_name = "permit"
    renewed_by = None          # registration number of the renewal application

    def __init__(self, number, holder, service_code, registration_number, issued_at,
                 valid_until=None, owner=None):
        self.number = number
        self.holder = dict(holder)                    # name, identity number, address
        self.service_code = service_code
        self.registration_number = registration_number
        self.issued_at = issued_at                    # aware datetime
        self.valid_until = valid_until                # local date, None = no expiry
        self.owner = owner                            # the applicant's username
        self.history = AuditLog()

    @property
    def __acl__(self):
        from silat.workflow import acl_for
        return acl_for(self)

    @property
    def dossier(self):
        return self.__parent__

    def expired_on(self, day):
        return self.valid_until is not None and day > self.valid_until


def add_permit(dossier, number, actor, valid_until=None, issued_at=None):
    """Create the permit of ``dossier`` (active) and record it in both histories."""
    from silat.workflow import initialize
    permit = Permit(number, dossier.applicant, dossier.service_code, dossier.registration_number,
                    issued_at or dt.datetime.now(dt.timezone.utc), valid_until, dossier.owner)
    dossier.add(PERMIT_NAME, permit)
    dossier.permit = permit
    initialize(permit)
    permit.history.append(actor, "created", "", number=number, dossier=dossier.registration_number,
                          valid_until=valid_until)
    dossier.history.append(actor, "permit_created", "", number=number)
    return permit
