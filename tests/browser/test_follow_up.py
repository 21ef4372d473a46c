"""In Chromium: "still not fixed" on a 360 px phone reopens a closed complaint, and the counter's acknowledgement slip
prints on an 80 mm receipt.

Screenshots: docs/screenshots/follow-up-reopen-phone.png, follow-up-reopened-phone.png, slip-80mm.png, slip-a6.png.
"""

from __future__ import annotations

import re

from tests.support.browser import PHONE, assert_accessible, screenshot
from tests.support.drive import do, open_tasks, status_path, to_response


def _no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"


def test_still_not_fixed_on_a_phone_reopens_the_complaint(person, batho, people):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    citizen = person(viewport=PHONE, mobile=True)
    page = citizen.go(status_path(batho, reference))
    assert page.evaluate("window.innerWidth") == 360
    form = page.locator("#reopen")
    assert form.is_visible() and "Still not fixed?" in form.inner_text()
    _no_sideways_scroll(page)
    page.click("#reopen button[type=submit]")  # nothing typed: the sentence, nothing reopened
    assert "Write what you want to tell us." in page.locator("#e-words").inner_text()
    page.fill("#words", "The pipe is leaking again in front of number 12.")
    form.scroll_into_view_if_needed()
    screenshot(page, "follow-up-reopen-phone")
    page.click("#reopen button[type=submit]")
    page.wait_for_selector("#reopened")
    assert "We reopened your case" in page.locator("#reopened").inner_text()
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert page.locator("#add-information").is_visible()  # open again: the citizen may add information
    _no_sideways_scroll(page)
    assert_accessible(page, "status page after reopening, on a phone")
    screenshot(page, "follow-up-reopened-phone")


def test_the_acknowledgement_slip_prints_on_an_80_mm_receipt(person, batho):
    agent = person()
    agent.sign_in("agent")
    page = agent.go("/capture/complaint")
    page.select_option("#f-category", "water")
    page.fill("#f-description", "No water in Extension 4 since Monday morning; the standpipe is dry.")
    page.fill("#f-location", "Corner of Main and Church Street, Frankfort")
    page.check("#channel-walk_in")
    page.click("button:has-text('Save the case')")
    page.wait_for_url("**/capture/done/**")
    reference = page.locator("#reference").inner_text()
    page.click("#slip-links a:has-text('80 mm')")
    page.wait_for_selector("#slip")
    receipt = page.locator("#slip")
    assert reference in receipt.inner_text() and receipt.locator("#slip-code").is_visible()
    # 80 mm of paper at 96 px per inch is 302 px; the slip fits it without cutting a word.
    width = receipt.evaluate("e => e.getBoundingClientRect().width")
    assert 295 <= width <= 310, width
    assert receipt.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.set_viewport_size({"width": 340, "height": 900})
    receipt.screenshot(path=str(_shot("slip-80mm")))
    pdf = page.pdf(prefer_css_page_size=True)  # the print layout: one 80 mm page
    width_mm, _ = _page_mm(pdf)
    assert abs(width_mm - 80) < 1, width_mm
    page.click("a:has-text('A6')")
    page.wait_for_selector(".size-a6")
    width_mm, height_mm = _page_mm(page.pdf(prefer_css_page_size=True))
    assert abs(width_mm - 105) < 1 and abs(height_mm - 148) < 1, (width_mm, height_mm)  # A6
    page.set_viewport_size({"width": 460, "height": 700})
    page.locator("#slip").screenshot(path=str(_shot("slip-a6")))


def _page_mm(pdf: bytes) -> tuple[float, float]:
    """The first page's size in millimetres, from the PDF's MediaBox (points)."""
    assert pdf[:4] == b"%PDF"
    found = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert found, "no MediaBox in the PDF"
    return float(found.group(1)) * 25.4 / 72, float(found.group(2)) * 25.4 / 72


def _shot(name: str):
    from tests.support.browser import SCREENSHOTS
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
