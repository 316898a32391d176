"""Pages of a long worklist (``?halaman=N``, ``PAGE_SIZE`` rows a page).

The lists page their index, not their rendered rows: ``Pager.take``
walks the ordered keys, keeps those that pass the list's test (usually
the permission check, which the total needs for every key) and loads
only the page's objects for their rows. A page number that is not a
number, or below 1, shows page 1 with a message; one past the end shows
the last page.
"""
from urllib.parse import urlencode

from silat.i18n import _

PAGE_SIZE = 50
PARAM = "halaman"
AROUND = 2          # page links either side of the current one


def thousands(n):
    """``2300`` -> ``"2.300"`` (Indonesian digit grouping)."""
    return f"{n:,}".replace(",", ".")


class Pager:
    """The requested page of a list of ``total`` rows, and its links."""

    def __init__(self, request, param=PARAM, size=None, base=None):
        self.request, self.param, self.size = request, param, size or PAGE_SIZE
        self.base = base or request.path_url          # the page's own URL, without a query
        self.message = None
        raw = request.GET.get(param, "").strip() or "1"
        try:
            self.number = int(raw)
        except ValueError:
            self.number = None
        if self.number is None or self.number < 1:
            self.message = _("Nomor halaman \"${raw}\" tidak valid; ditampilkan halaman 1.",
                             mapping={"raw": raw[:20]})
            self.number = 1
        self.total = 0

    def count(self, total):
        """Set the total; a page past the end becomes the last page."""
        self.total = total
        self.number = min(self.number, self.pages)
        return self

    def take(self, keys, keep=None):
        """The keys of this page among ``keys`` (in order) that pass
        ``keep`` (every key is tested: the total counts them all)."""
        passing = [k for k in keys if keep is None or keep(k)]
        self.count(len(passing))
        return passing[self.start:self.end]

    @property
    def pages(self):
        return max(1, -(-self.total // self.size))

    @property
    def start(self):
        return (self.number - 1) * self.size

    @property
    def end(self):
        return min(self.total, self.number * self.size)

    def beside(self, *others):
        """Pagers of other lists on the same page: the links keep their
        pages as shown (a bad or past-the-end number corrected)."""
        self.others = others
        return self

    others = ()

    def url(self, number):
        """This page's URL at page ``number``, the other parameters kept."""
        pages = {other.param: other.number for other in self.others}
        query = [(k, v) for k, v in self.request.GET.items() if k != self.param and k not in pages]
        query += [(k, str(n)) for k, n in pages.items() if n > 1]
        if number > 1:
            query.append((self.param, str(number)))
        return self.base + ("?" + urlencode(query) if query else "")

    @property
    def shown(self):
        """"Menampilkan 1-50 dari 2.300"."""
        return _("Menampilkan ${first}-${last} dari ${total}",
                 mapping={"first": thousands(self.start + 1 if self.total else 0),
                          "last": thousands(self.end), "total": thousands(self.total)})

    def links(self):
        """[(number or None for a gap, url)] of the page links."""
        wanted = {1, self.pages} | set(range(self.number - AROUND, self.number + AROUND + 1))
        out, last = [], 0
        for n in sorted(n for n in wanted if 1 <= n <= self.pages):
            if n > last + 1:
                out.append((None, None))
            out.append((n, self.url(n)))
            last = n
        return out

    @property
    def previous_url(self):
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self):
        return self.url(self.number + 1) if self.number < self.pages else None
