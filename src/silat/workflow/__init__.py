"""Declarative workflows, the one transition function, deadlines (SLA).

Every state change of every dossier, permit, complaint and information
request goes through ``transition``; see ``application`` for the
application workflow.
"""
from silat.workflow.application import APPLICATION
from silat.workflow.engine import (WorkflowError, acl_for, available, initialize,
                                   register_workflow, state_title, transition, workflow_for)

register_workflow(APPLICATION)

__all__ = ["WorkflowError", "acl_for", "available", "initialize", "state_title",
           "transition", "workflow_for", "register_workflow"]


def includeme(config):
    config.scan(__name__)
