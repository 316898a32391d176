"""``silat.views.paging.Pager`` on its own: numbers, links, two lists on one page."""
from urllib.parse import urlencode

from pyramid.request import Request

from silat.views.paging import Pager, thousands


def request(**params):
    return Request.blank("/daftar?" + urlencode(params), base_url="http://example.com")


def test_pages_links_and_bad_numbers():
    pager = Pager(request(halaman="3", opd="DINKES"), size=50)
    assert pager.take(range(2300)) == list(range(100, 150))
    assert (pager.number, pager.pages, pager.start, pager.end) == (3, 46, 100, 150)
    assert pager.url(1) == "http://example.com/daftar?opd=DINKES"
    assert pager.next_url == "http://example.com/daftar?opd=DINKES&halaman=4"
    assert [n for n, _url in pager.links()] == [1, 2, 3, 4, 5, None, 46]
    assert thousands(2300) == "2.300" and pager.shown.mapping == \
        {"first": "101", "last": "150", "total": "2.300"}
    last = Pager(request(halaman="99999999999999999999"), size=50)
    assert last.take(range(120), lambda n: n % 2) == list(range(101, 120, 2))
    assert (last.number, last.total, last.message, last.next_url) == (2, 60, None, None)
    for bad in ("x", "0", "-1", "1.5"):
        pager = Pager(request(halaman=bad))
        assert pager.take([1, 2]) == [1, 2] and pager.message is not None
    empty = Pager(request()).count(0)
    assert (empty.number, empty.pages, empty.previous_url, empty.next_url) == (1, 1, None, None)


def test_two_lists_keep_each_others_page_as_shown():
    req = request(halaman="2", halaman_tanda_tangan="7", q="a b")
    first, second = Pager(req, size=2), Pager(req, "halaman_tanda_tangan", size=2)
    first.take(range(5)), second.take(range(9))          # 7 is past 5 pages: the last
    first.beside(second), second.beside(first)
    assert second.number == 5
    assert first.url(3) == "http://example.com/daftar?q=a+b&halaman_tanda_tangan=5&halaman=3"
    assert second.url(1) == "http://example.com/daftar?q=a+b&halaman=2"
