"""The resource tree and its BTree folders, on a real FileStorage."""
import pytest
from BTrees.OOBTree import OOBTree

from silat.resources.folder import Folder
from silat.resources.site import CONTAINERS, Site, bootstrap


def test_fresh_site_has_the_architecture_tree(edit_site):
    with edit_site() as site:
        assert isinstance(site, Site)
        assert sorted(site.keys()) == sorted(CONTAINERS)
        for name in ("layanan", "opd", "berkas", "pengaduan", "informasi", "survei", "arsip", "pengguna"):
            assert site[name].__parent__ is site and site[name].__name__ == name


def test_folders_are_btrees_with_conflict_free_counts(edit_site):
    with edit_site() as site:
        folder = site["berkas"]
        assert isinstance(folder._data, OOBTree)
        assert not hasattr(folder, "_order")
        for i in range(300):
            folder.add(f"SILAT-2026-{i:06d}", Folder())
    with edit_site() as site:
        folder = site["berkas"]
        assert len(folder) == 300
        assert list(folder.keys("SILAT-2026-000100", "SILAT-2026-000102")) == [
            "SILAT-2026-000100", "SILAT-2026-000101", "SILAT-2026-000102"]
        folder.remove("SILAT-2026-000007")
    with edit_site() as site:
        assert len(site["berkas"]) == 299 and "SILAT-2026-000007" not in site["berkas"]


@pytest.mark.parametrize("name", ["", "../x", "a/b", "@@view", "-x", "x" * 300, None])
def test_folder_refuses_names_that_are_not_url_segments(name):
    with pytest.raises(ValueError):
        Folder().add(name, Folder())


def test_duplicate_name_is_refused():
    folder = Folder()
    folder.add("a", Folder())
    with pytest.raises(KeyError):
        folder.add("a", Folder())
    assert len(folder) == 1


def test_bootstrap_is_idempotent(db):
    with db.transaction() as conn:
        first = bootstrap(conn.root())
        assert bootstrap(conn.root()) is first
