"""The citizen's status page: the public status plus the raw dates, so each language can write them its way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..composition import Batho
from ..models import Case
from .cases import PublicStatus, public_status


@dataclass(frozen=True)
class CitizenStatus:
    """What anyone holding the reference may see (no personal information), with dates as datetimes."""

    public: PublicStatus
    opened_at: datetime
    due_at: datetime | None
    closed_at: datetime | None


def citizen_status(app: Batho, reference: str) -> CitizenStatus:
    """The public status of a case by its reference; NotFound when there is none."""
    public = public_status(app, reference)
    with app.db.reading() as session:
        opened, due, closed = session.execute(select(Case.opened_at, Case.due_at, Case.closed_at)
                                              .where(Case.reference == public.reference)).one()
    return CitizenStatus(public=public, opened_at=opened, due_at=due, closed_at=closed)
