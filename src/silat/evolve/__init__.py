"""Numbered evolve steps for stored data.

The site keeps ``generation``, the number of the last step applied. A new
site starts at ``LATEST``; ``silat evolve`` runs the pending steps in
order, one transaction per step, so an interrupted run resumes where it
stopped. Add a step by appending to ``STEPS`` (never renumber).
"""
import logging

from silat.evolve import steps

log = logging.getLogger(__name__)


def _shard_search_queue(site):
    from silat.search.queue import shard_queue
    shard_queue(site)


STEPS = (
    (1, "add any missing top-level container", steps.add_missing_containers),
    (2, "add the working-day calendar settings", steps.add_missing_settings),
    (3, "add the permit register (/izin)", steps.add_permit_register),
    (4, "add the SLA watch list of running clocks", steps.add_missing_settings),
    (5, "seal the history entries written before sealing", steps.seal_histories),
    (6, "shard the search index queue", _shard_search_queue),
    (20, "agencies keep read access to the dossiers they reviewed", steps.grant_reviewed_roles),
    (40, "count existing dossiers into the report tallies", steps.count_report_tallies),
    (60, "permit register: expiry index as one set of (date, number)", steps.merge_expiry_buckets),
    (70, "worklist indexes hold open marks, swept by a job; shared indexes made eagerly",
     steps.open_marks),
    (80, "the running SLA clocks listed by earliest due date (supervisors' page)",
     steps.index_due_dates),
    (90, "report counters: drop the views of gauges and due dates that no figure reads",
     steps.drop_unread_report_views),
)
LATEST = STEPS[-1][0]
assert [n for n, *_ in STEPS] == sorted(n for n, *_ in STEPS), "STEPS must stay in number order"


def pending(site):
    return [s for s in STEPS if s[0] > site.generation]


def evolve(site, tm=None):
    """Apply every pending step to ``site``; return the numbers applied.

    With a transaction manager ``tm`` each step is committed on its own;
    without one the caller commits.
    """
    applied = []
    for number, description, step in pending(site):
        log.info("evolve step %s: %s", number, description)
        step(site)
        site.generation = number
        if tm is not None:
            tm.get().note(f"silat evolve step {number}: {description}")
            tm.commit()
            tm.begin()
        applied.append(number)
    return applied
