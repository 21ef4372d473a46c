"""In Chromium: the billing clerk types R45 000, is asked about 45,000, and the lodge form counts characters."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.processes.helpers import lodge_query
from tests.support.browser import PHONE, assert_accessible, screenshot
from tests.support.drive import do, open_task, open_tasks

NBSP = "\u00a0"


def test_the_billing_clerk_types_rand_as_written_and_confirms_an_unclear_amount(person, batho, people):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Misread.")
    clerk = person()
    clerk.sign_in("billing")
    page = clerk.go(f"/tasks/{open_task(batho, reference, 'Task_adjust').id}")
    amount = page.get_by_label(re.compile("Adjustment \\(rand"))
    expect(amount).to_have_attribute("inputmode", "decimal")
    amount.fill("45,000")
    page.get_by_label(re.compile("Reason for the adjustment")).fill("The meter was misread in March.")
    page.get_by_label(re.compile("Corrected balance")).fill("R1 590,50")
    page.get_by_role("button", name="Complete task").click()
    expect(page.locator("#e-adjustment_amount")).to_contain_text(f"R{NBSP}45{NBSP}000,00 — is this right?")
    expect(amount).to_have_value("45000.00")
    confirm = page.get_by_role("button", name=f"Yes, R{NBSP}45{NBSP}000,00 is right")
    expect(confirm).to_be_visible()
    assert_accessible(page, "task form asking to confirm an amount")
    screenshot(page, "staff-amount-confirmation")
    confirm.click()
    page.wait_for_url("**/tasks/")
    assert open_tasks(batho, reference) == ["Task_approve_cfo"]

    # R45 000 as typed is read without a question.
    second = lodge_query(batho)
    do(batho, people["billing"], second, "Task_verify", outcome="incorrect", verification_notes="Misread.")
    page = clerk.go(f"/tasks/{open_task(batho, second, 'Task_adjust').id}")
    page.get_by_label(re.compile("Adjustment \\(rand")).fill("R45 000")
    page.get_by_label(re.compile("Reason for the adjustment")).fill("The meter was misread in March.")
    page.get_by_label(re.compile("Corrected balance")).fill("1590.50")
    page.get_by_role("button", name="Complete task").click()
    page.wait_for_url("**/tasks/")
    assert open_tasks(batho, second) == ["Task_approve_cfo"]


def test_the_lodge_form_counts_the_characters_left_as_the_citizen_types(person):
    citizen = person(viewport=PHONE, mobile=True)
    page = citizen.go("/lodge/complaint")
    counter = page.locator("#c-description")
    expect(counter).to_have_text("4000 characters left of 4000")
    page.locator("#f-description").fill("No water in Extension 4 since Monday")
    expect(counter).to_have_text("3964 characters left of 4000")
    page.locator("#f-description").fill("x" * 4012)  # the field does not cut it: the counter says it is too long
    expect(counter).to_have_text("12 characters too many: at most 4000")
    expect(page.locator("#f-description")).to_have_value("x" * 4012)
    page.locator("#f-description").fill("The tap in our street has been dry since Monday morning.")
    expect(page.locator("#c-location")).to_have_text("300 characters left of 300")
    screenshot(page, "citizen-character-counter-phone")
