"""Long, paged worklists in a real browser at 390 px and 1280 px.

The journeys never make a list longer than one page, so the page links
(``?halaman=N``, 50 rows a page) were first seen on a big site by hand:
on a middle page at 390 px they pushed the page 116 px sideways. Here a
site of its own gets ``N`` applications filed and submitted through the
intake code (``create_application`` and ``submit``, at past moments two
hours apart, committed in a few batches) before it is served; the
verifier's queue and the supervisor's late list (the same dossiers, all
past their five working days) are then walked page by page.

The module's ``live_site`` replaces the session's demo site for these
tests only (``open_page`` serves from whichever ``live_site`` the test
sees): the journeys' site is left as it is.
"""
import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import transaction

from tests.browser.conftest import DESKTOP, PHONE, make_site, serving
from tests.browser.steps import check, login

N = 1000                      # 20 pages of 50
PAGE = 50
SERVICE = "IZIN-GANGGUAN"     # no documents to upload; given a completion time below
FIRST_FILED = dt.timedelta(days=130)
SPACING = dt.timedelta(hours=2)


def thousands(n):
    return f"{n:,}".replace(",", ".")


def file_and_submit(app, n):
    """``n`` applications from the demo applicant, filed and submitted
    ``SPACING`` apart from ``FIRST_FILED`` ago: their registration
    numbers, oldest first."""
    import time_machine
    from silat.catalog.model import normalize
    from silat.demodata.cli import prepare
    from silat.demodata.generator import make_request, plan
    from silat.intake import applications as A
    from silat.intake.schemas import application_schema
    from silat.resources.site import ZODB_ROOT_KEY

    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    first = now - FIRST_FILED
    tm = transaction.TransactionManager(explicit=True)
    conn = app.registry._zodb_databases[""].open(transaction_manager=tm)
    numbers = []
    try:
        with tm:
            site = conn.root()[ZODB_ROOT_KEY]
            # the seeded standard's completion time is "to be configured": an
            # administrator's revision, in force before the first filing
            service = site["layanan"][SERVICE]
            entry = service.current.plain()
            entry["completion_time"] = {"amount": 5, "unit": "working_days"}
            service.add_revision(normalize(entry), (first - dt.timedelta(days=2)).date(),
                                 "admin", "uji daftar panjang")
            plans = plan(n, 11, site, now.date())   # realistic applicants and places
            prepare(site, now.date())
        for start in range(0, n, 250):
            with tm:
                site = conn.root()[ZODB_ROOT_KEY]
                request = make_request(app.registry, conn, site["pengguna"]["pemohon"])
                service, standard = A.current_standard(site, SERVICE)
                schema = application_schema(standard)
                for i in range(start, min(n, start + 250)):
                    data = schema.deserialize({"applicant": plans[i].applicant,
                                               "location": plans[i].location, "fields": {}})
                    with time_machine.travel(first + i * SPACING, tick=False):
                        dossier = A.create_application(request, service, standard, data)
                        A.submit(request, dossier)
                    numbers.append(dossier.registration_number)
            conn.cacheGC()
    finally:
        conn.close()
    return numbers


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    from pyramid.paster import get_app
    root = tmp_path_factory.mktemp("long-lists-site")
    app = get_app(str(make_site(root)), "main")
    numbers = file_and_submit(app, N)
    with serving(app, root / "var") as site:
        site.numbers = numbers
        yield site


# -- what a page of a list shows ---------------------------------------------

def shown_numbers(page, rows):
    """The registration numbers in the list's rows, top to bottom."""
    return page.locator(rows).all_inner_texts()


def pagers(page):
    """The two page-link navigations (above and below the rows): for each,
    [(label, href)] of its links and its box."""
    navs = page.locator("nav.silat-pages")
    out = []
    for i in range(navs.count()):
        nav = navs.nth(i)
        links = nav.locator("a.page-link[href]")
        out.append({"links": [(links.nth(j).inner_text().strip(), links.nth(j).get_attribute("href"))
                              for j in range(links.count())],
                    "box": nav.bounding_box(), "bottom": "silat-pages-bottom" in nav.get_attribute("class")})
    return out


def page_link_boxes_outside(page):
    """Page links drawn (partly) outside the viewport, as their labels."""
    return page.evaluate("""() => [...document.querySelectorAll('nav.silat-pages .page-link')]
        .filter(a => { const r = a.getBoundingClientRect();
                       return r.left < 0 || r.right > window.innerWidth + 0.5; })
        .map(a => a.textContent.trim())""")


def save_bottom_links(page, screens, name, caption):
    """A screenshot of the viewport around the links below the rows (the
    full-page shot is cut at 2,400 px, far above them on a phone)."""
    import io
    from PIL import Image
    page.locator("nav.silat-pages-bottom").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    screens.save_image(Image.open(io.BytesIO(page.screenshot())), name, caption)


def wrapped(page, selector):
    """The texts of the ``selector`` elements drawn on more than one line."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].filter(e => {
            const range = document.createRange();
            range.selectNodeContents(e);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                 .map(r => Math.round(r.top)));
            return tops.size > 1; }).map(e => e.textContent.trim())""", selector)


def assert_fits(page, what):
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: the page scrolls {overflow} px sideways"
    assert not page_link_boxes_outside(page), f"{what}: page links outside the viewport"


def query(href):
    return {k: v for k, v in parse_qs(urlsplit(href).query).items()}


def assert_page(page, what, number, pages, total, rows_selector, expected, extra=None,
                table=None, single_line=None):
    """Page ``number`` of ``pages`` is shown: its count line, its rows,
    the same page links above and below the rows, each keeping ``extra``
    (other query parameters) and linking the right page."""
    first, last = (number - 1) * PAGE + 1, min(total, number * PAGE)
    count = page.locator(".silat-page-count")
    assert count.count() == 1
    assert count.inner_text().strip() == \
        f"Menampilkan {thousands(first)}-{thousands(last)} dari {thousands(total)}", what
    assert shown_numbers(page, rows_selector) == expected[first - 1:last], what

    navs = pagers(page)
    assert [n["bottom"] for n in navs] == [False, True], f"{what}: page links above and below"
    top, bottom = navs
    assert top["links"] == bottom["links"], what
    rows_box = page.locator(table or rows_selector).first.bounding_box()
    last_row = page.locator(rows_selector).last.bounding_box()
    assert top["box"]["y"] + top["box"]["height"] <= rows_box["y"], f"{what}: top links after the rows"
    assert bottom["box"]["y"] >= last_row["y"] + last_row["height"], f"{what}: bottom links before the end"

    labels = [label for label, _href in top["links"]]
    wanted = sorted({1, pages, *range(number - 2, number + 3)} & set(range(1, pages + 1)))
    numbered = [int(label) for label in labels if label.isdigit()]
    assert numbered == wanted, f"{what}: page links {labels}"
    current = page.locator("nav.silat-pages .page-item.active a[aria-current=page]")
    assert current.all_inner_texts() == [str(number)] * 2, what
    for label, href in top["links"]:
        params = query(href)
        target = int(label) if label.isdigit() else \
            number - 1 if label == "Sebelumnya" else number + 1
        assert params.pop("halaman", ["1"]) == [str(target)], (what, label, href)
        assert params == {k: [v] for k, v in (extra or {}).items()}, (what, label, href)
    # "Sebelumnya" / "Berikutnya" are links only where there is such a page
    assert ("Sebelumnya" in labels) == (number > 1), what
    assert ("Berikutnya" in labels) == (number < pages), what
    assert_fits(page, what)
    if single_line:      # registration numbers and dates are not cut in two
        assert page.locator(single_line).count() >= len(expected[first - 1:last]), what
        assert not wrapped(page, single_line), f"{what}: cut over two lines"


VIEWPORTS = [pytest.param(PHONE, id="390px"), pytest.param(DESKTOP, id="1280px")]
ROWS = "main table tbody tr td:first-child a"
# the number, filing date and promised date of each row
QUEUE_ONE_LINE = ", ".join(f"main table tbody td:nth-child({n})" for n in (1, 5, 6))
LATE_ONE_LINE = ", ".join(f"main table.silat-overdue tbody td:nth-child({n})" for n in (1, 3))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_verifier_queue_pages(open_page, live_site, screens, viewport):
    numbers, width = live_site.numbers, viewport["width"]
    assert len(numbers) == N and len(set(numbers)) == N
    pages = N // PAGE
    page = open_page(viewport)
    login(page, "verifikator")
    page.goto("/verifikasi")
    assert_page(page, f"queue page 1 at {width}", 1, pages, N, ROWS, numbers,
                single_line=QUEUE_ONE_LINE)
    assert page.locator(".silat-page-error").count() == 0

    # a middle page, with another query parameter the links must keep
    page.goto("/verifikasi?urut=lama&halaman=10")
    extra = {"urut": "lama"}
    assert_page(page, f"queue page 10 at {width}", 10, pages, N, ROWS, numbers, extra,
                single_line=QUEUE_ONE_LINE)
    assert shown_numbers(page, ROWS)[0] == numbers[450]          # row 451, the 451st filed
    check(page, screens, f"long-queue-page-10-{width}",
          f"Antrian verifikasi 1.000 berkas, halaman 10 ({width} px)")
    save_bottom_links(page, screens, f"long-queue-page-10-bottom-{width}",
                      f"Antrian verifikasi, halaman 10: tautan halaman di bawah ({width} px)")
    # the links are followed, not typed: next, then the last page
    page.locator("nav.silat-pages:not(.silat-pages-bottom) a[rel=next]").click()
    page.wait_for_load_state()
    assert_page(page, f"queue page 11 at {width}", 11, pages, N, ROWS, numbers, extra,
                single_line=QUEUE_ONE_LINE)
    page.locator("nav.silat-pages-bottom a.page-link", has_text=re.compile(f"^{pages}$")).click()
    page.wait_for_load_state()
    assert_page(page, f"queue last page at {width}", pages, pages, N, ROWS, numbers, extra,
                single_line=QUEUE_ONE_LINE)
    assert shown_numbers(page, ROWS)[-1] == numbers[-1]
    check(page, screens, f"long-queue-last-page-{width}",
          f"Antrian verifikasi, halaman terakhir ({width} px)")

    # not a number: page 1 with a message; past the end: the last page
    for bad in ("abc", "0", "-3"):
        page.goto(f"/verifikasi?halaman={bad}")
        message = page.locator(".silat-page-error")
        assert message.count() == 1 and f'"{bad}"' in message.inner_text(), bad
        assert "tidak valid" in message.inner_text()
        assert_page(page, f"queue halaman={bad} at {width}", 1, pages, N, ROWS, numbers)
    page.goto("/verifikasi?halaman=999")
    assert page.locator(".silat-page-error").count() == 0
    assert_page(page, f"queue halaman=999 at {width}", pages, pages, N, ROWS, numbers)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_supervisor_late_list_pages(open_page, live_site, screens, viewport):
    numbers, width = live_site.numbers, viewport["width"]
    pages = N // PAGE
    rows = "main table.silat-overdue tbody tr td:first-child a"
    page = open_page(viewport)
    login(page, "pengawas")
    page.goto("/pemantauan")
    # every dossier is past its five working days, in one agency and stage
    assert page.locator(".silat-overdue-summary .silat-count").all_inner_texts() == [str(N)]
    assert_page(page, f"late page 1 at {width}", 1, pages, N, rows, numbers,
                table="main table.silat-overdue", single_line=LATE_ONE_LINE)
    page.goto("/pemantauan?halaman=10&x=1")
    assert_page(page, f"late page 10 at {width}", 10, pages, N, rows, numbers, {"x": "1"},
                table="main table.silat-overdue", single_line=LATE_ONE_LINE)
    check(page, screens, f"long-late-list-page-10-{width}",
          f"Pemantauan: 1.000 berkas terlambat, halaman 10 ({width} px)")
    save_bottom_links(page, screens, f"long-late-list-page-10-bottom-{width}",
                      f"Pemantauan, halaman 10: tautan halaman di bawah ({width} px)")
    page.goto("/pemantauan?halaman=abc")
    assert page.locator(".silat-page-error").count() == 1
    assert_page(page, f"late halaman=abc at {width}", 1, pages, N, rows, numbers,
                table="main table.silat-overdue", single_line=LATE_ONE_LINE)
    page.goto("/pemantauan?halaman=21")
    assert_page(page, f"late halaman=21 at {width}", pages, pages, N, rows, numbers,
                table="main table.silat-overdue", single_line=LATE_ONE_LINE)


def test_queue_middle_page_fits_a_small_laptop(open_page, live_site, screens):
    """At 992 px the menu opens out in one row: an officer's was 43 px
    wider than the screen (it wraps now); page 10 of the queue fits."""
    numbers, pages = live_site.numbers, N // PAGE
    page = open_page({"width": 992, "height": 800})
    login(page, "verifikator")
    page.goto("/verifikasi?halaman=10")
    assert page.locator(".silat-menu-toggle").is_hidden()          # the menu is open
    assert_page(page, "queue page 10 at 992", 10, pages, N, ROWS, numbers)
    outside = page.evaluate("""() => [...document.querySelectorAll('header .nav-link, header button')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => e.textContent.trim())""")
    assert not outside, f"header items past the right edge: {outside}"
    check(page, screens, "long-queue-page-10-992", "Antrian verifikasi, halaman 10 (992 px)",
          axe=False)
