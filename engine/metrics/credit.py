"""Whom an officer figure credits: the person who did the work of the step it measures, read from the audit events.

One rule per kind of figure, declared here and nowhere else (figures and drill-downs name the rule they use):
- `resolve` (times to resolve, within standard, ratings): who completed the last department task before the case
  was closed — the investigating or implementing officer, not the agent who triaged it.
- `acknowledge` (opened, times to acknowledge): who first claimed or completed a task on it.
- `answer` (survey answers): who completed the respond step, the agent who answered the citizen.
- `worked` (open now, escalations, reopenings, holds): each person who completed a task on it (`case_officers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, select

from ..models import Case, CaseEvent
from ..models.enums import ACKNOWLEDGING_KINDS, EventKind
from ..models.metrics import CaseOfficer

# The steps a department does to resolve a case, in the deployed diagrams (lanes of department officers,
# billing clerks and meter readers); triage, respond and satisfaction steps are customer care's.
DEPARTMENT_TASKS = frozenset({"Task_investigate", "Task_implement", "Task_investigate_service", "Task_verify",
                              "Task_reading", "Task_explain", "Task_adjust", "Task_apply", "Task_we_did"})
ANSWERING_TASKS = frozenset({"Task_respond"})


@dataclass(frozen=True)
class Credit:
    """The events that credit a person: of these kinds, on these tasks (None: any), the first or the last one,
    and (when `until_closed`) only those up to the case's closing."""

    kinds: tuple[str, ...]
    tasks: frozenset[str] | None
    last: bool
    until_closed: bool = False


CREDITS: dict[str, Credit | None] = {
    "resolve": Credit((EventKind.COMPLETED,), DEPARTMENT_TASKS, last=True, until_closed=True),
    "acknowledge": Credit(tuple(ACKNOWLEDGING_KINDS), None, last=False),
    "answer": Credit((EventKind.COMPLETED,), ANSWERING_TASKS, last=True),
    "worked": None,  # the case_officers read model: once per case and person
}


def _conditions(credit: Credit) -> list[Any]:
    found = [CaseEvent.case_id == Case.id, CaseEvent.actor_id.is_not(None), CaseEvent.kind.in_(credit.kinds)]
    if credit.tasks is not None:
        found.append(CaseEvent.task_name.in_(sorted(credit.tasks)))
    if credit.until_closed:
        found.append(CaseEvent.at <= Case.closed_at)
    return found


def credited(rule: str) -> Any:
    """The credited person of a case under `rule`, as a scalar subquery correlated to `cases` (None for `worked`)."""
    credit = CREDITS[rule]
    if credit is None:
        return None
    order = (CaseEvent.at.desc(), CaseEvent.id.desc()) if credit.last else (CaseEvent.at, CaseEvent.id)
    return (select(CaseEvent.actor_id).where(*_conditions(credit)).order_by(*order).limit(1)
            .correlate(Case).scalar_subquery())


def join_credited(query: Any, rule: str) -> tuple[Any, Any]:
    """`query` (over cases) keyed by the person `rule` credits, cases crediting nobody left out; and the key."""
    person = credited(rule)
    if person is None:
        return query.join(CaseOfficer, CaseOfficer.case_id == Case.id), CaseOfficer.user_id
    return query.where(person.is_not(None)), person


def credited_to(rule: str, user_id: int) -> Any:
    """The condition: `rule` credits `user_id` with the case."""
    person = credited(rule)
    if person is None:
        return exists().where(and_(CaseOfficer.case_id == Case.id, CaseOfficer.user_id == user_id))
    return person == user_id
