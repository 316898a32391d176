"""Plone-style local roles: roles granted to a principal on one resource.

A resource keeps ``__local_roles__``, a small dict ``principal -> tuple of
role ids``; the roles apply to the resource and everything below it,
unless a resource sets ``__local_roles_block__``. Workflow states and
recommendation requests grant and revoke local roles through these
functions only.
"""
from pyramid.location import lineage

from silat.security.roles import role_principal


def local_roles(context):
    """Return the roles granted directly on ``context`` (a copy)."""
    return {p: tuple(r) for p, r in (getattr(context, "__local_roles__", None) or {}).items()}


def grant(context, principal, *role_ids):
    current = local_roles(context)
    roles = set(current.get(principal, ()))
    roles.update(role_ids)
    current[principal] = tuple(sorted(roles))
    context.__local_roles__ = current


def revoke(context, principal, *role_ids):
    """Revoke the given roles (all roles if none are named)."""
    current = local_roles(context)
    remaining = set(current.get(principal, ())) - set(role_ids) if role_ids else set()
    if remaining:
        current[principal] = tuple(sorted(remaining))
    else:
        current.pop(principal, None)
    context.__local_roles__ = current


def effective_local_roles(context, principals):
    """Role ids the given principals hold on ``context`` via local roles."""
    principals = set(principals)
    found = set()
    for node in lineage(context):
        for principal, roles in (getattr(node, "__local_roles__", None) or {}).items():
            if principal in principals:
                found.update(roles)
        if getattr(node, "__local_roles_block__", False):
            break
    return found


def local_role_principals(context, principals):
    return {role_principal(r) for r in effective_local_roles(context, principals)}
