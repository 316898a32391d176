"""The shapes of a declarative workflow: states, transitions, guards.

A workflow is data: each State says which roles hold which permissions
while content is in it (its ACL) and which local roles end on entering
it; each Transition names its source states, target, the permission
needed and the guards (conditions) that must hold. ``engine.transition``
is the only code that moves content between states.

A transition also declares its effects, read by the subscribers of
``IWorkflowEvent``: its effect on the SLA clock (``clock``), who is told
(``notify``) and the letter it produces (``letter``). Entering a final
state stops the clock.
"""
from dataclasses import dataclass, field

from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL, Allow

from silat.security.roles import role_principal


CLOCK_EFFECTS = (None, "start", "pause", "resume", "extend")
NOTICE_AUDIENCES = {"owner", "responsible"}


@dataclass(frozen=True)
class State:
    name: str
    title: str
    grants: dict = field(default_factory=dict)     # role id -> tuple of permissions
    revoke_on_entry: tuple = ()                    # local role ids dropped on entry
    final: bool = False
    responsible: tuple = ()    # roles whose work it is to move it on (worklists, SLA notices)

    def acl(self):
        """Admin keeps everything; the state's grants; then nobody else."""
        acl = [(Allow, role_principal("admin"), ALL_PERMISSIONS)]
        acl += [(Allow, role_principal(role), tuple(perms)) for role, perms in self.grants.items()]
        acl.append(DENY_ALL)
        return acl


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    source: tuple
    target: str
    permission: str
    guards: tuple = ()          # callables (obj, request) -> None or a reason
    needs_comment: bool = False  # a reason is required (reject, return, revoke, ...)
    clock: str = None            # SLA effect: "start", "pause", "resume" or "extend"
    notify: tuple = ()           # who hears of it: "owner" and/or "responsible" (of the target)
    letter: str = None           # kind of letter it produces (rendered by the permits package)


@dataclass(frozen=True)
class Workflow:
    name: str
    initial: str
    states: dict       # name -> State
    transitions: dict  # name -> Transition

    @classmethod
    def build(cls, name, initial, states, transitions):
        workflow = cls(name, initial, {s.name: s for s in states},
                       {t.name: t for t in transitions})
        for t in transitions:
            if t.clock not in CLOCK_EFFECTS:
                raise ValueError(f"{name}.{t.name}: unknown clock effect {t.clock!r}")
            if set(t.notify) - NOTICE_AUDIENCES:
                raise ValueError(f"{name}.{t.name}: unknown audience in {t.notify}")
            unknown = [s for s in t.source + (t.target,) if s not in workflow.states]
            if unknown:
                raise ValueError(f"{name}.{t.name}: unknown states {unknown}")
        return workflow

    def transitions_from(self, state):
        """Transitions whose source includes ``state``, in declaration order."""
        return [t for t in self.transitions.values() if state in t.source]
