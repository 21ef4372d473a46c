"""Storage per closed complaint (issue 14, session 20): what is no longer kept, and that everything that read it
still reads right — the case page's diagram and history of a closed complaint, its reopening, the outbox."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from engine.bpmn.state import PRUNED_KEY
from engine.config import NotifySettings
from engine.models import Notification
from engine.notify.delivery import DELIVERED_TEXT, deliver_due
from engine.services import casefile, followup
from tests.support.drive import access_code, do, instance, lodge, open_tasks, to_response

RESOLVE = ("Task_investigate", "Task_approve", "Task_implement")  # the embedded subprocess Sub_resolve


def _closed(batho, people) -> str:
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    return reference


def _stored(batho, reference) -> dict:
    return batho.codec.as_json(instance(batho, reference).state)


def _outbox(batho, **where) -> list[Notification]:
    with batho.db.reading() as session:
        query = select(Notification).order_by(Notification.id)
        for name, value in where.items():
            query = query.where(getattr(Notification, name) == value)
        return list(session.scalars(query))


def test_a_closed_complaint_keeps_no_finished_subprocess_yet_its_diagram_shows_what_it_did(batho, people):
    reference = _closed(batho, people)
    stored = _stored(batho, reference)
    assert stored["subprocesses"] == {}, "the finished resolution subprocess is not stored"
    assert set(RESOLVE) <= set(stored[PRUNED_KEY])
    position = casefile.case_file(batho, people["manager"], reference).position
    assert position is not None
    assert set(RESOLVE) <= set(position.done), position.done
    assert {"Task_triage", "Task_respond", "Task_satisfaction", "Sub_resolve"} <= set(position.done)
    assert position.names["Task_approve"] == "Approve corrective action"
    assert position.active == ["Gateway_reopen_window"], "still waiting 30 days for the citizen"


def test_a_closed_complaints_history_still_reads_every_step(batho, people):
    reference = _closed(batho, people)
    timeline = casefile.case_file(batho, people["manager"], reference).timeline
    titles = [e["title"] for e in timeline if e["kind"] == "completed"]
    assert titles == ["Triage complaint", "Investigate and propose corrective action", "Approve corrective action",
                      "Implement and record the outcome", "Respond to the citizen", "Record citizen satisfaction"]


def test_an_open_subprocess_is_stored_whole(batho, people):
    reference = to_response(batho, people)  # the resolution finished, the complaint waits for the rating
    lodged = lodge(batho, name="Jane", email="jane@example.org")
    do(batho, people["agent"], lodged, "Task_triage", triage_outcome="accept")
    assert len(_stored(batho, lodged)["subprocesses"]) == 1, "at investigation: the subprocess runs"
    assert _stored(batho, reference)["subprocesses"] == {}


def test_a_pruned_closed_complaint_reopens_runs_its_subprocess_again_and_closes(batho, people):
    reference = _closed(batho, people)
    followup.reopen(batho, reference, access_code(batho, reference), "The pipe is leaking again.")
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert len(_stored(batho, reference)["subprocesses"]) == 1, "a new resolution subprocess"
    do(batho, people["officer"], reference, "Task_investigate", findings="A second leak", corrective_action="Weld")
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    do(batho, people["officer"], reference, "Task_implement", implementation_outcome="Welded",
       completed_on="2026-11-30")
    do(batho, people["agent"], reference, "Task_respond", explanation="A second leak.", remedy="We welded it.")
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    assert open_tasks(batho, reference) == []
    assert _stored(batho, reference)["subprocesses"] == {}
    position = casefile.case_file(batho, people["manager"], reference).position
    assert position is not None and set(RESOLVE) <= set(position.done)


def test_a_delivered_citizen_message_keeps_who_when_and_what_but_not_its_text(batho):
    reference = lodge(batho, name="Jane", email="jane@example.org", phone="058 813 9700")
    assert deliver_due(batho, NotifySettings()).sent == 2  # to the log: no mail server configured
    rows = _outbox(batho, audience="citizen")
    assert [(r.channel, r.recipient, r.kind, r.status) for r in rows] == [
        ("email", "jane@example.org", "acknowledgement", "logged"), ("sms", "058 813 9700", "acknowledgement", "logged")]
    assert all(r.body == DELIVERED_TEXT and r.sent_at is not None and r.event_id is not None for r in rows)
    assert rows[0].subject == f"Mafube: we registered your case {reference}"
    assert rows[0].data is not None and rows[0].data["reference"] == reference
    assert rows[0].data["template"].endswith("acknowledgement.txt")


def test_a_message_not_yet_delivered_keeps_its_text_for_the_retries(batho):
    class Refusing:
        delivered_status = "sent"

        def send(self, message: Notification) -> None:
            raise OSError("Connection refused")

    reference = lodge(batho, name="Jane", email="jane@example.org")
    assert deliver_due(batho, NotifySettings(), senders={"email": Refusing()}).retrying == 1
    [row] = _outbox(batho, audience="citizen")
    assert row.status == "pending" and row.body.startswith("Dear Jane") and reference in row.body


def test_new_task_notices_are_deleted_once_batched(batho, people):
    lodge(batho)
    assert len(_outbox(batho, channel="batch")) == 1
    deliver_due(batho, replace(NotifySettings(), task_batch_minutes=0))
    assert _outbox(batho, channel="batch") == [], "the notice did its work and is gone"
