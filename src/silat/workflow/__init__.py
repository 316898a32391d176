"""Declarative workflows, the one transition function, deadlines (SLA).

Every state change of every dossier, permit, complaint and information
request goes through ``transition``; the workflows are declared in
``application``, ``permit``, ``complaint`` and ``information``. What
follows a transition (clock, review roles, notices) is in ``effects``.
"""
from silat.workflow.application import APPLICATION
from silat.workflow.complaint import COMPLAINT
from silat.workflow.engine import (WorkflowError, acl_for, available, check, initialize,
                                   register_workflow, state_title, transition, workflow_for)
from silat.workflow.information import INFORMATION_REQUEST
from silat.workflow.permit import PERMIT

for _workflow in (APPLICATION, PERMIT, COMPLAINT, INFORMATION_REQUEST):
    register_workflow(_workflow)

__all__ = ["WorkflowError", "acl_for", "available", "check", "initialize", "state_title",
           "transition", "workflow_for", "register_workflow"]


def includeme(config):
    from silat.workflow.api import ROUTES
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.scan(__name__)
