"""The staff case page: summary, timeline, current tasks and holders, notes, and where the process stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..authz import Identity, may_message, may_reassign, may_see_contact, may_set_ward, may_view_case, may_work
from ..composition import Batho
from ..errors import Forbidden, NotFound, ValidationFailed
from ..models import Case, CaseEvent, HumanTask, ProcessInstance, ProcessVersion, User
from ..models.enums import EventKind
from .lookup import case_in
from .photos import PhotoInfo, photos_of
from .places import CasePlace, case_place_in
from .record import Record, hidden_contact, record_in
from .supervision import people_for
from .tasks import _case_summary, case_history

NOTE_KINDS: dict[str, bool] = {EventKind.COMMENT: False, EventKind.MESSAGE: True}  # kind: seen by the citizen
MAX_NOTE = 2000


@dataclass(frozen=True)
class CurrentTask:
    id: str
    title: str
    role: str | None
    department: str | None
    holder: str | None
    due_at: datetime | None
    may_work: bool
    candidates: list[tuple[str, str]]  # (username, full name) a supervisor may hand the task to


@dataclass(frozen=True)
class ProcessPosition:
    """The deployed version an instance runs on and its active and completed BPMN elements."""

    process_key: str
    version: int
    status: str
    active: list[str]
    done: list[str]
    error: str | None
    names: dict[str, str]
    waiting: list[str]  # active events (timers, messages) and enclosing subprocesses, not steps to work on


@dataclass(frozen=True)
class CaseFile:
    reference: str
    summary: dict[str, Any]
    contact: dict[str, str | None] | None
    anonymous: bool
    timeline: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    tasks: list[CurrentTask]
    position: ProcessPosition | None
    may_comment: bool
    may_message: bool
    record: Record = Record()  # each completed step with who, when and what it recorded
    photos: tuple[PhotoInfo, ...] = ()  # thumbnails on the page, each opening the photo
    place: CasePlace | None = None  # the point, ward and town, and open cases of its kind nearby


def _find_case(session: Session, reference: str) -> Case:
    case = case_in(session, reference)
    if case is None:
        raise NotFound("There is no case with that reference.")
    return case


def checked_case(session: Session, who: Identity, reference: str) -> tuple[Case, list[HumanTask]]:
    """The case and its open tasks, or Forbidden when the user's work does not touch it."""
    case = _find_case(session, reference)
    open_tasks = list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)
                                      .order_by(HumanTask.created_at)))
    involved = session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.actor_id == who.id).limit(1)) is not None
    if not may_view_case(who, case.department_code, open_tasks, involved):
        raise Forbidden("This case belongs to another department.")
    return case, open_tasks


def _may_message(who: Identity, case: Case, open_tasks: list[HumanTask]) -> bool:
    holders = {t.assignee_id for t in open_tasks if t.assignee_id}
    return may_message(who, holders, case.department_code)


def _instance(session: Session, case: Case) -> ProcessInstance | None:
    return session.scalars(select(ProcessInstance).where(ProcessInstance.case_id == case.id)
                           .order_by(ProcessInstance.id.desc()).limit(1)).first()


def _position(app: Batho, instance: ProcessInstance | None) -> ProcessPosition | None:
    """Active and completed elements from the instance's saved state (the case page's only workflow load)."""
    if instance is None:
        return None
    position = app.codec.load(instance.state, app.specs.get(instance.version)).position()
    return ProcessPosition(process_key=instance.version.key, version=instance.version.version,
                           status=instance.status, active=position.active, done=position.done,
                           error=instance.error_message, names=position.names, waiting=position.waiting)


def case_file(app: Batho, who: Identity, reference: str) -> CaseFile:
    """Everything the case page shows, checked against the user's role and department."""
    with app.db.reading() as session:
        case, open_tasks = checked_case(session, who, reference)
        holders = {t.assignee_id for t in open_tasks if t.assignee_id}
        names = {i: n for i, n in session.execute(select(User.id, User.full_name).where(User.id.in_(holders)))}
        history = case_history(session, case.id)
        contact = None
        held = {t.candidate_role for t in open_tasks if t.assignee_id == who.id}
        if not case.is_anonymous and may_see_contact(who, held, case.department_code):
            contact = {"name": case.citizen_name, "email": case.citizen_email, "phone": case.citizen_phone,
                       "language": case.citizen_language}
        tasks = [CurrentTask(t.id, t.title, t.candidate_role, t.candidate_department,
                             names.get(t.assignee_id) if t.assignee_id else None, t.due_at, may_work(who, t),
                             people_for(session, t) if may_reassign(who, t, case.department_code) else [])
                 for t in open_tasks]
        return CaseFile(
            photos=tuple(photos_of(session, case.id)),
            reference=case.reference, summary=_case_summary(case), contact=contact, anonymous=case.is_anonymous,
            timeline=history, comments=[e for e in history if e["kind"] == EventKind.COMMENT],
            messages=[e for e in history if e["public"]], tasks=tasks,
            position=_position(app, _instance(session, case)), may_comment=True,
            may_message=_may_message(who, case, open_tasks),
            record=record_in(app, session, case, hidden_contact(case, contact is not None)),
            place=case_place_in(app, session, case, may_set_ward(who, case.department_code, open_tasks)))


def diagram_xml(app: Batho, who: Identity, reference: str) -> str:
    """The BPMN XML of the version the case's process runs on."""
    with app.db.reading() as session:
        case, _ = checked_case(session, who, reference)
        instance = _instance(session, case)
        if instance is None:
            raise NotFound("This case has no process.")
        return bpmn_source(instance.version)


def bpmn_source(version: ProcessVersion) -> str:
    """The file of a deployed version that defines its process."""
    pattern = re.compile(r"<(?:\w+:)?process\b[^>]*\bid=\"" + re.escape(version.key) + "\"")
    for source in version.bpmn_files.values():
        if pattern.search(source):
            return source
    raise NotFound("The diagram of this process version is missing.")


def add_note(app: Batho, who: Identity, reference: str, kind: str, body: str) -> None:
    """An internal comment between staff, or a message the citizen reads on the status page."""
    if kind not in NOTE_KINDS:
        raise ValidationFailed({"kind": "Choose an internal comment or a message to the citizen."})
    text = body.strip()
    if not text:
        raise ValidationFailed({f"{kind}_body": "Write the text first."})
    if len(text) > MAX_NOTE:
        raise ValidationFailed({f"{kind}_body": f"Shorten this to at most {MAX_NOTE} characters "
                                                f"(it has {len(text)})."})
    with app.db.transaction() as session:
        case, open_tasks = checked_case(session, who, reference)
        if NOTE_KINDS[kind] and not _may_message(who, case, open_tasks):
            raise Forbidden("Only staff working this case, customer care and supervisors write to the citizen.")
        session.add(CaseEvent(case_id=case.id, kind=kind, at=app.now(), actor_id=who.id, message=text,
                              public=NOTE_KINDS[kind]))
