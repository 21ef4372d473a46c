"""The staff task list: the three lists, filters, search, sorting, paging, claim and unclaim, by the web."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from engine.models import Case, HumanTask
from tests.support.drive import WATER, lodge, open_task


def _make_overdue(batho, reference):
    with batho.db.transaction() as session:
        case_id = session.query(Case.id).filter(Case.reference == reference).scalar()
        session.execute(update(HumanTask).where(HumanTask.case_id == case_id)
                        .values(due_at=batho.now() - timedelta(days=2)))


def test_the_agent_sees_unassigned_tasks_first_and_then_their_own_after_claiming(browsers, batho):
    reference = lodge(batho, name="Jane Citizen")
    agent = browsers("agent")
    page = agent.get("/tasks/").get_data(as_text=True)
    assert reference in page and 'aria-current="page">Unassigned' in page
    task_id = open_task(batho, reference, "Task_triage").id
    assert agent.post(f"/tasks/{task_id}/claim", page="/tasks/").status_code == 302
    mine = agent.get("/tasks/").get_data(as_text=True)
    assert 'aria-current="page">My tasks' in mine and reference in mine and "Thandi Mokoena" in mine
    assert reference not in agent.get("/tasks/?view=unassigned").get_data(as_text=True)
    assert reference in agent.get("/tasks/?view=groups").get_data(as_text=True)
    back = agent.post(f"/tasks/{task_id}/unclaim", {"back": "/tasks/?view=groups"}, page="/tasks/")
    assert back.headers["Location"].endswith("/tasks/?view=groups")
    assert reference in agent.get("/tasks/?view=unassigned").get_data(as_text=True)


def test_a_task_row_shows_reference_task_type_category_due_and_an_overdue_mark(browsers, batho):
    reference = lodge(batho)
    _make_overdue(batho, reference)
    page = browsers("agent").get("/tasks/?view=unassigned").get_data(as_text=True)
    assert reference in page and "Triage complaint" in page and "· Water supply" in page  # names, not codes
    assert 'class="overdue">Overdue' in page


def test_filters_by_process_department_status_and_overdue(browsers, batho):
    water = lodge(batho)
    refuse = lodge(batho, {"category": "refuse", "description": "Bins not collected"})
    _make_overdue(batho, refuse)
    agent = browsers("agent")
    technical = agent.get("/tasks/?view=groups&department=technical").get_data(as_text=True)
    assert water in technical and refuse not in technical
    community = agent.get("/tasks/?view=groups&department=community").get_data(as_text=True)
    assert refuse in community and water not in community
    overdue = agent.get("/tasks/?view=groups&overdue=1").get_data(as_text=True)
    assert refuse in overdue and water not in overdue
    assert water in agent.get("/tasks/?view=groups&process=complaint&status=registered").get_data(as_text=True)
    assert water not in agent.get("/tasks/?view=groups&status=closed").get_data(as_text=True)
    assert water not in agent.get("/tasks/?view=groups&process=suggestion").get_data(as_text=True)


def test_search_finds_a_case_by_reference_or_by_the_citizens_name(browsers, batho):
    jane = lodge(batho, name="Jane Mokoena")
    other = lodge(batho, name="Peter Smith")
    agent = browsers("agent")
    by_name = agent.get("/tasks/?view=groups&q=mokoena").get_data(as_text=True)
    assert jane in by_name and other not in by_name
    by_reference = agent.get(f"/tasks/?view=groups&q={other.lower()}").get_data(as_text=True)
    assert other in by_reference and jane not in by_reference
    assert "0 tasks" in agent.get("/tasks/?view=groups&q=%25_").get_data(as_text=True)


def test_pages_of_25_sorted_by_due_time_or_age(browsers, batho):
    references = [lodge(batho, dict(WATER, description=f"Leak {n}")) for n in range(27)]
    agent = browsers("agent")
    first = agent.get("/tasks/?view=unassigned&sort=age").get_data(as_text=True)
    assert "27 tasks" in first and "Page 1 of 2" in first
    assert references[0] in first and references[26] not in first
    second = agent.get("/tasks/?view=unassigned&sort=age&page=2").get_data(as_text=True)
    assert references[26] in second and references[0] not in second
    assert first.index(references[0]) < first.index(references[1])
    assert agent.get("/tasks/?view=nonsense&sort=bad&page=x").status_code == 200


def test_a_supervisor_reassigns_a_task_to_a_named_person_and_the_audit_trail_says_so(browsers, batho, people):
    from tests.support.drive import do
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    task_id = open_task(batho, reference, "Task_investigate").id
    supervisor = browsers("supervisor")
    page = supervisor.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Reassign “Investigate and propose corrective action” to" in page and "Sipho Dlamini" in page
    moved = supervisor.post(f"/tasks/{task_id}/reassign", {"assignee": "officer", "back": f"/cases/{reference}"},
                            page=f"/cases/{reference}")
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"/cases/{reference}")
    assert open_task(batho, reference, "Task_investigate").assignee_id == people["officer"].id
    assert reference in browsers("officer").get("/tasks/?view=mine").get_data(as_text=True)
    timeline = supervisor.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Reassigned" in timeline and "to Sipho Dlamini" in timeline and "Naledi Khumalo" in timeline


def test_reassigning_to_someone_without_the_role_is_refused_with_a_sentence(browsers, batho, people):
    from tests.support.drive import do
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    task_id = open_task(batho, reference, "Task_investigate").id
    supervisor = browsers("supervisor")
    response = supervisor.post(f"/tasks/{task_id}/reassign", {"assignee": "officer_finance",
                                                               "back": f"/cases/{reference}"}, page=f"/cases/{reference}")
    page = supervisor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Karabo Molefe does not have the role or department this task needs" in page
    assert open_task(batho, reference, "Task_investigate").assignee_id is None
