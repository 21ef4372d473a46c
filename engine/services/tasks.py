"""Human tasks: the lists, claiming, and completing a task with the diagram's form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import instances
from ..authz import acting_for, eligible, held_ids, holds, may_see_contact, may_work
from ..bpmn.forms import Field, defaults_in, validate
from ..bpmn.specs import camunda_form_of
from ..bpmn.vocabulary import SHOWS_REPORT
from ..composition import Batho
from ..errors import Conflict, Forbidden, NotFound, TaskNotReady
from ..models import Case, CaseEvent, CreditHold, HumanTask, ProcessInstance, User
from ..models.enums import EventKind, InstanceStatus
from . import duplicates, submissions
from .identity import Identity
from .photos import PhotoInfo, photos_of
from .places import CasePlace, case_place_in
from .record import Record, Shown, hidden_contact, record_in, shows_of
from .taskforms import check_signature


@dataclass(frozen=True)
class TaskRow:
    """One line of a task list."""

    id: str
    task_name: str
    title: str
    process_key: str
    case_reference: str | None
    category: str | None
    lane: str | None
    department: str | None
    assignee: str | None
    due_at: datetime | None
    created_at: datetime
    # An account query's account number and disputed amount (billing clerks see them on every one of its tasks).
    account_number: str | None = None
    disputed_amount: Decimal | None = None
    priority: int | None = None  # camunda:priority (higher is more urgent)
    follow_up_at: datetime | None = None  # camunda:followUpDate


@dataclass(frozen=True)
class TaskView:
    """A task page: the form, the case summary and what the user may do."""

    row: TaskRow
    fields: tuple[Field, ...]
    values: dict[str, Any]
    case_summary: dict[str, Any]
    contact: dict[str, str | None] | None
    history: list[dict[str, Any]]
    may_work: bool
    assignee_id: int | None
    record: Record = Record()
    shown: tuple[Shown, ...] = ()  # what the diagram's `shows` puts first: the proposal, the findings
    report_period: str | None = None  # `showsReport`: the period of the Council report the task opens with
    photos: tuple[PhotoInfo, ...] = ()  # the case's photos, as thumbnails
    place: CasePlace | None = None  # the point, ward and town, and open cases of its kind nearby (triage)
    camunda_form: dict[str, Any] | None = None  # the Camunda Form (.form schema) form-js draws, if the task has one


def row_columns() -> Any:
    """What a task-list row reads: the task, its case's reference, category and account, its holder's name and
    the disputed amount under credit-control hold (joined with `with_row_joins`)."""
    return select(HumanTask, Case.reference, Case.category, User.full_name, Case.account_number,
                  CreditHold.disputed_amount)


def with_row_joins(query: Any) -> Any:
    return (query.outerjoin(Case, Case.id == HumanTask.case_id).outerjoin(User, User.id == HumanTask.assignee_id)
            .outerjoin(CreditHold, CreditHold.case_id == HumanTask.case_id))


def task_row(t: HumanTask, ref: str | None, cat: str | None, name: str | None, account: str | None,
             amount: Decimal | None) -> TaskRow:
    return TaskRow(t.id, t.task_name, t.title, t.process_key, ref, cat, t.lane, t.candidate_department, name,
                   t.due_at, t.created_at, account, amount, t.priority, t.follow_up_at)


def _rows(session: Session, condition: Any, limit: int) -> list[TaskRow]:
    query = (with_row_joins(row_columns())
             .where(condition).order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at)
             .limit(limit))
    return [task_row(*row) for row in session.execute(query)]


def my_tasks(app: Batho, who: Identity, limit: int = 200) -> list[TaskRow]:
    with app.db.reading() as session:
        return _rows(session, HumanTask.assignee_id.in_(held_ids(who)), limit)


def available_tasks(app: Batho, who: Identity, limit: int = 200) -> list[TaskRow]:
    """Unclaimed tasks the user's roles and departments may work."""
    with app.db.reading() as session:
        return _rows(session, and_(eligible(who), HumanTask.assignee_id.is_(None)), limit)


def _open_task(session: Session, task_id: str, lock: bool = False) -> HumanTask:
    query = select(HumanTask).where(HumanTask.id == task_id)
    task = session.scalars(query.with_for_update() if lock else query).first()
    if task is None:
        raise TaskNotReady("This task is no longer open: it was completed or cancelled. Your task list is up to date.")
    return task


def task_view(app: Batho, who: Identity, task_id: str) -> TaskView:
    with app.db.reading() as session:
        task = _open_task(session, task_id)
        if not may_work(who, task):
            raise Forbidden("This task belongs to another role or department.")
        row = _rows(session, HumanTask.id == task_id, 1)[0]
        instance = session.get(ProcessInstance, task.instance_id)
        if instance is None:
            raise NotFound("The process of this task no longer exists.")
        process = app.specs.get(instance.version)
        step = app.codec.load(instance.state, process).task(task_id)
        if step is None:
            raise TaskNotReady("This task is no longer open.")
        case = session.get(Case, task.case_id) if task.case_id else None
        contact = _contact(session, who, case)
        record = record_in(app, session, case, hidden_contact(case, contact is not None))
        fields = process.form_of(task.task_name)
        # The defaults the system writes for the citizen (the apology) start in the citizen's language.
        language = case.citizen_language if case else None
        values = {**defaults_in(fields, language, app.config.notify.catalogs),
                  **_starting_values(fields, step.data, record, task.task_name)}
        photos = tuple(photos_of(session, case.id)) if case else ()
        return TaskView(row=row, fields=fields, values=values, photos=photos,
                        case_summary=_case_summary(case), contact=contact,
                        history=case_history(session, task.case_id), may_work=True, assignee_id=task.assignee_id,
                        record=record, shown=tuple(record.shown(shows_of(step.properties))),
                        report_period=_report_period(step.properties, step.data),
                        place=case_place_in(app, session, case, False) if case else None,
                        camunda_form=camunda_form_of(process, task.task_name))


def _report_period(properties: dict[str, str], data: dict[str, Any]) -> str | None:
    """The period of the report a `showsReport` task opens with, read from the link in its data field."""
    link = data.get(properties.get(SHOWS_REPORT) or "")
    if not isinstance(link, str):
        return None
    periods = parse_qs(urlsplit(link).query).get("period")
    return periods[0] if periods else None


def _starting_values(fields: tuple[Field, ...], data: dict[str, Any], record: Record, task_name: str) -> dict[str, Any]:
    """What the form starts with: the process data (rework keeps the proposal's words), but a decision is made
    afresh: once this step approved or rejected, its old decision and comment are not offered again."""
    values = dict(data)
    if any(e.step == task_name and e.verdict for e in record.entries):
        for f in fields:
            values.pop(f.id, None)
    return values


def _case_summary(case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    return {"reference": case.reference, "type": case.case_type, "status": case.status, "category": case.category,
            "department": case.department_code, "priority": case.priority, "summary": case.summary,
            "location": case.location, "opened_at": case.opened_at, "due_at": case.due_at,
            "escalation": case.escalation_level, "channel": case.channel, "language": case.citizen_language,
            "citizen_rating": case.satisfaction_rating, "citizen_comment": case.satisfaction_comment}


def _contact(session: Session, who: Identity, case: Case | None) -> dict[str, str | None] | None:
    if case is None or case.is_anonymous:
        return None
    held = set(session.scalars(select(HumanTask.candidate_role).where(HumanTask.case_id == case.id,
                                                                      HumanTask.assignee_id == who.id)))
    if not may_see_contact(who, held, case.department_code):
        return None
    return {"name": case.citizen_name, "email": case.citizen_email, "phone": case.citizen_phone}


def case_history(session: Session, case_id: int | None) -> list[dict[str, Any]]:
    if case_id is None:
        return []
    rows = session.execute(select(CaseEvent, User.full_name).outerjoin(User, User.id == CaseEvent.actor_id)
                           .where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id))
    return [{"id": e.id, "at": e.at, "kind": e.kind, "title": e.title, "message": e.message, "actor": name,
             "public": e.public, "linked": _linked(e)} for e, name in rows]


def _linked(event: CaseEvent) -> str | None:
    """The other case's reference on a linked-case event (the case page links to it)."""
    data = event.data if event.kind == EventKind.LINKED_CASE and isinstance(event.data, dict) else {}
    reference = data.get("reference")
    return reference if isinstance(reference, str) else None


def claim(app: Batho, who: Identity, task_id: str) -> None:
    """Take an unclaimed task; claiming one's own task again changes nothing."""
    with app.db.transaction() as session:
        task = _open_task(session, task_id, lock=True)
        if not may_work(who, task):
            raise Forbidden("This task belongs to another role or department.")
        if task.assignee_id is not None and not holds(who, task):
            raise Conflict("Someone else claimed this task a moment ago.")
        if task.assignee_id is not None:
            return
        task.assignee_id = who.id
        session.add(CaseEvent(case_id=task.case_id, instance_id=task.instance_id, kind=EventKind.CLAIMED, at=app.now(),
                              actor_id=who.id, task_name=task.task_name, title=task.title))


def unclaim(app: Batho, who: Identity, task_id: str) -> None:
    """Give a claimed task back to the group."""
    with app.db.transaction() as session:
        task = _open_task(session, task_id, lock=True)
        if task.assignee_id != who.id:
            raise Forbidden("You can only give back a task you hold.")
        task.assignee_id = None
        session.add(CaseEvent(case_id=task.case_id, instance_id=task.instance_id, kind=EventKind.UNCLAIMED,
                              at=app.now(), actor_id=who.id, task_name=task.task_name, title=task.title))


@dataclass(frozen=True)
class Completed:
    """A completed task's case, and whether the process stopped with an error after it (the answers are saved)."""

    reference: str | None
    next_step_stopped: bool = False
    already_done_at: datetime | None = None  # this very form was sent before, by this user, and completed the task


def complete(app: Batho, who: Identity, task_id: str, submitted: dict[str, Any],
             expected_form: str | None = None, token: str | None = None) -> Completed:
    """Check, convert and submit a task's form and run the process on to its next wait; the same form sent again
    (its one-time `token`) completes nothing and says when it was done."""
    try:
        return _complete(app, who, task_id, submitted, expected_form, token)
    except (TaskNotReady, IntegrityError):
        with app.db.reading() as session:
            earlier = submissions.earlier_in(session, submissions.TASK, token)
            if earlier is None or earlier.task_id != task_id or earlier.actor_id != who.id:
                raise
            case = session.get(Case, earlier.case_id) if earlier.case_id else None
            return Completed(case.reference if case else None, already_done_at=earlier.created_at)


def _complete(app: Batho, who: Identity, task_id: str, submitted: dict[str, Any], expected_form: str | None,
              token: str | None) -> Completed:
    with app.db.transaction() as session:
        found = instances.load_with_task(app, session, task_id)  # the task and its instance in one round trip
        if found is None:
            raise TaskNotReady("This task is no longer open: it was completed or cancelled. Your task list is up to "
                               "date.")
        row, running = found
        if not may_work(who, row):
            raise Forbidden("This task belongs to another role or department.")
        if row.assignee_id is not None and not holds(who, row):
            raise Conflict("Someone else holds this task. Ask them or a supervisor to hand it over.")
        acting = acting_for(who, row)  # the audit says for whom a deputy did it
        step = running.workflow.ready_manual_task(task_id)
        if step is None:
            raise TaskNotReady("This task is no longer open: it was completed or cancelled.")
        fields = step.form
        check_signature(fields, expected_form)
        values = validate(fields, submitted)
        named = duplicates.check_in(app, session, running.case, fields, values)
        values = {**values, **duplicates.filled_in(app, session, named)}
        claim = submissions.claim_in(app, session, submissions.TASK, token, who.id)
        if claim is not None:
            claim.task_id, claim.case_id = task_id, row.case_id
        running.workflow.complete(step, values)
        session.add(CaseEvent(case_id=row.case_id, instance_id=row.instance_id, kind=EventKind.COMPLETED, at=app.now(),
                              public=False, actor_id=who.id, task_name=row.task_name, data=values,
                              title=f"{row.title} (acting for {acting.for_name})"[:200] if acting else row.title))
        if running.case is not None:
            duplicates.link_in(app, session, running.case, named, who.id, row.instance_id)
        instances.after_task(app, session, running, step, who.id)
        instances.advance(app, session, running, who.id)
        return Completed(running.case.reference if running.case else None,
                         running.row.status == InstanceStatus.ERROR)
