"""An agent in Chromium captures a phone complaint, reads out its reference and code, then finds it by the
caller's phone number typed another way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import assert_accessible, screenshot

REF = re.compile(r"MAF-\d{4}-\d{6}")


def test_an_agent_captures_a_phone_complaint_and_finds_it_by_the_callers_number(person):
    agent = person()
    agent.sign_in("agent")
    page = agent.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Capture a case").click()
    page.get_by_role("link", name="Complaint").click()
    expect(page.locator("h1")).to_have_text("Capture: Complaint")
    expect(page.locator("#channel-phone")).to_be_checked()
    page.select_option("#f-category", label="Water supply")
    page.fill("#f-description", "No water in Extension 4 since Monday morning.")
    page.fill("#f-location", "12 Main Street, Frankfort")
    page.fill("#name", "Jane Citizen")
    page.fill("#phone", "12")  # a number too short: the page says so and keeps the rest
    page.get_by_role("button", name="Save the case").click()
    expect(page.locator("#e-phone")).to_contain_text("enter a number like")
    expect(page.locator("#f-description")).to_have_value("No water in Extension 4 since Monday morning.")
    assert_accessible(page, "capture form with a wrong answer")
    screenshot(page, "staff-capture-form")
    page.fill("#phone", "082 555 1111")
    page.get_by_role("button", name="Save the case").click()
    reference = page.locator("#reference").inner_text()
    assert REF.fullmatch(reference)
    assert re.fullmatch(r"[A-Z2-9]{10}", page.locator("#access-code").inner_text())
    assert_accessible(page, "captured case")
    screenshot(page, "staff-capture-done")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a case").click()
    page.fill("#q", "+27825551111")
    page.get_by_role("button", name="Find").click()
    row = page.locator("#results tbody tr", has_text=reference)
    expect(row).to_contain_text("Complaint · Water supply")
    assert_accessible(page, "search results")
    screenshot(page, "staff-case-search")
    row.get_by_role("link", name=reference).click()
    expect(page.locator("#timeline-h + ol")).to_contain_text("Captured: Phone — Thandi Mokoena")
