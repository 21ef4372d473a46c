"""Moving running instances to the newest version of their process: a preview first, then only on confirmation.

The workflow's diff against the new version (engine/bpmn/diffs.py) says whether it may move and what happens to
each open step; after the move a codec round trip clears stale boundary timers, and the normal save re-syncs the
task list and the timer column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import instances
from ..authz import require_owner
from ..bpmn.diffs import migrate_to, plan_migration
from ..composition import Batho
from ..errors import Conflict
from ..lodging import newest_version_in
from ..models import Case, CaseEvent, HumanTask, ProcessInstance, ProcessVersion
from ..models.enums import EventKind, InstanceStatus
from .identity import Identity


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


def _preview_one(app: Batho, session: Session, row: ProcessInstance, target: ProcessVersion) -> InstancePreview:
    workflow = app.codec.load(row.state, app.specs.get(row.version))
    case = session.get(Case, row.case_id) if row.case_id else None
    plan = plan_migration(app.codec.registry, workflow, app.specs.get(target))
    return InstancePreview(row.id, case.reference if case else None, row.version.version, target.version,
                           plan.open_steps, plan.moves, plan.blocked)


def _candidates(session: Session, key: str, target: ProcessVersion) -> list[ProcessInstance]:
    return list(session.scalars(select(ProcessInstance).join(ProcessVersion).where(
        ProcessVersion.key == key, ProcessInstance.status == InstanceStatus.RUNNING,
        ProcessInstance.version_id != target.id)
        .order_by(ProcessInstance.id)))


def preview(app: Batho, who: Identity, key: str) -> list[InstancePreview]:
    """For every running instance of an older version of `key`: what moving it to the newest would do."""
    require_owner(who)
    with app.db.reading() as session:
        target = newest_version_in(session, key)
        return [_preview_one(app, session, row, target) for row in _candidates(session, key, target)]


def _move(app: Batho, session: Session, who: Identity, instance_id: int, target: ProcessVersion) -> None:
    running = instances.load(app, session, instance_id)
    source = running.row.version
    if source.key != target.key or running.row.status != InstanceStatus.RUNNING or source.id == target.id:
        raise Conflict(f"Instance {instance_id} is not a running instance of an older version of {target.name}.")
    process = app.specs.get(target)
    plan = plan_migration(app.codec.registry, running.workflow, process)
    if plan.blocked:
        raise Conflict(f"Instance {instance_id} cannot move: {plan.blocked}")
    holders = {t.task_name: t.assignee_id for t in session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance_id)) if t.assignee_id}
    migrate_to(plan, running.workflow, process)
    # The round trip drops stale boundary timers that the migration can leave behind.
    running.workflow = app.codec.reload(running.workflow, process)
    running.row.version_id, running.row.version, running.process = target.id, target, process
    # Rebuild the task rows: a reset task keeps its id, but its title, lane or form may be new.
    session.execute(delete(HumanTask).where(HumanTask.instance_id == instance_id))
    session.add(CaseEvent(case_id=running.row.case_id, instance_id=instance_id, kind=EventKind.MIGRATED, at=app.now(),
                          actor_id=who.id, title=f"Moved from version {source.version} to {target.version}",
                          data={"from": source.version, "to": target.version, "moves": plan.moves}))
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
            target = newest_version_in(session, key)
            _move(app, session, who, instance_id, target)
            case = session.scalar(select(Case.reference).join(ProcessInstance, ProcessInstance.case_id == Case.id)
                                  .where(ProcessInstance.id == instance_id))
            moved.append(case or f"instance {instance_id}")
    return moved

