"""allowedRolesAndUsers: who may view an indexed item, and who is asking.

``allowed_principals(obj, permission)`` walks the ACLs from ``obj`` up as
Pyramid's ACL helper does (first matching entry wins; ``DENY_ALL`` ends
the walk) and collects the principals granted ``permission``. A granted
role that is held as a *local* role on the object or its parents (owner,
reviewer, ...) is expanded into the principals holding it there
(``user:budi``, ``agency:DINKES``), so a query needs only the caller's
own principals. ``query_principals(user)`` is what the caller holds.
"""
import numpy as np
from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Deny, Everyone
from pyramid.location import lineage
from whoosh import query as Q

from silat.security.roles import role_principal


def _acl(node):
    acl = getattr(node, "__acl__", None)
    if acl is None:
        return ()
    return acl() if callable(acl) else acl


def _grants(perms, permission):
    if perms is ALL_PERMISSIONS or perms == ALL_PERMISSIONS:
        return True
    if isinstance(perms, str):
        return perms == permission
    return permission in perms


def allowed_principals(obj, permissions):
    """The principals that hold any of ``permissions`` on ``obj``."""
    if isinstance(permissions, str):
        permissions = (permissions,)
    found = set()
    for permission in permissions:
        decided = set()
        stop = False
        for node in lineage(obj):
            for action, principal, perms in _acl(node):
                if not _grants(perms, permission) or principal in decided:
                    continue
                decided.add(principal)
                if action == Allow:
                    found.add(principal)
                elif action == Deny and principal == Everyone:
                    stop = True
                    break
            if stop:
                break
    # expand local roles into their holders
    holders = {}
    for node in lineage(obj):
        for principal, roles in (getattr(node, "__local_roles__", None) or {}).items():
            for role in roles:
                holders.setdefault(role_principal(role), set()).add(principal)
        if getattr(node, "__local_roles_block__", False):
            break
    for principal in list(found):
        found |= holders.get(principal, set())
    return sorted(found)


def query_principals(user):
    """The principals a (possibly anonymous) caller holds everywhere."""
    found = [Everyone]
    if user is not None:
        found.append(Authenticated)
        found += user.principals()
    return tuple(sorted(set(found)))


# -- the permission filter: ONE function builds it, and it fails closed ----

MAX_CACHED_SETS = 8        # principal sets cached per (per-thread) searcher (memory bound)


def permission_query(principals):
    return Q.Or([Q.Term("allowed", p) for p in principals])


def allowed_docs(searcher, principals):
    """The document numbers ``principals`` may view in ``searcher``'s
    index (cached on the searcher, which belongs to one thread). Empty
    when they may view nothing."""
    principals = tuple(sorted(set(principals or ())))
    if not principals:
        return set()
    cache = searcher.__dict__.setdefault("_silat_allowed", {})
    found = cache.get(principals)
    if found is None:
        found = set(searcher.docs_for_query(permission_query(principals)))   # read only
        if len(cache) >= MAX_CACHED_SETS:
            cache.clear()
        cache[principals] = found
    return found


def search_allowed(searcher, query, principals, pagenum=None, pagelen=20, **kw):
    """Search ``query`` over what ``principals`` may view: with
    ``allowed_mask`` below, the only ways the officer
    search, the archive and any other caller filter by permission.

    Whoosh reads an empty filter as *no filter*: an empty allowed set
    is therefore turned into a query that matches nothing."""
    if "filter" in kw or "mask" in kw:
        raise TypeError("search_allowed builds the filter itself")
    allowed = allowed_docs(searcher, principals)
    if not allowed:
        query, allowed = Q.NullQuery, None
    kw["filter"] = allowed
    if pagenum is not None:
        return searcher.search_page(query, pagenum, pagelen=pagelen, **kw)
    return searcher.search(query, **kw)


def allowed_mask(searcher, columns, principals):
    """The documents ``principals`` may view, as a boolean mask over
    ``columns`` (a ``search.columns.Generation`` of ``searcher``'s index):
    the hit set of the officer search. All False when they may view nothing.
    Built once per generation and principal set (``Generation.allowed``);
    the caller gets its own copy to narrow."""
    wanted = frozenset(principals or ())

    def build():
        mask = np.zeros(columns.count, bool)
        for principal in sorted(wanted):
            docnums, _frequencies = columns.term(searcher, "allowed", principal)
            mask[docnums] = True
        return mask & columns.live
    return columns.allowed(wanted, build)
