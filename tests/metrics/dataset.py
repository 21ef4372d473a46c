"""A hand-built month (September 2026) whose right answers are worked out by hand in the comments.

Working days in September 2026: weekends skipped and Thursday 24 September (Heritage Day) a public holiday.
The clock stands at Monday 5 October 2026, 10:00 in Johannesburg (UTC+2).

| case | type/category      | dept          | channel        | opened (local)      | acknowledged      | closed (local)    | due (23:59 local) |
|------|--------------------|---------------|----------------|---------------------|-------------------|-------------------|-------------------|
| A    | water              | technical     | web            | Fri 4 Sep 16:00     | Mon 7 Sep (1 wd)  | Fri 11 Sep (5 wd) | Fri 11 Sep: in    |
| B    | electricity, anon. | technical     | phone          | Wed 23 Sep 10:00    | Fri 25 Sep (1 wd) | Tue 29 Sep (3 wd) | Tue 29 Sep: in    |
| C    | roads              | technical     | walk_in        | Mon 14 Sep 09:00    | Wed 16 Sep (2 wd) | open, 14 wd old   | Tue 13 Oct        |
| D    | refuse, anon.      | community     | web            | Tue 1 Sep 08:00     | never             | open, 23 wd old   | Tue 8 Sep: 18 wd overdue |
| E    | billing            | finance       | web            | Thu 27 Aug 10:00    | Fri 28 Aug        | Wed 30 Sep (23 wd)| Thu 10 Sep: missed|
| F    | other, anon.       | customer_care | suggestion_box | Wed 30 Sep 23:30    | never             | open, 3 wd old    | later             |
| G    | water              | technical     | web            | Thu 1 Oct 00:30     | never             | open, 2 wd old    | Thu 8 Oct         |
| H    | water, anon.       | technical     | phone          | Sat 5 Sep 10:00     | Mon 7 Sep (1 wd)  | Mon 14 Sep (6 wd) | Fri 11 Sep: missed|

Events in September: D escalated twice (9 and 16 Sep); E reopened (15 Sep); survey answers B satisfied,
E dissatisfied, H no answer. Citizen ratings: A 4, E 2.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from engine.composition import Batho
from engine.models import Case, CaseEvent
from engine.services.identity import Identity

SAST = ZoneInfo("Africa/Johannesburg")
NOW = datetime(2026, 10, 5, 10, 0, tzinfo=SAST).astimezone(UTC)


def local(month: int, day: int, hour: int = 23, minute: int = 59, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=SAST).astimezone(UTC)


def due(month: int, day: int) -> datetime:
    return local(month, day, 23, 59, 59)


CASES: dict[str, dict[str, Any]] = {
    "A": dict(category="water", department_code="technical", channel="web", opened_at=local(9, 4, 16, 0),
              ack_due_at=due(9, 7), due_at=due(9, 11), closed_at=local(9, 11, 12, 0), satisfaction_rating=4,
              citizen_name="Jane Citizen", citizen_email="jane@example.org", status="closed"),
    "B": dict(category="electricity", department_code="technical", channel="phone", opened_at=local(9, 23, 10, 0),
              ack_due_at=due(9, 25), due_at=due(9, 29), closed_at=local(9, 29, 15, 0), status="closed"),
    "C": dict(category="roads", department_code="technical", channel="walk_in", opened_at=local(9, 14, 9, 0),
              ack_due_at=due(9, 16), due_at=due(10, 13), citizen_name="Piet Burger", status="investigating"),
    "D": dict(category="refuse", department_code="community", channel="web", opened_at=local(9, 1, 8, 0),
              ack_due_at=due(9, 3), due_at=due(9, 8), status="escalated", escalation_level="manager"),
    "E": dict(category="billing", department_code="finance", channel="web", opened_at=local(8, 27, 10, 0),
              ack_due_at=due(8, 31), due_at=due(9, 10), closed_at=local(9, 30, 16, 0), satisfaction_rating=2,
              citizen_name="Sara Mokoena", citizen_phone="082 555 0101", status="closed"),
    "F": dict(category="other", department_code="customer_care", channel="suggestion_box",
              opened_at=local(9, 30, 23, 30), ack_due_at=due(10, 2), due_at=due(10, 28), status="registered"),
    "G": dict(category="water", department_code="technical", channel="web", opened_at=local(10, 1, 0, 30),
              ack_due_at=due(10, 2), due_at=due(10, 8), citizen_name="Thabo Mofokeng", status="registered"),
    "H": dict(category="water", department_code="technical", channel="phone", opened_at=local(9, 5, 10, 0),
              ack_due_at=due(9, 7), due_at=due(9, 11), closed_at=local(9, 14, 10, 0), status="closed"),
}


def _events(people: dict[str, Identity]) -> list[tuple[str, dict[str, Any]]]:
    agent, officer = people["agent"].id, people["officer"].id
    finance, manager = people["officer_finance"].id, people["manager"].id
    return [
        ("A", dict(kind="completed", at=local(9, 7, 9, 0), actor_id=agent, task_name="Task_triage")),
        ("A", dict(kind="completed", at=local(9, 10, 9, 0), actor_id=officer, task_name="Task_investigate")),
        ("A", dict(kind="rated", at=local(9, 12, 9, 0), data={"rating": 4})),
        ("B", dict(kind="claimed", at=local(9, 25, 8, 0), actor_id=officer, task_name="Task_investigate")),
        ("B", dict(kind="completed", at=local(9, 28, 8, 0), actor_id=officer, task_name="Task_investigate")),
        ("B", dict(kind="completed", at=local(9, 29, 15, 0), actor_id=agent, task_name="Task_satisfaction",
                   data={"satisfaction": "satisfied"})),
        ("C", dict(kind="claimed", at=local(9, 16, 11, 0), actor_id=officer, task_name="Task_investigate")),
        ("D", dict(kind="escalation", at=local(9, 9, 0, 0), data={"level": "supervisor"})),
        ("D", dict(kind="escalation", at=local(9, 16, 0, 0), data={"level": "manager"})),
        ("E", dict(kind="completed", at=local(8, 28, 9, 0), actor_id=finance, task_name="Task_investigate")),
        ("E", dict(kind="completed", at=local(9, 14, 9, 0), actor_id=agent, task_name="Task_satisfaction",
                   data={"satisfaction": "dissatisfied"})),
        ("E", dict(kind="completed", at=local(9, 15, 9, 0), actor_id=manager, task_name="Task_manager_review")),
        ("E", dict(kind="status", at=local(9, 15, 9, 0), message="reopened", data={"status": "reopened"})),
        ("H", dict(kind="completed", at=local(9, 7, 8, 0), actor_id=agent, task_name="Task_triage")),
        ("H", dict(kind="completed", at=local(9, 14, 10, 0), actor_id=agent, task_name="Task_satisfaction",
                   data={"satisfaction": "no_response"})),
    ]


def build(app: Batho, people: dict[str, Identity]) -> dict[str, str]:
    """Insert the cases and events; return letter -> reference. Acknowledgement comes from the events."""
    refs = {}
    with app.db.transaction() as session:
        for number, (letter, values) in enumerate(CASES.items(), start=1):
            case = Case(reference=f"MAF-2026-{900000 + number}", case_type="complaint", summary=f"Case {letter}",
                        **values)
            session.add(case)
            session.flush()
            refs[letter] = case.reference
            for event_letter, event in _events(people):
                if event_letter == letter:
                    session.add(CaseEvent(case_id=case.id, **event))
            session.flush()
    return refs
