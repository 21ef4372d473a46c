"""Read models for monitoring (MSA s95(h)): the working-day calendar, step spans, and the handler keeping them.

Figures are SQL over indexed tables. Four facts are kept as events are written (by `keep_monitoring_facts`, a
handler of new events listed in the composition root), so no query needs the workflows or a scan of the audit
trail: `cases.acknowledged_at` (the first time a person claimed or completed a task on the case), one
`case_officers` row per person who completed a task on a case, one `survey_answers` row per satisfaction answer,
and one `step_spans` row per completed human task (how long it stood open).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Date, ForeignKey, Index, String, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.util import identity_key

from ..workdays import is_working_day
from .base import Base, utcnow
from .case import Case, CaseEvent, HumanTask
from .enums import ACKNOWLEDGING_KINDS, EventKind
from .process import ProcessInstance


class Recorded(Protocol):
    """What a flush writes, as `engine.events.NewEvents` gives it (models stay below the unit of work)."""

    @property
    def events(self) -> list[CaseEvent]: ...


CALENDAR_START = date(2010, 1, 1)
CALENDAR_END = date(2045, 12, 31)


class WorkDay(Base):
    """One calendar day; `seq` counts the working days from the calendar's start up to and including it.

    Working days between two days = seq(later) - seq(earlier), so SQL can measure durations in working
    days with two joins instead of a loop.
    """

    __tablename__ = "work_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    seq: Mapped[int]
    working: Mapped[bool]


class StepSpan(Base):
    """How long one human task of one instance stood open, written when the task is completed."""

    __tablename__ = "step_spans"
    __table_args__ = (Index("ix_step_spans_process_task_finished", "process_key", "task_name", "finished_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id", ondelete="SET NULL"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    process_key: Mapped[str] = mapped_column(String(100))
    task_name: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]


class CaseOfficer(Base):
    """Each person who completed a task on a case (once per case): figures grouped by officer join this."""

    __tablename__ = "case_officers"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    first_at: Mapped[datetime]


class SurveyAnswer(Base):
    """A satisfaction answer recorded on a case (the `satisfaction` field of a completed task), by when."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime] = mapped_column(index=True)
    answer: Mapped[str] = mapped_column(String(20))


# Indexes on the foundation's tables that the period queries need.
Index("ix_cases_opened_at", Case.opened_at)
Index("ix_cases_closed_at", Case.closed_at)
# (Events by kind or task name: the partial indexes of engine/models/scale_indexes.py; 0026 dropped kind_at, task_at.)
SURVEY_ANSWERS = ("satisfied", "dissatisfied", "no_response")
ANSWERS_ADDED = "survey_answers_added"  # session.info: ids of the survey answers this transaction wrote


def calendar_rows(start: date = CALENDAR_START, end: date = CALENDAR_END) -> list[dict[str, Any]]:
    """The work_days rows from `start` to `end` inclusive (seq counts from `start`)."""
    rows, seq, day = [], 0, start
    while day <= end:
        working = is_working_day(day)
        seq += 1 if working else 0
        rows.append({"day": day, "seq": seq, "working": working})
        day += timedelta(days=1)
    return rows


def _acknowledge(session: Session, item: CaseEvent, at: datetime) -> None:
    if item.case_id is not None and item.actor_id is not None and item.kind in ACKNOWLEDGING_KINDS:
        session.connection().execute(update(Case).where(Case.id == item.case_id, Case.acknowledged_at.is_(None))
                                     .values(acknowledged_at=at).execution_options(synchronize_session=False))


def _officer(session: Session, item: CaseEvent, at: datetime) -> None:
    if item.kind == EventKind.COMPLETED and item.case_id is not None and item.actor_id is not None:
        conn = session.connection()  # one statement: the officer's first completion on the case is kept, no other
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(CaseOfficer).values(case_id=item.case_id, user_id=item.actor_id, first_at=at)
                     .on_conflict_do_nothing(index_elements=["case_id", "user_id"]))


def _survey_answer(session: Session, item: CaseEvent, at: datetime) -> None:
    answer = item.data.get("satisfaction") if item.kind == EventKind.COMPLETED and isinstance(item.data, dict) else None
    if item.case_id is not None and answer in SURVEY_ANSWERS:
        added = session.connection().execute(insert(SurveyAnswer).values(case_id=item.case_id, answered_at=at,
                                                                          answer=answer).returning(SurveyAnswer.id))
        session.info.setdefault(ANSWERS_ADDED, set()).add(added.scalar_one())  # the roll-ups' "before" leaves it out


def _loaded_task(session: Session, item: CaseEvent) -> tuple[datetime, str, int | None] | None:
    """The completed task's opening time, process key and version from the rows the completion loaded (its task
    rows and instance are in the session: no statement), or None when they are not there. Of several rows of the
    task's name (a loop's, or one this transaction opened again) the oldest is the one completed."""
    instance = session.identity_map.get(identity_key(ProcessInstance, item.instance_id))
    if not isinstance(instance, ProcessInstance):
        return None
    found = [obj for obj in session.identity_map.values()
             if isinstance(obj, HumanTask) and obj.instance_id == item.instance_id and obj.task_name == item.task_name]
    if not found:
        return None
    task = min(found, key=lambda t: t.created_at)
    return task.created_at, task.process_key, instance.version_id


def _step_span(session: Session, item: CaseEvent, at: datetime) -> None:
    if item.kind != EventKind.COMPLETED or item.instance_id is None or not item.task_name:
        return
    conn = session.connection()
    found = _loaded_task(session, item)
    if found is None:
        tasks, instances = HumanTask.__table__, ProcessInstance.__table__
        # The task's row still stands: it is deleted after the event, later in the same transaction.
        row = conn.execute(select(tasks.c.created_at, tasks.c.process_key, instances.c.version_id)
                           .join(instances, instances.c.id == tasks.c.instance_id)
                           .where(tasks.c.instance_id == item.instance_id, tasks.c.task_name == item.task_name)
                           .limit(1)).first()
        found = None if row is None else (row.created_at, row.process_key, row.version_id)
    if found is not None:
        started_at, process_key, version_id = found
        conn.execute(insert(StepSpan).values(
            instance_id=item.instance_id, version_id=version_id, case_id=item.case_id, process_key=process_key,
            task_name=item.task_name, started_at=started_at, finished_at=at))


def keep_monitoring_facts(session: Session, new: Recorded) -> None:
    """Acknowledgement times, case officers, survey answers and step spans follow the new case events."""
    for item in new.events:
        at = item.at or utcnow()
        _acknowledge(session, item, at)
        _officer(session, item, at)
        _survey_answer(session, item, at)
        _step_span(session, item, at)
