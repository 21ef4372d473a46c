"""Staff hear about new tasks (batched), assignments, escalations and, once a day, their overdue work."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from engine.models import CaseEvent, HumanTask, User
from engine.notify.delivery import deliver_due
from engine.services import tasks, timers
from tests.support.drive import lodge, open_task, to_investigation

SAST = ZoneInfo("Africa/Johannesburg")


def subjects(server, address):
    return [m["Subject"] for m in server.inbox.to(address)]


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_new_tasks_reach_the_role_in_one_message_per_batch(batho, settings, mail_server, staff_emails, clock):
    references = [lodge(batho) for _ in range(3)]
    deliver_due(batho, settings)
    [mail] = mail_server.inbox.to("agent@mafube.example")
    assert mail["Subject"] == "Batho: 3 new task(s) for you to pick up"
    assert all(reference in body(mail) for reference in references)
    assert "Triage complaint" in body(mail)
    assert mail_server.inbox.to("officer@mafube.example") == [], "not the officer's lane"
    fourth = lodge(batho)
    deliver_due(batho, settings)
    deliver_due(batho, settings)
    assert subjects(mail_server, "agent@mafube.example")[1:] == ["Batho: 1 new task(s) for you to pick up"]
    assert fourth in body(mail_server.inbox.to("agent@mafube.example")[1])


def test_tasks_are_gathered_for_the_batch_window_and_claimed_ones_left_out(batho, settings, mail_server,
                                                                          staff_emails, people, clock):
    windowed = replace(settings, task_batch_minutes=10)
    first, taken = lodge(batho), lodge(batho)
    assert deliver_due(batho, windowed).batched == 0, "the window is still open"
    tasks.claim(batho, people["agent"], open_task(batho, taken, "Task_triage").id)
    clock.advance(minutes=11)
    assert deliver_due(batho, windowed).batched == 1
    [mail] = mail_server.inbox.to("agent@mafube.example")
    assert first in body(mail) and taken not in body(mail)


def test_a_task_given_to_someone_tells_them_but_claiming_ones_own_does_not(batho, settings, mail_server,
                                                                           staff_emails, people, clock):
    reference = to_investigation(batho, people)
    task = open_task(batho, reference, "Task_investigate")
    tasks.claim(batho, people["officer"], task.id)
    tasks.unclaim(batho, people["officer"], task.id)
    with batho.db.transaction() as session:  # a supervisor hands the task to the officer
        row = session.get(HumanTask, task.id)
        officer = session.scalars(select(User).where(User.username == "officer")).one()
        row.assignee_id = officer.id
        session.add(CaseEvent(case_id=row.case_id, instance_id=row.instance_id, kind="reassigned",
                              actor_id=people["supervisor"].id, task_name=row.task_name, title=row.title))
    deliver_due(batho, settings)
    assignments = [s for s in subjects(mail_server, "officer@mafube.example") if "assigned to you" in s]
    assert assignments == [f"Batho: a task was assigned to you: Investigate and propose corrective action ({reference})"]


def test_an_escalation_tells_the_departments_supervisors(batho, settings, mail_server, staff_emails, people):
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=SAST), tick=False):
        reference = to_investigation(batho, people)
    with time_machine.travel(datetime(2026, 3, 24, 8, 0, tzinfo=SAST), tick=False):
        assert timers.fire_due_timers(batho) == 1
    deliver_due(batho, settings)
    [mail] = [m for m in mail_server.inbox.to("supervisor@mafube.example") if "escalated" in m["Subject"]]
    assert mail["Subject"] == f"Batho: case {reference} escalated to the supervisor"
    assert "the resolution target has passed" in body(mail)
    assert not [m for m in mail_server.inbox.to("manager@mafube.example") if "escalated" in m["Subject"]]


def test_a_daily_digest_lists_overdue_work_once_a_day(batho, settings, mail_server, staff_emails, clock):
    reference = lodge(batho)
    deliver_due(batho, settings)
    clock.now = datetime(2026, 12, 10, 6, 30, tzinfo=SAST)  # overdue, but before the digest hour
    deliver_due(batho, settings)
    assert not [s for s in subjects(mail_server, "agent@mafube.example") if "overdue" in s]
    clock.now = datetime(2026, 12, 10, 7, 5, tzinfo=SAST)
    deliver_due(batho, settings)
    clock.advance(hours=3)
    deliver_due(batho, settings)
    [digest] = [m for m in mail_server.inbox.to("agent@mafube.example") if "overdue" in m["Subject"]]
    assert digest["Subject"] == "Batho: 1 overdue task(s) on 10 December 2026"
    assert reference in body(digest) and "due 8 December 2026" in body(digest)
    assert [s for s in subjects(mail_server, "supervisor@mafube.example") if "overdue" in s], "the department's"
    clock.advance(days=1)
    deliver_due(batho, settings)
    assert len([s for s in subjects(mail_server, "agent@mafube.example") if "overdue" in s]) == 2


def test_staff_without_an_email_address_get_nothing(batho, settings, mail_server, clock):
    lodge(batho)
    report = deliver_due(batho, settings)
    assert report.batched == 0 and mail_server.inbox.messages == []
    assert batho.config.notify is settings
