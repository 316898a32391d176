"""Starting content in its workflow: complaints and information requests
are filed in their folder with the clock running; a permit is renewed by
a new application dossier linked to it."""
from pyramid.traversal import find_root

from silat.i18n import _
from silat.security.permissions import SUBMIT
from silat.security.principals import user_principal
from silat.workflow import sla
from silat.workflow.engine import WorkflowError, _actor, initialize
from silat.workflow.history import grant_local_role
from silat.workflow.permit import RENEWABLE


def file_case(folder, case, actor):
    """Add a complaint or information request to ``folder``: initial state,
    the reporter as owner, the history's first entry, the clock started."""
    folder.add(case.number, case)
    initialize(case)
    case.history.append(actor, "created", "", number=case.number)
    if case.owner:
        grant_local_role(case, user_principal(case.owner), "owner", actor)
    sla.start(case)
    return case


def renew(permit, request, registration_number, actor=None, check_permission=True):
    """Start the renewal application of ``permit``: a draft dossier for the
    same service (its current standard) and holder, linked both ways.
    Returns the new dossier; raises WorkflowError when not possible."""
    from silat.resources.dossier import Dossier
    if check_permission and (request is None or not request.has_permission(SUBMIT, permit)):
        raise WorkflowError(403, "forbidden", _("Anda tidak berhak melakukan tindakan ini."))
    if permit.state not in RENEWABLE:
        raise WorkflowError(409, "not_renewable", _("Izin yang dibekukan atau dicabut tidak dapat diperpanjang."))
    site = find_root(permit)
    previous = site["berkas"].get(permit.renewed_by or "")
    if previous is not None and previous.state not in ("rejected", "withdrawn"):
        raise WorkflowError(409, "renewal_open", _(
            "Perpanjangan izin ini sudah diajukan dengan nomor ${number}.",
            mapping={"number": previous.registration_number}))
    service = site["layanan"][permit.service_code]
    standard = service.current or service.latest
    who = _actor(request, actor)
    dossier = Dossier(registration_number, permit.service_code, standard.number, permit.owner)
    dossier.applicant = dict(permit.holder)
    dossier.renews = {"permit": permit.number, "registration_number": permit.registration_number}
    site["berkas"].add(registration_number, dossier)
    initialize(dossier)
    dossier.history.append(who, "created", "", renews=permit.number)
    if permit.owner:
        grant_local_role(dossier, user_principal(permit.owner), "owner", who)
    permit.renewed_by = registration_number
    permit.history.append(who, "renewal", "", registration_number=registration_number)
    return dossier
