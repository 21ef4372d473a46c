"""The case record on task and case pages and in the API: labels, names, rand and dates; what a task shows first;
rework back to the one who made the proposal; approved and rejected in the history; contact details kept hidden."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, update

from engine.bpmn.lint import lint
from engine.composition import Batho
from engine.models import HumanTask, User
from engine.services import identity
from engine.services.identity import ROLES, Identity
from tests.fixtures.make import process
from tests.processes.helpers import lodge_query
from tests.support.database import DEMO_PASSWORD, clear
from tests.support.drive import do, events, lodge, open_task

NBSP = "\u00a0"
CONTACT = {"name": "Jane Citizen", "email": "jane@example.org", "phone": "082 555 0101"}


def _section(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</section>", 1)[0]


def _to_approval(batho: Batho, people: dict[str, Identity], officer: str = "officer") -> str:
    reference = lodge(batho, **CONTACT)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    do(batho, people[officer], reference, "Task_investigate", findings="The valve at the reservoir burst.\n\n"
       "The pressure was too high for the old pipe.", corrective_action="Replace the valve and the pipe.")
    return reference


@pytest.fixture
def officer_two(batho: Batho, people: dict[str, Identity]) -> Iterator[dict[str, Identity]]:
    """A second officer of Technical Services, so that "back to the officer" is not "back to an officer"."""
    with batho.db.transaction() as session:
        identity.create_user(session, "officer_two", "Lindiwe Two", DEMO_PASSWORD, ["department_officer"],
                             ["technical"])
    who = identity.authenticate(batho, "officer_two", DEMO_PASSWORD)
    assert who is not None
    yield {**people, "officer_two": who}
    clear(batho)  # its events go first: users outlive the per-test cleanup
    with batho.db.transaction() as session:
        session.execute(update(HumanTask).values(assignee_id=None))
        session.execute(delete(User).where(User.username == "officer_two"))


def test_the_case_page_records_each_step_with_labels_choice_names_dates_and_paragraphs(browsers, batho, people):
    reference = _to_approval(batho, people)
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    do(batho, people["officer"], reference, "Task_implement", implementation_outcome="Valve replaced.",
       completed_on="2026-12-08")
    record = _section(browsers("supervisor").get(f"/cases/{reference}").get_data(as_text=True), 'id="record-h"')
    for expected in ("Complaint lodged", "What is it about?</dt><dd>Water supply", "Describe the problem",
                     "No water in Extension 4", "Triage complaint", "Thandi Mokoena",
                     "Outcome</dt><dd>Accept: the department investigates", "What did you find?",
                     "Investigate and propose corrective action", "Sipho Dlamini",
                     "Decision</dt><dd>Approve", "Completed on</dt><dd>Tuesday 8 December 2026"):
        assert expected in record, expected
    # Long text keeps its paragraphs (shown with pre-wrap) and wraps in its column.
    assert 'class="pre long">The valve at the reservoir burst.\n\nThe pressure was too high' in record
    assert "accept</dd>" not in record and "2026-12-08" not in record.replace('datetime="', "")


def test_the_cfo_sees_the_amount_reason_balances_and_account_number_first(browsers, batho, people):
    reference = lodge_query(batho, disputed_amount="45000")
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Billed twice.")
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="45000",
       adjustment_reason="A duplicate charge was removed.", corrected_balance="1250.00")
    page = browsers("cfo").get(f"/tasks/{open_task(batho, reference, 'Task_approve_cfo').id}").get_data(as_text=True)
    shown = _section(page, 'id="shown-h"')
    for expected in ("Adjustment (rand, credited to the account)", f"R{NBSP}45{NBSP}000,00",
                     "Reason for the adjustment", "A duplicate charge was removed.", "Amount you dispute (rand)",
                     "Corrected balance of the account (rand)", f"R{NBSP}1{NBSP}250,00", "Account number", "4410023",
                     "Lerato Mahlangu"):
        assert expected in shown, expected
    assert page.index('id="shown-h"') < page.index('id="form-h"'), "what is approved comes before the form"


def test_the_agent_sees_the_findings_and_the_manager_why_the_citizen_is_dissatisfied(browsers, batho, people):
    reference = _to_approval(batho, people)
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    do(batho, people["officer"], reference, "Task_implement", implementation_outcome="Valve replaced.",
       completed_on="2026-12-08")
    respond = browsers("agent").get(f"/tasks/{open_task(batho, reference, 'Task_respond').id}")
    shown = _section(respond.get_data(as_text=True), 'id="shown-h"')
    assert "What did you find?" in shown and "The valve at the reservoir burst." in shown
    assert "Proposed corrective action" in shown and "Tuesday 8 December 2026" in shown
    do(batho, people["agent"], reference, "Task_respond", explanation="The valve burst.", remedy="We replaced it.")
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="dissatisfied",
       satisfaction_note="The water is brown since the repair.")
    review = browsers("manager").get(f"/tasks/{open_task(batho, reference, 'Task_manager_review').id}")
    shown = _section(review.get_data(as_text=True), 'id="shown-h"')
    assert "Dissatisfied" in shown and "The water is brown since the repair." in shown and "We replaced it." in shown


def test_the_api_task_detail_carries_the_record_and_what_the_task_shows(client, batho, people, bearer):
    reference = _to_approval(batho, people)
    task_id = open_task(batho, reference, "Task_approve").id
    body = client.get(f"/api/v1/tasks/{task_id}", headers=bearer("supervisor")).get_json()
    steps = {e["step"]: e for e in body["record"]}
    assert set(steps) >= {"Start_complaint", "Task_triage", "Task_investigate"}
    triage = steps["Task_triage"]
    assert triage["title"] == "Triage complaint" and triage["by"] == "Thandi Mokoena" and triage["at"]
    outcome = next(v for v in triage["values"] if v["id"] == "triage_outcome")
    assert outcome == {"id": "triage_outcome", "label": "Outcome", "value": "accept",
                       "display": "Accept: the department investigates"}
    category = next(v for v in steps["Start_complaint"]["values"] if v["id"] == "category")
    assert category["display"] == "Water supply"
    assert [s["id"] for s in body["shown"]] == ["findings", "corrective_action"]
    assert body["shown"][0]["by"] == "Sipho Dlamini"


def test_a_rejected_proposal_goes_back_to_the_officer_who_made_it_with_the_comment(browsers, batho, officer_two):
    people = officer_two
    reference = _to_approval(batho, people, officer="officer_two")
    do(batho, people["supervisor"], reference, "Task_approve", decision="reject",
       supervisor_comment="Add the cost of the pipe.")
    rework = open_task(batho, reference, "Task_investigate")
    assert rework.assignee_id == people["officer_two"].id  # not the group, not the other officer
    given = events(batho, reference, "reassigned")[-1]
    assert given.message == "to Lindiwe Two, who did “Investigate and propose corrective action” before"
    page = browsers("officer_two").get(f"/tasks/{rework.id}").get_data(as_text=True)
    shown = _section(page, 'id="shown-h"')
    assert "Reject and return to the officer" in shown and "Add the cost of the pipe." in shown
    assert "Naledi Khumalo" in shown
    # Their own proposal is in the form again, to change rather than retype.
    assert "Replace the valve and the pipe.</textarea>" in page
    assert browsers("officer").get(f"/tasks/{rework.id}").status_code == 200  # visible, but held by officer_two


def test_the_history_says_rejected_and_approved_and_an_old_comment_is_not_current(browsers, batho, people):
    reference = _to_approval(batho, people)
    do(batho, people["supervisor"], reference, "Task_approve", decision="reject",
       supervisor_comment="Add the cost of the pipe.")
    do(batho, people["officer"], reference, "Task_investigate", findings="The valve burst.",
       corrective_action="Replace the valve and the pipe (R 12 000).")
    again = browsers("supervisor").get(f"/tasks/{open_task(batho, reference, 'Task_approve').id}")
    page = again.get_data(as_text=True)
    shown = _section(page, 'id="shown-h"')
    assert "(R 12 000)" in shown and "Add the cost of the pipe." not in shown
    form = _section(page, 'id="form-h"')
    assert "Add the cost of the pipe." not in form and "selected" not in form.split('id="f-decision"')[1]
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    implement = browsers("officer").get(f"/tasks/{open_task(batho, reference, 'Task_implement').id}")
    current = implement.get_data(as_text=True).split('id="record-h"')[0]
    timeline = current.split("<h3>History</h3>")[1]
    assert "Rejected</strong>: <span class=\"pre\">Add the cost of the pipe.</span>" in timeline
    assert "Approved</strong>" in timeline.split("Rejected</strong>")[1]
    assert "Add the cost of the pipe." not in current.replace(timeline, "")  # only as history, not as current
    case_page = browsers("supervisor").get(f"/cases/{reference}").get_data(as_text=True)
    assert 'verdict-rejected">Rejected' in _section(case_page, 'id="record-h"')


def test_contact_details_stay_out_of_the_record_for_staff_who_may_not_see_them(browsers, batho, people, client,
                                                                              bearer):
    reference = lodge(batho, **CONTACT)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept",
       triage_reason="Jane Citizen (jane@example.org, 0825550101) called twice.")
    do(batho, people["officer"], reference, "Task_investigate", findings="Called 082 555 0101: no answer.",
       corrective_action="Replace the valve.")
    # The officer worked the case but holds none of its tasks now: no contact details, in the record neither.
    page = browsers("officer").get(f"/cases/{reference}").get_data(as_text=True)
    for secret in ("Jane Citizen", "jane@example.org", "0825550101", "082 555 0101"):
        assert secret not in page, secret
    hidden = "[contact details hidden]"
    record = _section(page, 'id="record-h"')
    assert f"{hidden} ({hidden}, {hidden}) called twice." in record and f"Called {hidden}: no answer." in record
    # The supervisor of the department may see them, in the record too.
    supervisor = browsers("supervisor").get(f"/cases/{reference}").get_data(as_text=True)
    assert "Jane Citizen (jane@example.org, 0825550101) called twice." in _section(supervisor, 'id="record-h"')
    # And the API: a meter reader's task on an account query shows no holder's name in its record.
    query = lodge_query(batho, description="Mpho Account-Holder says the meter is wrong.")
    do(batho, people["billing"], query, "Task_verify", outcome="reading_required",
       verification_notes="Mpho Account-Holder asked for a reading (mpho@example.org).")
    detail = client.get(f"/api/v1/tasks/{open_task(batho, query, 'Task_reading').id}", headers=bearer("meter"))
    text = str(detail.get_json()["record"])
    assert detail.status_code == 200 and "Mpho Account-Holder" not in text and "mpho@example.org" not in text
    assert "[contact details hidden] asked for a reading" in text


LANE = """<bpmn:laneSet id="ls"><bpmn:lane id="lane_officer" name="Department Officer">
  <bpmn:flowNodeRef>first</bpmn:flowNodeRef><bpmn:flowNodeRef>second</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"""


def _two_tasks(**props: str) -> dict[str, str]:
    inner = "".join(f'<camunda:property name="{k}" value="{v}" />' for k, v in props.items())
    body = f"""{LANE}
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="first" name="Propose"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="proposal" label="Proposal" type="string" /></camunda:formData>
      </bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="second" name="Decide"><bpmn:extensionElements><camunda:properties>{inner}
      </camunda:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end" />"""
    return {"p.bpmn": process("p", body)}


def _messages(files: dict[str, str]) -> list[str]:
    return [p.message for p in lint(files, list(ROLES.items()))]


def test_the_lint_accepts_shows_and_assign_to_on_a_user_task():
    assert _messages(_two_tasks(shows="proposal", assignTo="previous:first")) == []


@pytest.mark.parametrize(("props", "words"), [
    ({"assignTo": "first"}, 'assignTo is "first", which Batho cannot use: write previous: and the id of an earlier '
                            "task, like previous:Task_investigate."),
    ({"assignTo": "previous:nowhere"}, "assignTo names nowhere, which is not a user task of this diagram"),
    ({"shows": "proposal, nonsense"}, "shows names nonsense, which no form of this diagram asks for"),
    ({"shows": "proposal; other"}, "name data fields separated by commas"),
])
def test_the_lint_refuses_a_wrong_shows_or_assign_to_naming_the_task(props, words):
    found = _messages(_two_tasks(**props))
    assert len(found) == 1 and words in found[0] and 'User task "Decide" (second)' in found[0], found


def test_the_lint_refuses_shows_on_a_script_task():
    files = _two_tasks()
    files["p.bpmn"] = files["p.bpmn"].replace(
        '<bpmn:endEvent id="end" />', '<bpmn:scriptTask id="calc" name="Calc"><bpmn:extensionElements>'
        '<camunda:properties><camunda:property name="shows" value="proposal" /></camunda:properties>'
        '</bpmn:extensionElements><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask><bpmn:endEvent id="end" />')
    files["p.bpmn"] = files["p.bpmn"].replace('targetRef="end" />', 'targetRef="calc" /><bpmn:sequenceFlow '
                                              'id="f4" sourceRef="calc" targetRef="end" />')
    found = _messages(files)
    assert any('property "shows" only works on user and manual tasks' in m for m in found), found

