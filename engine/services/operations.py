"""What operations watch, read from the database at the moment they ask (so every process and machine agrees)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..composition import Batho
from ..models import Case, HumanTask, Notification, ProcessInstance, ProcessVersion
from ..models.enums import InstanceStatus
from ..schema import MIGRATIONS

# A timer due longer ago than this has waited past a worker pass or two: the worker is behind or stopped.
LATE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Readiness:
    """Whether this process may take traffic, and each reason it may not."""

    database: bool
    migrations: bool
    specs: bool
    problems: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.problems


def _heads() -> set[str]:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return set(ScriptDirectory.from_config(cfg).get_heads())


def readiness(app: Batho) -> Readiness:
    """Database reachable, schema at the newest migration, and the deployed specs parsed in this process."""
    try:
        with app.db.reading() as session:
            current = set(MigrationContext.configure(session.connection()).get_current_heads())
            versions = session.scalar(select(func.count(ProcessVersion.id))) or 0
    except SQLAlchemyError:
        return Readiness(False, False, False, ("The database cannot be reached.",))
    problems = []
    heads = _heads()
    if current != heads:
        problems.append(f"The database is at migration {', '.join(sorted(current)) or 'none'}, not "
                        f"{', '.join(sorted(heads))}: run `batho db upgrade`.")
    specs = versions > 0 and len(app.specs) > 0
    if not specs:
        problems.append("No process specs are loaded: run `batho deploy` (specs are parsed at start-up).")
    return Readiness(True, current == heads, specs, tuple(problems))


@dataclass
class Figures:
    """The gauges of /metrics, each computed by one query."""

    open_tasks: dict[tuple[str, str], int] = field(default_factory=dict)  # (process key, step) -> count
    overdue_cases: int = 0
    outbox: dict[str, int] = field(default_factory=dict)  # status -> count
    timers_due: int = 0
    timers_late: int = 0
    instances_in_error: int = 0
    cases_lodged: int = 0


def figures(app: Batho) -> Figures:
    now = app.now()
    with app.db.reading() as session:
        made = Figures()
        for key, step, count in session.execute(select(HumanTask.process_key, HumanTask.task_name, func.count())
                                                .group_by(HumanTask.process_key, HumanTask.task_name)):
            made.open_tasks[(key, step)] = int(count)
        made.overdue_cases = session.scalar(select(func.count(Case.id)).where(
            Case.closed_at.is_(None), Case.due_at < now)) or 0
        made.cases_lodged = session.scalar(select(func.count(Case.id))) or 0
        for status, count in session.execute(select(Notification.status, func.count()).group_by(Notification.status)):
            made.outbox[status] = int(count)
        running = ProcessInstance.status == InstanceStatus.RUNNING
        made.timers_due = session.scalar(select(func.count(ProcessInstance.id)).where(
            running, ProcessInstance.next_timer_at <= now)) or 0
        made.timers_late = session.scalar(select(func.count(ProcessInstance.id)).where(
            running, ProcessInstance.next_timer_at <= now - LATE_AFTER)) or 0
        made.instances_in_error = session.scalar(select(func.count(ProcessInstance.id)).where(
            ProcessInstance.status == InstanceStatus.ERROR)) or 0
        return made
