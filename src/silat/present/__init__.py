"""How things read on screen: one date format in the site's time zone
(WIB), translated labels of states and decisions, and history entries
told as sentences (``silat.present.history``). Pages and emails use
these helpers instead of formatting dates or keys themselves."""
import datetime as dt

from silat.i18n import _
from silat.workflow.calendar import WIB   # the site's time zone


def _as_datetime(value):
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                return None
    return value


def _local(value):
    """``value`` as a WIB datetime, a date, or None (text that is no date)."""
    value = _as_datetime(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(WIB)
    return value


def when(value):
    """A moment as ``03-12-2026 09:15 WIB`` (a date alone as ``03-12-2026``);
    empty for None or text that is no date."""
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M WIB")
    return value.strftime("%d-%m-%Y")


def day(value):
    """A calendar day as ``03-12-2026`` (a moment is taken in WIB first)."""
    value = _local(value)
    return value.strftime("%d-%m-%Y") if value is not None else ""


def rupiah(amount):
    """``Rp 1.250.000`` (Indonesian thousands separator)."""
    return "Rp " + number(int(amount or 0))


def number(value):
    """An integer with the Indonesian thousands separator (``12.345``)."""
    return f"{value:,}".replace(",", ".")


def state_label(obj, state=None):
    """The translatable title of ``obj``'s state (or of ``state`` in its workflow)."""
    from silat.workflow.engine import workflow_for
    state = state if state is not None else obj.state
    workflow = workflow_for(obj)
    found = workflow.states.get(state)
    return found.title if found is not None else _("Status tidak dikenal")


def decision_label(decision):
    from silat.recommendations.model import DECISIONS
    return DECISIONS.get(decision, _("Belum diputuskan"))


def recommendation_status_label(status):
    from silat.recommendations.model import STATUSES
    return STATUSES.get(status, _("Status tidak dikenal"))


def person(request, username):
    """The display name of an account (its login when it has none)."""
    if not username:
        return ""
    if username == "system":
        return request.localizer.translate(_("Sistem"))
    user = request.root["pengguna"].get(username) if "pengguna" in request.root else None
    return (getattr(user, "title", "") or username) if user is not None else username


def is_officer(request):
    """Staff of DPMPTSP or an agency (anyone but a plain applicant)."""
    user = getattr(request, "user", None)
    if user is None:
        return False
    return bool(getattr(user, "agency", None)) or any(r != "pemohon" for r in user.roles)


def say(request, message, queue=""):
    """Flash ``message`` translated, with its ``${...}`` mapping filled in."""
    request.session.flash(request.localizer.translate(message), queue)


def state_value_label(value):
    """The title of a stored state or decision key seen without its object
    (search facets and hits): application, permit, complaint and
    information-request states, recommendation statuses and decisions.
    Unknown values are returned as they are."""
    from silat.recommendations.model import DECISIONS, STATUSES
    from silat.workflow.application import APPLICATION
    from silat.workflow.complaint import COMPLAINT
    from silat.workflow.information import INFORMATION_REQUEST
    from silat.workflow.permit import PERMIT
    for workflow in (APPLICATION, PERMIT, COMPLAINT, INFORMATION_REQUEST):
        if value in workflow.states:
            return workflow.states[value].title
    return DECISIONS.get(value) or STATUSES.get(value) or value


def facet_value_label(name, value):
    """What a search facet's value reads as (states translated, others as stored)."""
    return state_value_label(value) if name == "state" else value
