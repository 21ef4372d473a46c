"""The yearly policy review task opens with the year's Council report and what its figures suggest changing."""

from __future__ import annotations

from engine.services import schedule
from tests.processes.helpers import at
from tests.support.drive import open_task


def test_the_review_task_page_links_the_years_report_and_lists_what_to_change(batho, browsers):
    with at(2027, 3, 1, 8, 0):
        reference = schedule.start_policy_review(batho)
    task = open_task(batho, reference, "Task_review")
    page = browsers("owner").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'id="policy-review"' in page and "The figures of the year 2026" in page
    assert "/reports/council?period=2026" in page and "/reports/council.pdf?period=2026" in page
    assert "What the figures suggest changing" in page
    assert browsers("owner").get("/reports/council?period=2026").status_code == 200
