"""The transparency page on a 360 px phone in Chromium: no sideways scrolling, the figures in plain words.

Screenshot: docs/screenshots/transparency-phone.png (English) and transparency-phone-sesotho.png.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from werkzeug.serving import make_server

from tests.support.browser import PHONE, assert_accessible, screenshot
from web import create_app


@pytest.fixture
def base(month) -> Iterator[str]:
    """The app over the hand-built month (clock 5 October 2026) behind a real server."""
    app, _ = month
    server = make_server("127.0.0.1", 0, create_app(app, {"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def phone(chromium, base: str, path: str) -> Page:
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base + path)
    return page


def no_sideways_scroll(page: Page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"


def test_the_transparency_page_fits_a_phone_and_reads_in_plain_words(chromium, base):
    page = phone(chromium, base, "/transparency?lang=en")
    assert page.evaluate("window.innerWidth") == 360
    no_sideways_scroll(page)
    sentence = ("Technical Services (water, sanitation, roads, electricity): 2 of 3 cases resolved within the standard; "
                "typically 5 working days; 1 of 1 citizen satisfied")
    assert sentence in page.locator(".plain-figures").first.inner_text()
    # The table is cards on the phone: each figure with its label beside it, not a 6-column grid.
    assert page.locator("table.figures thead").first.is_hidden()
    assert page.locator("table.figures td").first.evaluate("e => getComputedStyle(e).display") == "block"
    assert_accessible(page, "transparency page on a phone")
    screenshot(page, "transparency-phone")
    page.context.close()


def test_the_transparency_page_in_sesotho_fits_a_phone_too(chromium, base):
    page = phone(chromium, base, "/transparency?lang=st")
    no_sideways_scroll(page)
    assert page.locator("h1").inner_text() == "Re sebetsa jwang"
    assert "ditaba tse 2 ho tse 3 di rarollotswe ka hare ho maemo" in page.locator(".plain-figures").first.inner_text()
    screenshot(page, "transparency-phone-sesotho")
    page.context.close()


def test_you_said_we_did_fits_a_phone(chromium, base):
    page = phone(chromium, base, "/you-said-we-did?lang=af")
    no_sideways_scroll(page)
    assert page.locator("h1").inner_text() == "U het gesê, ons het gedoen"
    page.context.close()
