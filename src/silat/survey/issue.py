"""Give the person served a survey link when a service is completed:
a permit issued or rejected, a complaint answered, an information
request answered. The link goes out by notification and is kept on the
content (``survey_token``) for the notice and the permit's cover page."""
from pyramid.traversal import find_root

from silat.i18n import _
from silat.interfaces import IComplaint, IDossier, IInformationRequest
from silat.survey.store import issue_token

# (interface, kind, states that complete the service)
COMPLETIONS = (
    (IDossier, "dossier", ("issued", "rejected")),
    (IComplaint, "complaint", ("archive",)),
    (IInformationRequest, "information", ("granted", "refused")),
)

TEXTS = (_("Survei kepuasan layanan ${number}"),
         _("Layanan Anda (${number}) telah selesai. Mohon isi survei kepuasan "
           "masyarakat (anonim, satu kali): ${url}"))


def survey_url(registry, token):
    base = registry.settings.get("silat.public_url", "").rstrip("/")
    return f"{base}/survei/isi?token={token}"


def survey_link(obj, request):
    """The survey link of completed content (None before completion):
    for the issue notice and the permit's cover page."""
    token = getattr(obj, "survey_token", None)
    return request.resource_url(find_root(obj)["survei"], "isi", query={"token": token}) \
        if token else None


def on_transition(event):
    from silat.workflow.notices import number_of, owner_recipient, send, transaction_manager
    obj = event.object
    for iface, kind, states in COMPLETIONS:
        if iface.providedBy(obj) and event.new_state in states:
            break
    else:
        return
    if getattr(obj, "survey_token", None):
        return
    standard = getattr(obj, "standard", None)
    service = getattr(obj, "service_code", "") or ""
    agency = standard().agency if callable(standard) else "DPMPTSP"
    token = issue_token(obj, kind, number_of(obj), service, agency)
    registry = event.registry or event.request.registry
    recipient, lang = owner_recipient(obj)
    if recipient is not None:
        send(registry, transaction_manager(event.request, obj), [(recipient, lang)], TEXTS,
             {"number": number_of(obj), "url": survey_url(registry, token)})
