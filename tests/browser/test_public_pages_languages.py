"""Every public page in Sesotho and Afrikaans on a 360 px phone in Chromium: its language, and no sideways scroll.

Wide tables scroll or stack inside their own box, never the page; the monitoring dashboard (staff, in English) fits
too (its screenshot is tests/browser/test_dashboard_readable.py's). Screenshots:
docs/screenshots/{transparency,lodge,status}-{st,af}-phone.png.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from werkzeug.serving import make_server

from engine.models import SuggestionSlip
from tests.metrics import dataset
from tests.support.browser import PHONE, Person, screenshot
from tests.support.database import DEMO_PASSWORD
from tests.support.drive import lodge, status_path
from web import create_app

SHOT = ("transparency", "lodge", "status")
# Any element wider than the window, with its tag and class: what to fix when the page scrolls sideways.
TOO_WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361
  && (!e.parentElement.closest('.table-scroll') || getComputedStyle(e).position !== 'static'))
  .slice(0, 6).map(e => e.tagName + '.' + e.getAttribute('class') + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def site(month) -> Iterator[tuple[str, dict[str, str]]]:
    """The app over the hand-built month behind a real server, and the public pages' paths (name -> path)."""
    app, _ = month
    reference = lodge(app, None, name="Jane", email="jane@example.org")
    with app.db.transaction() as session:
        session.add(SuggestionSlip(channel="paper", received_at=dataset.local(9, 4, 9, 0), text="Fix the tap",
                                   service_area="community", handled_at=dataset.local(9, 11, 10, 0),
                                   public_you_said="The tap at the community hall leaks.",
                                   public_we_did="We replaced the tap on 15 September.",
                                   published_at=dataset.local(9, 18, 10, 0)))
    status = status_path(app, reference)
    paths = {"home": "/", "lodge": "/lodge/complaint", "account": "/lodge/account_query",
             "lodged": status.replace("/status/", "/lodged/"), "track": "/track", "status": status,
             "code": f"/status/{reference}/code", "suggestions": "/suggestions/new",
             "thanks": "/suggestions/thanks/7", "outcomes": "/you-said-we-did", "transparency": "/transparency"}
    server = make_server("127.0.0.1", 0, create_app(app, {"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", paths
    server.shutdown()
    thread.join(timeout=10)


def fits(page: Page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} is {width} px wide on a 360 px phone: {page.evaluate(TOO_WIDE)}"


@pytest.mark.parametrize("lang", ["st", "af"])
def test_every_public_page_is_in_the_language_and_fits_a_phone(chromium, site, lang):
    base, paths = site
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    for name, path in paths.items():
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang, name
        assert page.evaluate("window.innerWidth") == PHONE["width"]
        fits(page, f"{name} ({lang})")
        if name in SHOT:
            screenshot(page, f"{name}-{lang}-phone")
    context.close()


def test_the_dashboard_fits_a_phone_its_tables_scroll_in_their_own_box(chromium, site):
    base, _ = site
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-ZA")
    context.set_default_timeout(15_000)
    person = Person(page=context.new_page(), base=base)
    person.sign_in("manager")
    page = person.go("/dashboard/?period=2026-09")
    fits(page, "the dashboard")
    scrolling = page.evaluate("[...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > "
                              "e.clientWidth).map(e => e.querySelector('table').id)")
    assert "table-weekly" in scrolling, f"the wide weekly table scrolls inside its own box: {scrolling}"
    context.close()


@pytest.mark.parametrize("lang", ["st", "af"])
def test_a_councillors_ward_view_fits_a_phone_in_sesotho_and_afrikaans(chromium, site, lang):
    base, _ = site
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#username", "councillor")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/ward")
    page.goto(f"{base}/ward?period=2026-09&lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    fits(page, f"My ward ({lang})")
    context.close()
