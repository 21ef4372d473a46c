"""Cases (what the citizen sees), the human-task read model and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ReferenceCounter(Base):
    """The last reference number handed out in a year."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Case(Base):
    """A complaint, account query or suggestion as the municipality and the citizen know it."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_due", "status", "due_at"),
        Index("ix_cases_type_opened", "case_type", "opened_at"),
        # Open cases near a point (engine/services/places.py) narrow on a latitude band first.
        Index("ix_cases_point", "latitude", "longitude"),
        # Staff search (engine/services/search.py): a reference prefix is a LIKE 'MAF-2026-00%' on PostgreSQL, whose
        # default collation keeps the unique index from serving it; SQLite's GLOB uses the unique index itself.
        Index("ix_cases_reference_prefix", "reference",
              postgresql_ops={"reference": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    # Given to the citizen with the reference: references count up, so the reference alone shows only the status.
    access_code: Mapped[str | None] = mapped_column(String(24))
    case_type: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(40), default="registered")
    category: Mapped[str | None] = mapped_column(String(60))
    department_code: Mapped[str | None] = mapped_column(String(40), index=True)
    priority: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(300))
    # Where (issue 15): the point the citizen pinned or shared, and the ward and town found from it (or set by staff).
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    ward: Mapped[str | None] = mapped_column(String(20), index=True)
    town: Mapped[str | None] = mapped_column(String(60))
    citizen_name: Mapped[str | None] = mapped_column(String(200))
    citizen_email: Mapped[str | None] = mapped_column(String(200))
    citizen_phone: Mapped[str | None] = mapped_column(String(40))
    citizen_language: Mapped[str] = mapped_column(String(5), default="en")
    # Search keys written with the contact (engine/lodging.py): the phone as digits in national form, the email
    # lower case, the account number of an account query (its start form's `account_number`).
    citizen_phone_key: Mapped[str | None] = mapped_column(String(20), index=True)
    citizen_email_key: Mapped[str | None] = mapped_column(String(200), index=True)
    account_number: Mapped[str | None] = mapped_column(String(30), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    ack_due_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]  # first person to act on it (issue 7, engine/models/metrics.py)
    escalation_level: Mapped[str | None] = mapped_column(String(30))
    satisfaction_rating: Mapped[int | None]
    satisfaction_comment: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    parent_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)

    @property
    def is_anonymous(self) -> bool:
        return not (self.citizen_name or self.citizen_email or self.citizen_phone)


class HumanTask(Base):
    """Read model: one row per READY manual task, kept in step with the instance in one transaction."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        Index("ix_human_tasks_candidates", "candidate_role", "candidate_department"),
        Index("ix_human_tasks_assignee_due", "assignee_id", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(100))
    task_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(100))
    candidate_role: Mapped[str | None] = mapped_column(String(40))
    candidate_department: Mapped[str | None] = mapped_column(String(40))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    # camunda:candidateUsers and camunda:candidateGroups (issue 16) as ",alice,bob," and ",role,role:department,"
    # (so one LIKE finds a name); candidate_role and candidate_department above hold the first group or the lane.
    candidate_users: Mapped[str | None] = mapped_column(String(500))
    candidate_groups: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[int | None]  # camunda:priority; Camunda's default is 50, higher is more urgent
    follow_up_at: Mapped[datetime | None]  # camunda:followUpDate


class CaseEvent(Base):
    """Audit trail: every start, completion, claim, timer, escalation and error, with who and when."""

    __tablename__ = "case_events"
    # By instance: the task list's "previous worker" (assignTo previous:<task>) and the ON DELETE SET NULL below.
    __table_args__ = (Index("ix_case_events_case_at", "case_id", "at"),
                      Index("ix_case_events_instance_id", "instance_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))  # the kinds the figures count: partial indexes (scale_indexes.py)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    task_name: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
