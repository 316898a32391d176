"""The default after-commit mode: a daemon worker gathers the commits of a
short window into one Whoosh commit, so requests do not wait for the index."""
import threading

from silat.resources.dossier import Dossier
from silat.search import reindex
from tests.search.test_indexing import uids


def commit_dossiers(edit_site, numbers):
    """One commit per submitted dossier, each queued for the index; returns ``numbers``."""
    for number in numbers:
        with edit_site() as site:
            dossier = Dossier(number, "IMB", 1, "pemohon")
            site["berkas"].add(number, dossier)
            dossier.state = "submitted"
            reindex(dossier)
    return numbers


def test_background_worker_indexes_what_commits_queued(seeded, app, edit_site, index):
    index.background_delay = 0.3          # as silat.search.background = true configures it
    numbers = commit_dossiers(edit_site, [f"SILAT-2026-0007{n:02d}" for n in range(5)])
    assert index.wait_idle(30)
    assert {f"dossier:{n}" for n in numbers} <= uids(index)
    assert any(t.name == "silat-indexer" and t.daemon for t in threading.enumerate())
    with edit_site() as site:
        assert len(site.search_queue.entries) == 0


def test_background_mode_is_the_default_setting(settings):
    from silat import main
    application = main({}, **{k: v for k, v in settings.items() if k != "silat.search.background"})
    try:
        assert application.registry.silat_index.background_delay == 0.2
    finally:
        application.registry._zodb_databases[""].close()


def test_the_worker_gathers_a_burst_and_drains_a_backlog_alone(seeded, app, edit_site, index):
    """One batch per wake: commits that come while a batch is indexed wait
    for the next one (a busy office's filings are gathered, not indexed a
    few at a time); a backlog larger than a batch is indexed to the end
    without any further commit to wake the worker."""
    from silat.search.indexer import IndexService
    drains = []
    real = IndexService.process_queue

    def counted(self, *args, **kwargs):
        done = real(self, *args, **kwargs)
        if threading.current_thread().name == "silat-indexer":
            drains.append(done)
        return done

    index.process_queue = counted.__get__(index)
    index.background_delay, index.batch = 0.5, 5
    numbers = commit_dossiers(edit_site, [f"SILAT-2026-0008{n:02d}" for n in range(23)])
    # (23 commits within the first delay)
    assert index.wait_idle(60)
    assert {f"dossier:{n}" for n in numbers} <= uids(index)
    assert sum(drains) == 23 and max(drains) == 5       # batches of 5, to the end
    assert len([d for d in drains if d]) <= 6           # gathered: not one drain per commit
    with edit_site() as site:
        assert len(site.search_queue.entries) == 0
