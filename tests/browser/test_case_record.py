"""What earlier steps recorded, in Chromium: the CFO's, the supervisor's, the agent's and the manager's task pages
show what they decide on first, and the case record below, readable and accessible."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.processes.helpers import lodge_query
from tests.support.browser import assert_accessible, screenshot
from tests.support.drive import do, lodge, open_task

NBSP = "\u00a0"
FINDINGS = ("The valve at the Extension 4 reservoir burst on Sunday night.\n\n"
            "The pressure in that part of the network is too high for the old asbestos pipe, which cracked in two "
            "places; the neighbours at 10 and 14 Main Street also lost water.")


def _signed_in(person, username: str):
    staff = person()
    staff.sign_in(username)
    return staff


def _approved_and_done(batho, people) -> str:
    reference = lodge(batho, name="Jane Citizen", email="jane@example.org")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    do(batho, people["officer"], reference, "Task_investigate", findings=FINDINGS,
       corrective_action="Replace the valve and 40 m of pipe.")
    return reference


def test_the_cfo_sees_amount_reason_balances_and_account_number_before_deciding(person, batho, people):
    reference = lodge_query(batho, disputed_amount="45000")
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect",
       verification_notes="The March levy was billed twice.")
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="45000",
       adjustment_reason="A duplicate charge was removed.", corrected_balance="1250.00")
    cfo = _signed_in(person, "cfo")
    page = cfo.go(f"/tasks/{open_task(batho, reference, 'Task_approve_cfo').id}")
    shown = page.locator("#shown")
    expect(shown.get_by_role("heading", name="What this task is about")).to_be_visible()
    for text in (f"R{NBSP}45{NBSP}000,00", "A duplicate charge was removed.", f"R{NBSP}1{NBSP}250,00", "4410023",
                 "Amount you dispute (rand)", "Corrected balance of the account (rand)"):
        expect(shown).to_contain_text(text)
    above = page.evaluate("() => document.querySelector('#shown').getBoundingClientRect().bottom <= "
                          "document.querySelector('#form-h').getBoundingClientRect().top")
    assert above, "what is approved comes before the form"
    expect(page.locator("#record")).to_contain_text("The March levy was billed twice.")
    assert_accessible(page, "CFO approval with what is approved")
    screenshot(page, "cfo-approval-record")


def test_the_supervisor_sees_the_proposal_and_the_officer_sees_the_rejection(person, batho, people):
    reference = _approved_and_done(batho, people)
    supervisor = _signed_in(person, "supervisor")
    page = supervisor.go(f"/tasks/{open_task(batho, reference, 'Task_approve').id}")
    expect(page.locator("#shown")).to_contain_text("Replace the valve and 40 m of pipe.")
    expect(page.locator("#shown")).to_contain_text("The valve at the Extension 4 reservoir burst on Sunday night.")
    # Paragraphs kept, and the long line wraps inside its column instead of running off the page.
    assert page.evaluate("() => document.querySelector('#shown .long').innerText.includes('night.\\n\\nThe')")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "supervisor approval with the proposal")
    screenshot(page, "supervisor-approval-record")
    page.select_option("#f-decision", "reject")
    page.fill("#f-supervisor_comment", "Add the cost of the pipe, and who does the work.")
    page.get_by_role("button", name="Complete task").click()
    expect(page.locator(".flash-info")).to_contain_text("moved on to its next step")

    officer = _signed_in(person, "officer")
    page = officer.go("/tasks/?view=mine")
    page.locator("tr", has_text=reference).get_by_role("link", name="Investigate and propose corrective action").click()
    expect(page.locator("#shown")).to_contain_text("Reject and return to the officer")
    expect(page.locator("#shown")).to_contain_text("Add the cost of the pipe, and who does the work.")
    expect(page.locator("#f-corrective_action")).to_have_value("Replace the valve and 40 m of pipe.")
    expect(page.locator(".timeline")).to_contain_text("Rejected: Add the cost of the pipe")


def test_the_agent_sees_the_findings_and_the_manager_why_the_citizen_is_dissatisfied(person, batho, people):
    reference = _approved_and_done(batho, people)
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    do(batho, people["officer"], reference, "Task_implement", implementation_outcome="Valve and pipe replaced.",
       completed_on="2026-12-08")
    agent = _signed_in(person, "agent")
    page = agent.go(f"/tasks/{open_task(batho, reference, 'Task_respond').id}")
    expect(page.locator("#shown")).to_contain_text("The valve at the Extension 4 reservoir burst")
    expect(page.locator("#shown")).to_contain_text("Valve and pipe replaced.")
    expect(page.locator("#shown")).to_contain_text("Tuesday 8 December 2026")
    assert_accessible(page, "agent's response with the findings")
    screenshot(page, "agent-response-record")
    do(batho, people["agent"], reference, "Task_respond", explanation="The valve burst.", remedy="We replaced it.")
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="dissatisfied",
       satisfaction_note="The water has been brown since the repair and nobody came back.")

    manager = _signed_in(person, "manager")
    page = manager.go(f"/tasks/{open_task(batho, reference, 'Task_manager_review').id}")
    expect(page.locator("#shown")).to_contain_text("Dissatisfied")
    expect(page.locator("#shown")).to_contain_text("The water has been brown since the repair")
    expect(page.locator("#record")).to_contain_text("Accept: the department investigates")
    assert_accessible(page, "manager's review with the reason")
    screenshot(page, "manager-review-record")
