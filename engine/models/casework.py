"""Account-query holds, missed-standard deviations, suggestion slips and scheduled runs (issue 3)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class CreditHold(Base):
    """s102(2): the disputed amount of an account under query; no credit control on it from start to end."""

    __tablename__ = "credit_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    account_number: Mapped[str] = mapped_column(String(30), index=True)
    disputed_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Deviation(Base):
    """A service standard a case missed, with the manager's reason and remedial action (for Council)."""

    __tablename__ = "deviations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    standard: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime | None]
    detected_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    remedial_action: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None]


class SuggestionSlip(Base):
    """One slip from the suggestion box (online or paper), and what became of it."""

    __tablename__ = "suggestion_slips"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind_hint: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    service_area: Mapped[str | None] = mapped_column(String(40))
    staff_or_unit: Mapped[str | None] = mapped_column(String(200))
    citizen_name: Mapped[str | None] = mapped_column(String(200))
    citizen_email: Mapped[str | None] = mapped_column(String(200))
    citizen_phone: Mapped[str | None] = mapped_column(String(40))
    captured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    run_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    classified_as: Mapped[str | None] = mapped_column(String(30))
    spawned_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None]
    public_you_said: Mapped[str | None] = mapped_column(Text)
    public_we_did: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(index=True)


class ScheduledRun(Base):
    """One row per schedule and period (ISO week, year): several workers never start a run twice."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("schedule", "period", name="uq_scheduled_runs_schedule_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
