"""Process instances: start, load under a lock, run engine steps, and save with optimistic concurrency."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload
from sqlalchemy.orm.exc import StaleDataError

from . import node_actions
from .bpmn import budget, call_binding, external, messages
from .bpmn.specs import ParsedProcess
from .bpmn.workflow import Step, Workflow
from .composition import Batho
from .effects import apply_node_effects
from .errors import DomainError, NotFound, StaleInstance
from .models import Case, CaseEvent, EventWait, ExternalTaskRow, HumanTask, ProcessInstance, ProcessVersion
from .models.enums import EventKind, InstanceStatus
from .tasklist import sync_human_tasks

log = logging.getLogger(__name__)


@dataclass
class Running:
    """An instance loaded for one transaction: its row, its workflow, its parsed process and its case."""

    row: ProcessInstance
    workflow: Workflow
    process: ParsedProcess
    case: Case | None
    # The instance's human-task rows when they were read with it (`load_with_task`): the next save's task-list
    # sync starts from them instead of reading them again. None: the sync reads them.
    task_rows: list[HumanTask] | None = field(default=None, repr=False)
    # The messages and signals it waited for when loaded, which its event_waits rows were written for at its last
    # save (None: not known, the sync reads the rows).
    waits_at_load: set[tuple[str, str]] | None = field(default=None, repr=False)


def start(app: Batho, session: Session, version: ProcessVersion, case: Case | None,
          data: dict[str, Any], actor_id: int | None) -> Running:
    """Create an instance of `version` with `data` and run it to its first wait state."""
    process = app.specs.get(version)
    workflow = app.codec.new(process)
    workflow.seed(data)
    row = ProcessInstance(version_id=version.id, case_id=case.id if case else None, status=InstanceStatus.RUNNING,
                          state=b"{}", serializer_version=app.codec.version, created_at=app.now(),
                          updated_at=app.now())
    row.version = version
    session.add(row)
    session.flush()
    running = Running(row=row, workflow=workflow, process=process, case=case, waits_at_load=set())
    session.add(CaseEvent(case_id=row.case_id, instance_id=row.id, kind=EventKind.STARTED, actor_id=actor_id,
                          at=app.now(), public=False, title=process.name,
                          # What was lodged, for the case record (contact details live on the case, not here).
                          data={"version": version.version,
                                "values": {f.id: data[f.id] for f in process.start_form if f.id in data}}))
    advance(app, session, running, actor_id)
    return running


def load(app: Batho, session: Session, instance_id: int) -> Running:
    """Load an instance for update (row lock where the database has them)."""
    # The instance, its version and its case in one round trip.
    found = session.execute(select(ProcessInstance, Case).outerjoin(Case, Case.id == ProcessInstance.case_id)
                            .where(ProcessInstance.id == instance_id)
                            .with_for_update(of=ProcessInstance)).one_or_none()
    if found is None:
        raise NotFound("That process instance does not exist.")
    row, case = found
    process = app.specs.get(row.version)
    workflow = app.codec.load(row.state, process)
    return Running(row=row, workflow=workflow, process=process, case=case)


# The version a completion needs is its id, key and number: its files (a complaint's are 60 KB of JSON) are read
# only if this process has not parsed the version yet.
VERSION_WITHOUT_FILES = joinedload(ProcessInstance.version).options(
    defer(ProcessVersion.bpmn_files), defer(ProcessVersion.dmn_files), defer(ProcessVersion.form_files))


def load_with_task(app: Batho, session: Session, task_id: str) -> tuple[HumanTask, Running] | None:
    """A human task and its instance for update, in one round trip: the task row, the instance's other task rows,
    the instance and its case (task rows and instance locked where the database has row locks); None when the
    task is gone."""
    instance_of_task = select(HumanTask.instance_id).where(HumanTask.id == task_id).scalar_subquery()
    # Rows locked in id order, so two completions on one instance take the task rows' locks in the same order.
    found = session.execute(select(HumanTask, ProcessInstance, Case)
                            .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
                            .outerjoin(Case, Case.id == ProcessInstance.case_id)
                            .where(HumanTask.instance_id == instance_of_task).order_by(HumanTask.id)
                            .with_for_update(of=(HumanTask, ProcessInstance))
                            .options(VERSION_WITHOUT_FILES)).all()
    task = next((t for t, _, _ in found if t.id == task_id), None)
    if task is None:  # completed or cancelled meanwhile (a waiting lock sees the row gone)
        return None
    _, row, case = found[0]
    process = app.specs.get(row.version)
    workflow = app.codec.load(row.state, process)
    return task, Running(row=row, workflow=workflow, process=process, case=case,
                         task_rows=[t for t, _, _ in found], waits_at_load=_waits(workflow, row.status))


def after_task(app: Batho, session: Session, running: Running, step: Step, actor_id: int | None) -> None:
    """Effects of one finished node (declared in the diagram) on the case and the audit trail."""
    if running.case is not None:
        apply_node_effects(session, running.case, step, running.row.id, actor_id, app.config.timezone, app.now())


def advance(app: Batho, session: Session, running: Running, actor_id: int | None,
            refresh_timers: bool = False, flush: bool = True) -> None:
    """Run engine steps; an error in the diagram stops this instance only, with the message kept. `flush`: as
    `save`'s."""

    def done(step: Step) -> None:
        after_task(app, session, running, step, actor_id)
        if step.is_timer:
            session.add(CaseEvent(case_id=running.row.case_id, instance_id=running.row.id, kind=EventKind.TIMER,
                                  at=app.now(), public=False, task_name=step.element, title=step.name))

    def before(step: Step) -> None:
        # A linked case this node opens starts its process here too (the actions never import this module).
        node_actions.before_node(app, session, running.case, step, actor_id, start)

    try:
        running.workflow.run(before, done, refresh_timers=refresh_timers)
    except DomainError:
        raise  # a declared action refused (e.g. a linked case's data is wrong): the user fixes it, nothing saved
    except Exception as exc:  # a diagram error must not escape as a crash
        mark_error(app, session, running, exc)
    save(app, session, running, flush)


def mark_error(app: Batho, session: Session, running: Running, exc: Exception) -> None:
    # A budget stop and a call to what is not deployed yet say what and where in words; other errors keep their
    # type for the administrator.
    said = isinstance(exc, budget.BudgetExceeded | call_binding.NotDeployedYet)
    message = str(exc) if said else f"{type(exc).__name__}: {exc}"
    log.warning("instance %s (case %s) stopped with an error: %s", running.row.id, running.row.case_id, message)
    running.row.status = InstanceStatus.ERROR
    running.row.error_message = message[:4000]
    session.add(CaseEvent(case_id=running.row.case_id, instance_id=running.row.id, kind=EventKind.ERROR,
                          at=app.now(), public=False, message=message[:4000]))


def save(app: Batho, session: Session, running: Running, flush: bool = True) -> None:
    """Write state, human tasks, timer column and status; a concurrent save makes this one fail.

    `flush=False` leaves the row's UPDATE (and its version check) to the next flush, which a caller saving many
    instances in one transaction does once for them all (the timer pass): a stale row then fails that flush with
    StaleDataError, and the caller rolls the whole transaction back."""
    row, workflow = running.row, running.workflow
    row.state = app.codec.dump(workflow)
    row.serializer_version = app.codec.version
    row.updated_at = app.now()
    row.next_timer_at = workflow.next_timer() if row.status != InstanceStatus.ERROR else None
    if workflow.completed and row.status != InstanceStatus.ERROR:
        row.status = InstanceStatus.COMPLETED
        row.completed_at = app.now()
        if running.case is not None and running.case.closed_at is None:
            running.case.closed_at = app.now()
            session.add(CaseEvent(case_id=running.case.id, instance_id=row.id, kind=EventKind.CLOSED, at=app.now(),
                                  public=False, message=running.case.status))
    try:
        if flush:
            session.flush()  # the version check happens here, before anything else is written
    except StaleDataError:
        raise StaleInstance("Someone else changed this case at the same time. Reload it and try again.") from None
    sync_human_tasks(session, workflow, row.id, row.version.key, running.case, app.now(), app.specs.unassigned_role,
                     running.task_rows)
    running.task_rows = None  # the sync changed them: a later save in this transaction reads them afresh
    sync_event_waits(session, running)
    sync_external_tasks(app, session, running)


def _waits(workflow: Workflow, status: str) -> set[tuple[str, str]]:
    return messages.waits(workflow) if status == InstanceStatus.RUNNING else set()


def sync_event_waits(session: Session, running: Running) -> None:
    """Keep the rows of the messages and signals the instance waits for in step with its workflow."""
    row = running.row
    wanted = _waits(running.workflow, row.status)
    if not wanted and running.waits_at_load == set():
        return  # it waited for none when loaded, so it has no rows, and waits for none now: nothing to read
    running.waits_at_load = None  # rows written from here on: a later save in this transaction reads them
    kept = session.scalars(select(EventWait).where(EventWait.instance_id == row.id)).all() if row.id else []
    have = {(w.kind, w.name): w for w in kept}
    for key, wait in have.items():
        if key not in wanted:
            session.delete(wait)
    for kind, name in sorted(wanted - set(have)):
        session.add(EventWait(instance_id=row.id, kind=kind, name=name[:200]))


def sync_external_tasks(app: Batho, session: Session, running: Running) -> None:
    """Keep the rows of the external tasks the instance waits for in step with its workflow (a row keeps its lock
    and retries while its task waits)."""
    row, process = running.row, running.process
    if not external.declares([process.spec, *process.subprocess_specs.values()]):
        return
    wanted = {w.id: w for w in external.waiting(running.workflow)} if row.status == InstanceStatus.RUNNING else {}
    kept = session.scalars(select(ExternalTaskRow).where(ExternalTaskRow.instance_id == row.id)).all()
    for task in kept:
        if task.id not in wanted:
            session.delete(task)
    for task_id in sorted(set(wanted) - {t.id for t in kept}):
        w = wanted[task_id]
        session.add(ExternalTaskRow(id=task_id, instance_id=row.id, process_key=row.version.key[:200],
                                    element=w.element[:200], topic=w.topic[:200], created_at=app.now()))
