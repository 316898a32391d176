"""The one function that changes a workflow state, and what reads states."""
from dataclasses import dataclass

from zope.interface import implementer

from silat.i18n import _
from silat.interfaces import IWorkflowEvent
from silat.security.localroles import local_roles
from silat.workflow.history import revoke_local_role


class WorkflowError(Exception):
    """A refused transition. ``status``: 404 unknown, 403 not yours to
    take, 409 not possible now, 422 a reason is missing. ``reason`` is a
    translation string saying why."""

    def __init__(self, status, code, reason):
        super().__init__(code)
        self.status, self.code, self.reason = status, code, reason


@implementer(IWorkflowEvent)
@dataclass
class TransitionEvent:
    object: object
    request: object
    transition: object
    old_state: str
    new_state: str
    comment: str
    actor: str
    registry: object = None


_WORKFLOWS = {}


def register_workflow(workflow):
    _WORKFLOWS[workflow.name] = workflow
    return workflow


def workflow_for(obj):
    """The workflow of ``obj``: its ``workflow_name``, specialised per
    service when a workflow named ``<name>:<service code>`` exists."""
    name = obj.workflow_name
    variant = f"{name}:{getattr(obj, 'service_code', '')}"
    return _WORKFLOWS.get(variant) or _WORKFLOWS[name]


def initialize(obj):
    """Put new content in its workflow's initial state."""
    obj.state = workflow_for(obj).initial


def acl_for(obj):
    workflow = workflow_for(obj)
    return workflow.states[obj.state or workflow.initial].acl()


def state_title(obj):
    return workflow_for(obj).states[obj.state].title


def _actor(request, actor):
    if actor:
        return actor
    user = getattr(request, "user", None) if request is not None else None
    return user.username if user is not None else "system"


def check(obj, name, request=None, comment="", check_permission=True):
    """Return the Transition if it may be taken now, else raise WorkflowError:
    409 when the state does not allow it, 403 when the caller may not take
    it, 409 with the guard's reason, 422 when a needed reason is missing."""
    workflow = workflow_for(obj)
    transition = workflow.transitions.get(name)
    if transition is None:
        raise WorkflowError(404, "unknown_transition",
                            _("Tindakan ${name} tidak dikenal.", mapping={"name": name}))
    if obj.state not in transition.source:
        raise WorkflowError(409, "invalid_state", _(
            "Tindakan \"${action}\" tidak dapat dilakukan pada status \"${state}\".",
            mapping={"action": transition.title, "state": workflow.states[obj.state].title}))
    if check_permission and (request is None or not request.has_permission(transition.permission, obj)):
        raise WorkflowError(403, "forbidden", _("Anda tidak berhak melakukan tindakan ini."))
    for guard in transition.guards:
        reason = guard(obj, request)
        if reason:
            raise WorkflowError(409, "guard_failed", reason)
    if transition.needs_comment and not (comment or "").strip():
        raise WorkflowError(422, "reason_required", _("Alasan wajib diisi untuk tindakan ini."))
    return transition


def transition(obj, name, request=None, comment="", actor=None, check_permission=True,
               registry=None, **data):
    """Take transition ``name`` on ``obj``: check, change state and local
    roles, append the history entry, fire a TransitionEvent. Returns the
    new state. System jobs (cron, CLI) pass ``request=None``,
    ``check_permission=False``, their ``registry`` and an ``actor``."""
    if request is None and registry is None:
        raise ValueError("transition needs a request or a registry")
    step = check(obj, name, request, comment, check_permission)
    workflow = workflow_for(obj)
    old = obj.state
    obj.state = step.target
    entered = workflow.states[step.target]
    who = _actor(request, actor)
    obj.history.append(who, "transition", comment, transition=name, old_state=old,
                       new_state=step.target, **data)
    for principal, roles in sorted(local_roles(obj).items()):
        for role in sorted(set(roles) & set(entered.revoke_on_entry)):
            revoke_local_role(obj, principal, role, who)
    if hasattr(obj, "modified"):
        from silat.resources.dossier import utcnow
        obj.modified = utcnow()
    registry = request.registry if request is not None else registry
    registry.notify(TransitionEvent(obj, request, step, old, step.target, comment or "", who, registry))
    return step.target


def available(obj, request):
    """The transitions the current user may take on ``obj`` now (guards
    and permissions checked; a missing reason is not held against them)."""
    found = []
    for step in workflow_for(obj).transitions.values():
        try:
            check(obj, step.name, request, comment="x")
        except WorkflowError:
            continue
        found.append(step)
    return found
