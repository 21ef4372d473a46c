"""Moving running instances to the newest version of their process: a preview first, then only on confirmation.

SpiffWorkflow's diff aligns the instance's tasks with the new spec; `migrate_workflow` swaps the specs and resets
the ready and waiting branches (they get new ids, and a reset timer restarts). A serialize/load round trip then
clears stale boundary timers (a known 3.2 bug), and the normal save re-syncs the task list and the timer column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import instances
from ..composition import Batho
from ..errors import Conflict, NotFound
from ..models import Case, CaseEvent, HumanTask, ProcessInstance, ProcessVersion
from .deployment import latest_version
from .identity import Identity
from .modeling import require_owner

OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED
RESET = TaskState.READY | TaskState.WAITING  # what migrate_workflow resets (and so rebuilds on the new spec)


@dataclass(frozen=True)
class InstancePreview:
    """What moving one instance would do; `blocked` says why it cannot move."""

    instance_id: int
    reference: str | None
    from_version: int
    to_version: int
    open_steps: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    blocked: str | None = None


def _title(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name)


def _diffs(app: Batho, running: instances.Running, target: Any) -> tuple[Any, dict[Any, Any], str | None]:
    top, subs = diff_workflow(app.codec.registry, running.workflow, target.spec, target.subprocess_specs)
    # Tasks below a reset branch are rebuilt from the new spec; any other task must still exist in it.
    rebuilt = {d.id for t in running.workflow.get_tasks(state=RESET) for d in t if d.id != t.id}
    removed = [t for t in top.removed if t.id not in rebuilt]
    for sub_id, sub_diff in subs.items():
        if sub_diff is None:
            sub = running.workflow.subprocesses[sub_id]
            return top, subs, f"its subprocess {sub.spec.name} no longer exists in the newest version."
        removed += [t for t in sub_diff.removed if t.id not in rebuilt]
    if removed:
        names = ", ".join(sorted({_title(t) for t in removed}))
        return top, subs, f"steps it has reached or passed were removed ({names}); it stays on its version."
    return top, subs, None


def _describe(running: instances.Running, top: Any, subs: dict[Any, Any]) -> tuple[list[str], list[str]]:
    open_tasks = [t for t in running.workflow.get_tasks(state=OPEN) if getattr(t.task_spec, "bpmn_id", None)]
    changed = {t.id for diff in [top, *subs.values()] if diff is not None for t in diff.changed}
    moves = []
    for task in open_tasks:
        if task.id in changed:
            moves.append(f"{_title(task)}: starts again on the new version (it changed).")
        else:
            moves.append(f"{_title(task)}: stays where it is (unchanged).")
    return sorted({_title(t) for t in open_tasks}), moves


def _preview_one(app: Batho, session: Session, row: ProcessInstance, target: ProcessVersion) -> InstancePreview:
    process = app.specs.get(row.version)
    workflow = app.codec.load(row.state, process.spec, process.subprocess_specs)
    case = session.get(Case, row.case_id) if row.case_id else None
    running = instances.Running(row=row, workflow=workflow, process=process, case=case)
    reference = case.reference if case else None
    top, subs, blocked = _diffs(app, running, app.specs.get(target))
    open_steps, moves = _describe(running, top, subs)
    return InstancePreview(row.id, reference, row.version.version, target.version, open_steps, moves, blocked)


def _candidates(session: Session, key: str, target: ProcessVersion) -> list[ProcessInstance]:
    return list(session.scalars(select(ProcessInstance).join(ProcessVersion).where(
        ProcessVersion.key == key, ProcessInstance.status == "running", ProcessInstance.version_id != target.id)
        .order_by(ProcessInstance.id)))


def preview(app: Batho, who: Identity, key: str) -> list[InstancePreview]:
    """For every running instance of an older version of `key`: what moving it to the newest would do."""
    require_owner(who)
    with app.db.reading() as session:
        target = latest_version(session, key)
        if target is None:
            raise NotFound(f"No process called {key!r} is deployed.")
        return [_preview_one(app, session, row, target) for row in _candidates(session, key, target)]


def _move(app: Batho, session: Session, who: Identity, instance_id: int, target: ProcessVersion) -> None:
    running = instances.load(app, session, instance_id)
    source = running.row.version
    if source.key != target.key or running.row.status != "running" or source.id == target.id:
        raise Conflict(f"Instance {instance_id} is not a running instance of an older version of {target.name}.")
    process = app.specs.get(target)
    top, subs, blocked = _diffs(app, running, process)
    if blocked:
        raise Conflict(f"Instance {instance_id} cannot move: {blocked}")
    _, moves = _describe(running, top, subs)
    holders = {t.task_name: t.assignee_id for t in session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance_id)) if t.assignee_id}
    workflow = running.workflow
    migrate_workflow(top, workflow, process.spec)
    for sub_id, sub_diff in subs.items():
        sub = workflow.subprocesses[sub_id]
        migrate_workflow(sub_diff, sub, process.subprocess_specs[sub.spec.name])
    workflow.subprocess_specs = process.subprocess_specs
    # The round trip drops stale boundary timers that migrate_workflow can leave behind.
    running.workflow = app.codec.load(app.codec.dump(workflow), process.spec, process.subprocess_specs)
    running.row.version_id, running.row.version, running.process = target.id, target, process
    # Rebuild the task rows: a reset task keeps its id, but its title, lane or form may be new.
    session.execute(delete(HumanTask).where(HumanTask.instance_id == instance_id))
    session.add(CaseEvent(case_id=running.row.case_id, instance_id=instance_id, kind="migrated", at=app.now(),
                          actor_id=who.id, title=f"Moved from version {source.version} to {target.version}",
                          data={"from": source.version, "to": target.version, "moves": moves}))
    instances.advance(app, session, running, who.id)
    for task in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id)):
        if task.assignee_id is None and task.task_name in holders:
            task.assignee_id = holders[task.task_name]  # whoever held the step before keeps it


def migrate(app: Batho, who: Identity, key: str, instance_ids: list[int]) -> list[str]:
    """Move the confirmed instances to the newest version of `key`, each in its own transaction."""
    require_owner(who)
    moved = []
    for instance_id in instance_ids:
        with app.db.transaction() as session:
            target = latest_version(session, key)
            if target is None:
                raise NotFound(f"No process called {key!r} is deployed.")
            _move(app, session, who, instance_id, target)
            case = session.scalar(select(Case.reference).join(ProcessInstance, ProcessInstance.case_id == Case.id)
                                  .where(ProcessInstance.id == instance_id))
            moved.append(case or f"instance {instance_id}")
    return moved

