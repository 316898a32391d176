"""How complete the catalog is: per component, the standards in effect
that still have it to be configured (the admin page and
``silat catalog report`` show the same)."""
from silat.catalog.model import CONFIGURABLE, LABELS


def incomplete(site):
    """``[(component, label, [(code, name)])]`` in display order, and the total count."""
    by_component = {name: [] for name in CONFIGURABLE}
    for service in site["layanan"].values():
        rev = service.current or service.latest
        if rev is None:
            continue
        for name in rev.to_configure or ():
            by_component.setdefault(name, []).append((service.code, rev.name))
    rows = [(name, LABELS.get(name, name), sorted(found)) for name, found in by_component.items()
            if found]
    return rows, sum(len(found) for _n, _l, found in rows)
