"""A complaint from a phone to closure in Chromium: citizen, agent, officer, supervisor (reject, then approve)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, assert_accessible, screenshot
from tests.support.drive import status_path

REF = re.compile(r"MAF-\d{4}-\d{6}")


def open_task_from_list(page: Page, reference: str, title: str, view: str = "groups") -> None:
    page.goto(page.url.split("/tasks")[0] + f"/tasks/?view={view}&q={reference}")
    page.locator("tr", has_text=reference).get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)


def complete(page: Page, **values: str) -> None:
    for name, value in values.items():
        control = page.locator(f"#f-{name}")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.get_by_role("button", name="Complete task").click()
    expect(page.locator(".flash-info")).to_contain_text("moved on to its next step")


def lodge_on_a_phone(citizen) -> str:
    page = citizen.go("/")
    expect(page.locator("h1")).to_have_text("How can we help?")
    assert_accessible(page, "start page")
    screenshot(page, "citizen-start-phone")
    page.get_by_role("link", name=re.compile("Report a problem or complain")).click()
    page.get_by_role("button", name="Send").click()  # nothing filled in: each field says what is missing
    expect(page.locator(".flash-error")).to_contain_text("Please correct the 2 answers")
    expect(page.locator("#e-category")).to_have_text("What is it about? is required.")
    assert_accessible(page, "lodge form with errors")
    page.select_option("#f-category", label="Water supply")
    page.fill("#f-description", "No water in Extension 4 since Monday morning.")
    page.fill("#f-location", "12 Main Street, Frankfort")
    page.fill("#name", "Jane Citizen")
    page.fill("#email", "jane@example.org")
    expect(page.get_by_role("heading", name="Your personal information")).to_be_visible()
    screenshot(page, "citizen-lodge-phone")
    page.get_by_role("button", name="Send").click()
    reference = page.locator("#reference").inner_text()
    assert REF.fullmatch(reference)
    assert_accessible(page, "reference page")
    screenshot(page, "citizen-reference-phone")
    page.get_by_role("link", name="Follow your case").click()
    expect(page.locator("#status-text")).to_contain_text("Registered")
    expect(page.locator("#expected")).to_contain_text("Expected by")
    assert "jane@example.org" not in page.content() and "Jane" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert_accessible(page, "status page")
    screenshot(page, "citizen-status-phone")
    return reference


def test_a_complaint_from_a_phone_through_reject_and_rework_to_a_rating(person, batho):
    citizen = person(viewport=PHONE, mobile=True)
    reference = lodge_on_a_phone(citizen)

    agent = person()
    agent.sign_in("agent")
    page = agent.go("/tasks/")
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Triage complaint")
    expect(row).to_contain_text("Complaint · Water supply")
    assert_accessible(page, "task list")
    screenshot(page, "staff-task-list")
    row.get_by_role("button", name=re.compile("Claim")).click()
    expect(page.locator(".flash-info")).to_have_text("The task is yours now.")
    expect(page.locator("#contact")).to_contain_text("jane@example.org")  # working the case: may contact her
    page.select_option("#f-triage_outcome", "duplicate")
    page.get_by_role("button", name="Complete task").click()  # a duplicate needs the original's reference
    expect(page.locator("#e-duplicate_of")).to_contain_text("Duplicate of is required.")
    assert_accessible(page, "task page with errors")
    screenshot(page, "staff-task-page")
    complete(page, triage_outcome="accept")

    officer = person()
    officer.sign_in("officer")
    open_task_from_list(officer.page, reference, "Investigate and propose corrective action", view="unassigned")
    complete(officer.page, findings="The valve at the reservoir failed.", corrective_action="Repair the valve.")

    supervisor = person()
    supervisor.sign_in("supervisor")
    page = supervisor.go("/supervise/")
    expect(page.locator("tr", has_text=reference)).to_contain_text("Approve corrective action")
    screenshot(page, "supervisor-approvals")
    page.locator("tr", has_text=reference).get_by_role("link", name="Approve corrective action").click()
    complete(page, decision="reject", supervisor_comment="Replace the valve; a repair will fail again.")

    open_task_from_list(officer.page, reference, "Investigate and propose corrective action")
    # Back to the officer who proposed it (not the group), with the supervisor's comment shown first.
    expect(officer.page.locator(".lede")).to_contain_text("held by Sipho Dlamini")
    expect(officer.page.locator("#shown")).to_contain_text("Replace the valve; a repair will fail again.")
    complete(officer.page, findings="The valve is corroded.", corrective_action="Replace the valve.")

    open_task_from_list(supervisor.page, reference, "Approve corrective action")
    complete(supervisor.page, decision="approve")
    case_page = supervisor.go(f"/cases/{reference}")
    expect(case_page.locator("#current-tasks")).to_contain_text("Implement and record the outcome")
    expect(case_page.locator("#diagram[data-ready=true]")).to_be_visible()
    assert case_page.locator(".djs-element.batho-active").count() >= 1
    assert case_page.locator(".djs-element.batho-done").count() >= 5
    expect(case_page.locator("#now-at")).to_contain_text("Implement and record the outcome")
    expect(case_page.locator(".ev-completed", has_text="Sipho Dlamini").first).to_be_visible()
    screenshot(case_page, "staff-case-page")
    supervisor.go("/supervise/team")
    screenshot(supervisor.page, "supervisor-team")

    open_task_from_list(officer.page, reference, "Implement and record the outcome")
    complete(officer.page, implementation_outcome="Valve replaced.", completed_on="2026-11-27")
    open_task_from_list(agent.page, reference, "Respond to the citizen")
    complete(agent.page, explanation="The reservoir valve was corroded.", remedy="We replaced the valve.")

    page = citizen.go(status_path(batho, reference))
    expect(page.locator("#status-text")).to_contain_text("We have responded")
    expect(page.locator("#updates")).to_contain_text("A corrective action was approved")
    expect(page.locator("#updates")).to_contain_text("The reservoir valve was corroded.")
    page.get_by_role("button", name="Send rating").click()  # no choice made: a sentence, not a crash
    expect(page.locator("#e-rating")).to_contain_text("Choose a rating from 1")
    page.get_by_label("4 – Good").check()
    page.fill("#comment", "Thank you for the quick repair.")
    page.get_by_role("button", name="Send rating").click()
    expect(page.locator(".flash-info")).to_have_text("Thank you for your rating.")
    assert_accessible(page, "status page after rating")
    screenshot(page, "citizen-status-rated-phone")

    open_task_from_list(agent.page, reference, "Record citizen satisfaction")
    expect(agent.page.locator("dl.summary").first).to_contain_text("4 of 5")
    complete(agent.page, satisfaction="satisfied")
    expect(citizen.go(status_path(batho, reference)).locator("#status-text")).to_have_text("Closed.")
