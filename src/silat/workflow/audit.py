"""Checking every hash-chained history in the database."""
from pyramid.traversal import resource_path

CONTAINERS = ("berkas", "pengaduan", "informasi")


def histories(site):
    """(path, AuditLog) of every dossier, its permit, complaint and
    information request."""
    for name in CONTAINERS:
        folder = site.get(name)
        if folder is None:
            continue
        for obj in folder.values():
            log = getattr(obj, "history", None)
            if log is not None:
                yield resource_path(obj), log
            permit = getattr(obj, "permit", None)
            if permit is not None and getattr(permit, "history", None) is not None:
                yield resource_path(permit), permit.history


def verify_all(site, on_checked=None):
    """[(path, seq, why)] of the first broken entry of every broken chain."""
    broken = []
    for count, (path, log) in enumerate(histories(site), 1):
        problem = log.verify()
        if problem is not None:
            broken.append((path, *problem))
        if on_checked is not None:
            on_checked(count)
    return broken
