"""Process insight for process owners: cases waiting at each step now, median time per step, failed instances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree
from sqlalchemy import func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer

from ..authz import Identity, require_insight
from ..bpmn.dialect import safe_xml
from ..composition import Batho
from ..errors import NotFound
from ..models import Case, HumanTask, ProcessInstance, ProcessVersion, StepSpan
from ..models.enums import InstanceStatus
from .distribution import median, percentile
from .period import Period, parse_period
from .service import today

STEP_TYPES = ("userTask", "manualTask", "task")


class hours_between(FunctionElement[Any]):  # noqa: N801 - reads like the SQL it compiles to
    """Whole hours from the first timestamp to the second."""

    type = Integer()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST((julianday({end}) - julianday({start})) * 24 AS INTEGER)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(floor(EXTRACT(EPOCH FROM ({end} - {start})) / 3600) AS INTEGER)"


@dataclass
class Step:
    """One step of the diagram: how many cases wait there now and how long cases stayed there (hours)."""

    id: str
    name: str
    waiting: int = 0
    oldest: datetime | None = None
    completed: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    heat: int = 0


@dataclass(frozen=True)
class Failure:
    instance_id: int
    reference: str | None
    message: str
    since: datetime


@dataclass
class Insight:
    version: ProcessVersion
    versions: list[int]
    period: Period
    steps: list[Step]
    failures: list[Failure]
    bpmn: str


def _steps_of(bpmn: str) -> list[Step]:
    root = safe_xml(bpmn)
    return [Step(el.get("id") or "", el.get("name") or el.get("id") or "") for el in root.iter()
            if isinstance(el.tag, str) and etree.QName(el).localname in STEP_TYPES]


def _waiting(session: Session, version_id: int, steps: dict[str, Step]) -> None:
    query = (select(HumanTask.task_name, func.count(), func.min(HumanTask.created_at))
             .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
             .where(ProcessInstance.version_id == version_id).group_by(HumanTask.task_name))
    for name, count, oldest in session.execute(query):
        step = steps.setdefault(name, Step(name, name))
        step.waiting, step.oldest = count, oldest


def _durations(session: Session, version_id: int, start: datetime, end: datetime, steps: dict[str, Step]) -> None:
    hours = hours_between(StepSpan.started_at, StepSpan.finished_at).label("hours")
    query = (select(StepSpan.task_name, hours, func.count()).where(
        StepSpan.version_id == version_id, StepSpan.finished_at >= start, StepSpan.finished_at < end)
        .group_by(StepSpan.task_name, literal_column("hours")))
    histograms: dict[str, dict[int, int]] = {}
    for name, value, count in session.execute(query):
        histograms.setdefault(name, {})[value] = count
    for name, histogram in histograms.items():
        step = steps.setdefault(name, Step(name, name))
        step.completed = sum(histogram.values())
        step.median_hours, step.p90_hours = median(histogram), percentile(histogram, 0.9)


def _heat(steps: list[Step]) -> None:
    """0 (no time recorded) to 4 (the slowest step of the diagram), so the bottleneck stands out."""
    slowest = max([s.median_hours or 0.0 for s in steps] + [0.0])
    for step in steps:
        if step.median_hours is not None and slowest > 0:
            step.heat = 1 + min(3, int(3 * step.median_hours / slowest))


def _failures(session: Session, version_id: int) -> list[Failure]:
    rows = session.execute(select(ProcessInstance.id, Case.reference, ProcessInstance.error_message,
                                  ProcessInstance.updated_at)
                           .outerjoin(Case, Case.id == ProcessInstance.case_id)
                           .where(ProcessInstance.version_id == version_id,
                                  ProcessInstance.status == InstanceStatus.ERROR)
                           .order_by(ProcessInstance.updated_at))
    return [Failure(i, ref, message or "", at) for i, ref, message, at in rows]


def process_insight(app: Batho, who: Identity | None, key: str, version_number: int | None,
                    period_code: str | None) -> Insight:
    """Waiting cases, step times over the period and failed instances of one version (the newest by default)."""
    require_insight(who)
    period = parse_period(period_code, today(app))
    start, end = period.bounds(app.config.timezone)
    with app.db.reading() as session:
        numbers = list(session.scalars(select(ProcessVersion.version).where(ProcessVersion.key == key)
                                       .order_by(ProcessVersion.version.desc())))
        if not numbers:
            raise NotFound(f"No process called {key!r} is deployed.")
        wanted = version_number if version_number is not None else numbers[0]
        version = session.scalars(select(ProcessVersion).where(ProcessVersion.key == key,
                                                               ProcessVersion.version == wanted)).first()
        if version is None:
            raise NotFound(f"Process {key!r} has no version {wanted}.")
        bpmn = next(iter(version.bpmn_files.values()))
        steps = {s.id: s for s in _steps_of(bpmn)}
        _waiting(session, version.id, steps)
        _durations(session, version.id, start, end, steps)
        failures = _failures(session, version.id)
    ordered = list(steps.values())
    _heat(ordered)
    return Insight(version, numbers, period, ordered, failures, bpmn)


def processes(app: Batho) -> list[tuple[str, str]]:
    """Deployed process keys and names, for choosing one."""
    with app.db.reading() as session:
        rows = session.execute(select(ProcessVersion.key, ProcessVersion.name, ProcessVersion.version)
                               .order_by(ProcessVersion.key, ProcessVersion.version))
        return list({key: (key, name) for key, name, _ in rows}.values())
