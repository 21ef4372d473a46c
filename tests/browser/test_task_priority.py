"""In Chromium: the task list shows Camunda's priority and follow-up date, sorts by priority, and stays accessible."""

from __future__ import annotations

from engine.services import cases, deployment
from tests.support.browser import PHONE, assert_accessible, screenshot
from tests.web.test_task_priority import DIAGRAM


def test_a_billing_clerk_sorts_the_task_list_by_priority(person, batho):
    deployment.deploy_sources(batho, {"prioritised.bpmn": DIAGRAM})
    references = {urgency: cases.start_process(batho, "prioritised", {"urgency": urgency, "due": due})
                  for urgency, due in ((10, "2026-12-10T12:00:00"), (90, "2026-12-20T12:00:00"))}
    for viewport, name in ((None, "task-list-priority"), (PHONE, "task-list-priority-phone")):
        clerk = person(viewport=viewport, mobile=viewport is not None)
        clerk.sign_in("billing")
        page = clerk.go("/tasks/?view=groups&process=prioritised")
        page.select_option("#sort", "priority")
        page.click("text=Show")
        page.wait_for_url("**sort=priority**")
        rows = page.locator("table.tasks tbody tr")
        assert references[90] in rows.nth(0).inner_text() and references[10] in rows.nth(1).inner_text()
        assert page.locator("table.tasks tbody tr").nth(0).locator("td[data-label=Priority]").inner_text() == "90"
        assert "Follow up" in rows.nth(0).inner_text()
        assert_accessible(page, "task list sorted by priority")
        screenshot(page, name)
