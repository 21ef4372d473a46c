"""The citizen's status page: the public status plus raw dates and note sources, so each language writes its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..composition import Batho
from ..models import Case, CaseEvent
from .cases import PublicStatus, public_status


@dataclass(frozen=True)
class CitizenUpdate:
    """A public update: the text as written, and where a diagram wrote it, its template and values."""

    at: datetime
    message: str
    note: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    due_at: datetime | None = None


@dataclass(frozen=True)
class CitizenStatus:
    """What anyone holding the reference may see (no personal information), with dates as datetimes."""

    public: PublicStatus
    opened_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    updates: list[CitizenUpdate]


def _update(event: CaseEvent) -> CitizenUpdate:
    source: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    note = source.get("note")
    due = source.get("due_at")
    return CitizenUpdate(at=event.at, message=event.message or "", note=note if isinstance(note, str) else None,
                         values={str(k): str(v) for k, v in (source.get("values") or {}).items()},
                         due_at=datetime.fromisoformat(due) if isinstance(due, str) else None)


def citizen_status(app: Batho, reference: str) -> CitizenStatus:
    """The public status of a case by its reference; NotFound when there is none."""
    public = public_status(app, reference)
    with app.db.reading() as session:
        case_id, opened, due, closed = session.execute(
            select(Case.id, Case.opened_at, Case.due_at, Case.closed_at)
            .where(Case.reference == public.reference)).one()
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.public.is_(True))
                                 .order_by(CaseEvent.at, CaseEvent.id))
        updates = [_update(e) for e in events]
    return CitizenStatus(public=public, opened_at=opened, due_at=due, closed_at=closed, updates=updates)
