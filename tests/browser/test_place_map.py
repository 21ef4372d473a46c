"""The place on a 360 px phone in Chromium: "Use my location" fills the point (geolocation granted), the map shows the
ward outlines with no tile server, the open case nearby is offered, and the lodged case has its ward. Without
JavaScript the form asks for the address only.

Screenshot: docs/screenshots/citizen-place-phone.png. The waits are locator waits: a string passed to
wait_for_function is evaluated by eval() when it has to poll, which the page's Content Security Policy refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, assert_accessible, screenshot
from tests.support.drive import case, lodge

FRANKFORT = {"latitude": -27.2717, "longitude": 28.4958}  # ward 1 of the example wards
REF = re.compile(r"MAF-\d{4}-\d{6}")


@pytest.fixture
def phone(chromium) -> Iterator[Any]:
    contexts = []

    def make(**options: Any) -> Any:
        context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-ZA", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_use_my_location_fills_the_point_shows_the_map_and_nearby_and_the_case_gets_its_ward(phone, live, batho):
    nearby = lodge(batho, {"category": "water", "description": "Burst pipe", "location": "Brand St",
                           "latitude": FRANKFORT["latitude"] + 0.0008, "longitude": FRANKFORT["longitude"]})
    page = phone(geolocation=FRANKFORT, permissions=["geolocation"])
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    page.goto(f"{live}/lodge/complaint")
    assert page.locator("#f-place").is_visible(), "the script shows the place"
    page.select_option("#f-category", "water")
    page.fill("#f-description", "No water in Brand Street since this morning")
    page.fill("#f-location", "Corner of Brand and Kerk Streets")
    page.click("#use-location")
    expect(page.locator("#latitude")).not_to_have_value("")
    assert float(page.input_value("#latitude")) == pytest.approx(FRANKFORT["latitude"], abs=1e-6)
    assert float(page.input_value("#longitude")) == pytest.approx(FRANKFORT["longitude"], abs=1e-6)
    assert page.locator(".leaflet-container").is_visible()
    page.locator("#place-map .leaflet-overlay-pane path").nth(7).wait_for(state="attached")
    assert page.locator(".place-pin").is_visible()
    expect(page.locator("#place-status")).to_contain_text("Ward 1")
    assert "The pin is in Ward 1: Frankfort town." in page.locator("#place-status").inner_text()
    page.locator("#nearby").wait_for(state="visible")
    offered = page.locator("#nearby-list").inner_text()
    assert nearby in offered and "Registered" in offered and "lodged today" in offered
    assert page.locator(f"#nearby-list a[href='/status/{nearby}']").count() == 1
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"
    page.locator("#f-place").scroll_into_view_if_needed()
    screenshot(page, "citizen-place-phone")
    assert not [text for text in refused if "Content Security Policy" in text], refused
    page.click("button[type=submit]:has-text('Send')")
    page.wait_for_url("**/lodged/**")
    reference = REF.search(page.url).group(0)
    kept = case(batho, reference)
    assert (kept.ward, kept.town) == ("42005001", "Frankfort")
    assert kept.location == "Corner of Brand and Kerk Streets"


def test_tapping_the_map_outside_the_wards_is_refused_with_a_sentence_and_nothing_is_lost(phone, live, batho):
    page = phone(bypass_csp=True)  # axe-core is injected as a script
    page.goto(f"{live}/lodge/complaint")
    page.select_option("#f-category", "roads")
    page.fill("#f-description", "Pothole")
    page.locator("#place-map .leaflet-overlay-pane path").nth(7).wait_for(state="attached")
    page.locator("#place-map").scroll_into_view_if_needed()
    box = page.locator("#place-map").bounding_box()
    page.mouse.click(box["x"] + 4, box["y"] + box["height"] - 4)  # a corner of the map, beyond every ward
    expect(page.locator("#latitude")).not_to_have_value("")
    expect(page.locator("#place-status")).to_contain_text("outside")
    assert "That point is outside Mafube's wards" in page.locator("#place-status").inner_text(), "said at once"
    assert_accessible(page, "the lodge form with the map and a pin")
    page.click("button[type=submit]:has-text('Send')")
    assert "outside Mafube's wards" in page.locator("#e-place").inner_text()
    assert page.input_value("#f-description") == "Pothole" and page.input_value("#latitude") != ""


def test_without_javascript_the_form_asks_for_the_address_only(phone, live, batho):
    page = phone(java_script_enabled=False)
    page.goto(f"{live}/lodge/complaint")
    assert not page.locator("#f-place").is_visible() and not page.locator("#use-location").is_visible()
    page.select_option("#f-category", "water")
    page.fill("#f-description", "No water")
    page.fill("#f-location", "12 Main St, Villiers")
    page.click("button[type=submit]:has-text('Send')")
    page.wait_for_url("**/lodged/**")
    kept = case(batho, REF.search(page.url).group(0))
    assert kept.latitude is None and kept.ward is None and kept.location == "12 Main St, Villiers"
