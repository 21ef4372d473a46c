"""Process insight on real cases: waiting counts, step times, and failed instances retried or cancelled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Conflict, Forbidden, ValidationFailed
from engine.metrics import insight
from engine.models import Case, ProcessInstance
from engine.models.metrics import CaseOfficer, StepSpan
from engine.services import cases, deployment, incidents
from tests.fixtures import make
from tests.support import drive
from tests.support.web import Browser
from web import create_app

GATE = make.gateway_process("gate", "amount &gt; 10")


def test_waiting_cases_and_step_times_come_from_the_task_rows_and_step_spans(batho, people):
    drive.to_investigation(batho, people)
    drive.lodge(batho)
    found = insight.process_insight(batho, people["owner"], "complaint", None, None)
    steps = {s.id: s for s in found.steps}
    assert steps["Task_investigate"].waiting == 1 and steps["Task_triage"].waiting == 1
    assert steps["Task_triage"].completed == 1 and steps["Task_triage"].median_hours == 0.0
    assert steps["Task_investigate"].name == "Investigate and propose corrective action"
    assert "<bpmn:definitions" in found.bpmn or "definitions" in found.bpmn
    with batho.db.reading() as session:
        span = session.scalars(select(StepSpan)).one()
        assert (span.process_key, span.task_name) == ("complaint", "Task_triage")
        officer = session.scalars(select(CaseOfficer)).one()
        assert officer.user_id == people["agent"].id
        acked = [c.acknowledged_at for c in session.scalars(select(Case).order_by(Case.id))]
    assert acked[0] is not None and acked[1] is None


def _failed(batho) -> int:
    deployment.deploy_sources(batho, {"gate.bpmn": GATE})
    cases.start_process(batho, "gate", {"amount": 1})
    with batho.db.reading() as session:
        row = session.scalars(select(ProcessInstance).where(ProcessInstance.status == "error")).one()
        return row.id


def test_a_failed_instance_is_listed_and_retried_with_corrected_data(batho, people):
    instance_id = _failed(batho)
    found = insight.process_insight(batho, people["admin"], "gate", None, None)
    assert [f.instance_id for f in found.failures] == [instance_id]
    with pytest.raises(Forbidden):
        incidents.retry(batho, people["owner"], instance_id, {"amount": 20})
    assert incidents.retry(batho, people["admin"], instance_id, {"amount": 20}) == "running"
    assert insight.process_insight(batho, people["admin"], "gate", None, None).failures == []
    with batho.db.reading() as session:
        row = session.get(ProcessInstance, instance_id)
        assert row.status == "running" and row.error_message is None
    kinds = [e.kind for e in drive.events(batho, _reference(batho, instance_id))]
    assert kinds[-1] == "retried" or "retried" in kinds
    with pytest.raises(Conflict):
        incidents.retry(batho, people["admin"], instance_id, {})


def test_a_retry_that_fails_again_keeps_the_instance_listed(batho, people):
    instance_id = _failed(batho)
    assert incidents.retry(batho, people["admin"], instance_id, {"amount": 2}) == "error"
    assert len(insight.process_insight(batho, people["admin"], "gate", None, None).failures) == 1


def test_cancelling_needs_a_reason_and_closes_the_case(batho, people):
    instance_id = _failed(batho)
    with pytest.raises(ValidationFailed):
        incidents.cancel(batho, people["admin"], instance_id, "  ")
    incidents.cancel(batho, people["admin"], instance_id, "Test case lodged by mistake")
    reference = _reference(batho, instance_id)
    assert drive.case(batho, reference).closed_at is not None
    cancelled = drive.events(batho, reference, "cancelled")
    assert cancelled[0].message == "Test case lodged by mistake" and cancelled[0].actor_id == people["admin"].id


def _reference(batho, instance_id: int) -> str:
    with batho.db.reading() as session:
        row = session.get(ProcessInstance, instance_id)
        return session.get(Case, row.case_id).reference


def test_bad_corrected_data_is_refused_with_a_sentence():
    with pytest.raises(ValidationFailed) as caught:
        incidents.parse_data("{amount: 20}")
    assert "JSON object" in caught.value.errors["data"]
    assert incidents.parse_data('{"amount": 20}') == {"amount": 20}


def test_the_insight_page_and_its_forms(batho, people):
    instance_id = _failed(batho)
    client = create_app(batho, {"TESTING": True}).test_client()
    admin = Browser(client)
    admin.login("admin")
    page = client.get("/insight/gate").get_data(as_text=True)
    assert "Instances stopped by an error (1)" in page and "Retry" in page and 'id="steps"' in page
    response = admin.post(f"/insight/gate/instances/{instance_id}/retry", {"data": "not json"}, page="/insight/gate")
    assert response.status_code == 302
    assert "JSON object" in client.get("/insight/gate").get_data(as_text=True)
    admin.post(f"/insight/gate/instances/{instance_id}/cancel", {"reason": "Duplicate test"}, page="/insight/gate")
    assert "Instances stopped by an error (0)" in client.get("/insight/gate").get_data(as_text=True)
    officer = Browser(create_app(batho, {"TESTING": True}).test_client())
    officer.login("officer")
    assert officer.get("/insight/complaint").status_code == 403
