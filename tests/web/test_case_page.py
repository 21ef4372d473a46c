"""The staff case page: timeline, current tasks and holders, case data, notes kept apart, the diagram's data."""

from __future__ import annotations

import json
import re

from tests.support.drive import do, lodge, open_task, status_path


def _at_approval(batho, people) -> str:
    reference = lodge(batho, name="Jane Citizen", email="jane@example.org")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    do(batho, people["officer"], reference, "Task_investigate", findings="Burst pipe", corrective_action="Replace")
    return reference


def test_the_case_page_shows_data_timeline_and_current_tasks_with_holders(browsers, batho, people):
    reference = _at_approval(batho, people)
    supervisor = browsers("supervisor")
    supervisor.post(f"/tasks/{open_task(batho, reference, 'Task_approve').id}/claim", page="/tasks/")
    page = supervisor.get(f"/cases/{reference}").get_data(as_text=True)
    assert "No water in Extension 4" in page and "12 Main St" in page and "Technical" in page.replace("technical",
                                                                                                       "Technical")
    current = page.split('id="current-tasks"')[1].split("</ul>")[0]
    assert "Approve corrective action" in current and "Naledi Khumalo" in current
    timeline = page.split('id="timeline-h"')[1]
    for expected in ("Started", "Completed</strong>: Triage complaint — Thandi Mokoena",
                     "Completed</strong>: Investigate and propose corrective action — Sipho Dlamini",
                     "Claimed</strong>: Approve corrective action — Naledi Khumalo", "seen by the citizen"):
        assert expected in timeline, expected


def test_the_diagram_data_marks_the_current_step_and_the_completed_ones(browsers, batho, people):
    reference = _at_approval(batho, people)
    supervisor = browsers("supervisor")
    page = supervisor.get(f"/cases/{reference}").get_data(as_text=True)
    active = json.loads(re.search(r'data-active="([^"]*)"', page).group(1).replace("&#34;", '"'))
    done = json.loads(re.search(r'data-done="([^"]*)"', page).group(1).replace("&#34;", '"'))
    assert "Task_approve" in active and "Sub_resolve" in active
    assert {"Start_complaint", "Task_route", "Task_triage", "Task_investigate"} <= set(done)
    assert "Task_approve" not in done
    now_at = page.split('id="now-at"')[1].split("</p>")[0]
    assert "Approve corrective action" in now_at and "Resolution target passed" not in now_at
    assert "Resolve the complaint" not in now_at
    assert "build/viewer.js" in page and "case-diagram.js" in page
    xml = supervisor.get(f"/cases/{reference}/diagram.bpmn")
    assert xml.status_code == 200 and xml.mimetype == "application/octet-stream"
    assert xml.headers["Content-Disposition"] == f'attachment; filename="{reference}.bpmn"'
    assert 'id="Task_approve"' in xml.get_data(as_text=True)


def test_internal_comments_stay_with_staff_and_messages_reach_the_citizen(browsers, batho, people):
    reference = _at_approval(batho, people)
    supervisor = browsers("supervisor")
    assert supervisor.post(f"/cases/{reference}/notes", {"kind": "comment", "body": "Check the valve budget"},
                           page=f"/cases/{reference}").status_code == 302
    assert supervisor.post(f"/cases/{reference}/notes", {"kind": "message", "body": "A team visits on Friday."},
                           page=f"/cases/{reference}").status_code == 302
    page = supervisor.get(f"/cases/{reference}").get_data(as_text=True)
    internal = page.split('id="comments-h"')[1].split("</section>")[0]
    external = page.split('id="messages-h"')[1].split("</section>")[0]
    assert "Check the valve budget" in internal and "Check the valve budget" not in external
    assert "A team visits on Friday." in external and "A team visits on Friday." not in internal
    status = browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)
    assert "A team visits on Friday." in status and "Check the valve budget" not in status


def test_an_empty_or_too_long_note_is_refused_with_a_sentence_and_the_text_kept(browsers, batho, people):
    reference = _at_approval(batho, people)
    supervisor = browsers("supervisor")
    empty = supervisor.post(f"/cases/{reference}/notes", {"kind": "comment", "body": "  "}, page=f"/cases/{reference}")
    assert empty.status_code == 400 and "Write the text first." in empty.get_data(as_text=True)
    long_text = "x" * 2001
    too_long = supervisor.post(f"/cases/{reference}/notes", {"kind": "message", "body": long_text},
                               page=f"/cases/{reference}")
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 400 and "at most 2000 characters (it has 2001)" in page and long_text in page


def test_supervisor_views_list_approvals_team_workload_and_overdue_cases(browsers, batho, people):
    from datetime import timedelta

    from sqlalchemy import update

    from engine.models import Case
    reference = _at_approval(batho, people)
    late = lodge(batho)
    do(batho, people["agent"], late, "Task_triage", triage_outcome="accept")
    with batho.db.transaction() as session:
        session.execute(update(Case).where(Case.reference == late).values(due_at=batho.now() - timedelta(days=3)))
    officer_task = open_task(batho, late, "Task_investigate").id
    browsers("officer").post(f"/tasks/{officer_task}/claim", page="/tasks/")
    supervisor = browsers("supervisor")
    approvals = supervisor.get("/supervise/").get_data(as_text=True)
    assert reference in approvals and "Approve corrective action" in approvals and late not in approvals
    team = supervisor.get("/supervise/team").get_data(as_text=True)
    assert re.search(r"Sipho Dlamini.*?</td><td[^>]*>1</td>", team, re.S)
    assert "Karabo Molefe" not in team  # finance is not this supervisor's team
    overdue = supervisor.get("/supervise/overdue").get_data(as_text=True)
    assert late in overdue and reference not in overdue
    assert late not in browsers("supervisor_finance").get("/supervise/overdue").get_data(as_text=True)
    assert late in browsers("manager").get("/supervise/overdue").get_data(as_text=True)
