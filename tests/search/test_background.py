"""The default after-commit mode: a daemon worker gathers the commits of a
short window into one Whoosh commit, so requests do not wait for the index."""
import threading

from silat.resources.dossier import Dossier
from silat.search import reindex
from tests.search.test_indexing import uids


def test_background_worker_indexes_what_commits_queued(seeded, app, edit_site, index):
    index.background_delay = 0.3          # as silat.search.background = true configures it
    numbers = [f"SILAT-2026-0007{n:02d}" for n in range(5)]
    for number in numbers:
        with edit_site() as site:
            dossier = Dossier(number, "IMB", 1, "pemohon")
            site["berkas"].add(number, dossier)
            dossier.state = "submitted"
            reindex(dossier)
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
