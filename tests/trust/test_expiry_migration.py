"""Evolve step 60: the permit register's per-day expiry buckets become one
set of (date, number) pairs; the expiry job reads the same permits."""
import datetime as dt

from BTrees.OOBTree import OOBTree, OOTreeSet

from silat.evolve import evolve
from silat.permits.registry import registry


def test_step_60_keeps_every_due_permit(edit_site, seeded):
    with edit_site() as site:
        reg = registry(site)
        del reg.expiry
        reg.by_expiry = OOBTree({"2026-01-31": OOTreeSet(["A/1", "A/2"]),
                                 "2027-05-01": OOTreeSet(["B/9"])})
        site.generation = 5
    with edit_site() as site:
        assert 60 in evolve(site)
        reg = registry(site)
        assert "by_expiry" not in reg.__dict__
        assert sorted(reg.due_to_expire(dt.date(2026, 2, 1))) == ["A/1", "A/2"]
        assert sorted(reg.due_to_expire(dt.date(2027, 5, 1))) == ["A/1", "A/2"]
        assert sorted(reg.due_to_expire(dt.date(2027, 5, 2))) == ["A/1", "A/2", "B/9"]
