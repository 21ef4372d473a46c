"""A photo from a phone's camera input in Chromium at 360 px: a fake one refused beside the field with the answers
kept, a real one lodged, then seen by the citizen (with the access code) and by the agent as a thumbnail.

Screenshots: docs/screenshots/citizen-photo-form-phone.png (the refusal) and citizen-photo-phone.png (the status
page with the photo).
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.support import images
from tests.support.browser import PHONE, assert_accessible, screenshot


def loaded(page: Page, selector: str, within: float = 10.0) -> int:
    """How many of the images matched have really loaded (a broken image has no natural width), looked at again
    for up to `within` seconds while none has (a loaded machine may finish an image after the page's load)."""
    page.wait_for_load_state("load")
    give_up = time.monotonic() + within
    while True:
        count = int(page.eval_on_selector_all(selector,
                                              "els => els.filter(e => e.complete && e.naturalWidth > 0).length"))
        if count or time.monotonic() > give_up:
            return count
        page.wait_for_timeout(200)


def test_a_citizen_lodges_a_photo_from_the_phone_camera_input(person):
    citizen = person(viewport=PHONE, mobile=True)
    page = citizen.go("/lodge/complaint")
    camera = page.locator("#f-photos")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    page.select_option("#f-category", label="Water supply")
    page.fill("#f-description", "Burst pipe on Church Street, water running into the road.")
    page.fill("#f-location", "4 Church Street, Frankfort")
    camera.set_input_files([{"name": "letter.jpg", "mimeType": "image/jpeg", "buffer": images.FAKE_JPEG}])
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#e-photos")).to_have_text(
        "This file is not a photo we can read. Send a JPEG, PNG or WebP photo.")
    expect(page.locator("#f-description")).to_have_value("Burst pipe on Church Street, water running into the road.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert_accessible(page, "lodge form with a refused photo")
    screenshot(page, "citizen-photo-form-phone")

    page.locator("#f-photos").set_input_files([
        {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": images.jpeg_with_gps()}])
    page.get_by_role("button", name="Send").click()
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"MAF-\d{4}-\d{6}", reference)
    page.get_by_role("link", name="Follow your case").click()
    thumbnail = page.locator(".thumbnails img")
    expect(thumbnail).to_have_count(1)
    assert loaded(page, ".thumbnails img") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert_accessible(page, "status page with a photo")
    screenshot(page, "citizen-photo-phone")

    agent = person()
    agent.sign_in("agent")
    case_page = agent.go(f"/cases/{reference}")
    expect(case_page.locator(".thumbnails img")).to_have_count(1)
    assert loaded(case_page, ".thumbnails img") == 1
    with case_page.expect_popup() as opened:
        case_page.locator(".thumbnails a").click()
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]") == [1600, 800]
