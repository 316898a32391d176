"""What every journey step does: act, check the page is usable (no
sideways scroll at 390 px, no serious accessibility violation), save a
screenshot."""
import re
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

DEMO_PASSWORD = "silat-demo-2026"
_axe = Axe()
_checked = set()          # (path pattern, width) already run through axe-core
SERIOUS = ("serious", "critical")


def serious_violations(page):
    """axe-core's serious and critical violations on the page, as
    ``[(rule id, [target selectors])]``."""
    results = _axe.run(page)
    return [(v["id"], [n["target"] for n in v["nodes"]][:5])
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def horizontal_overflow(page):
    """How many CSS pixels the document is wider than the viewport (0 = none)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def check(page, screens, name, caption="", axe=True):
    """Screenshot the step, then assert the page fits and passes axe-core."""
    screens.save(page, name, caption)
    assert horizontal_overflow(page) <= 0, f"{name}: page scrolls sideways"
    # axe-core takes seconds a run: each kind of page once per width
    kind = (re.sub(r"[0-9][0-9A-Za-z-]*", "N", urlsplit(page.url).path), page.viewport_size["width"])
    if axe and kind not in _checked:
        _checked.add(kind)
        found = serious_violations(page)
        assert not found, f"{name}: accessibility violations {found}"


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/masuk")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[name=masuk]")
    page.wait_for_load_state()


def logout(page):
    """Log out through the header's button (opening the menu on phones)."""
    toggle = page.locator(".silat-menu-toggle")
    if toggle.is_visible():
        toggle.click()
    page.locator("header form[action$='/keluar'] button").click()
    page.wait_for_load_state()
