"""The citizen's status page: the public status plus raw dates and note sources, so each language writes its own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..composition import Batho
from ..errors import NotFound
from ..models import CaseEvent
from .cases import PublicStatus, code_matches, public_status
from .lookup import case_in
from .photos import PhotoInfo, photos_of


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
    # With the access code: the updates and the rating form. With the reference alone: the status and dates only.
    code: str | None = None
    photos: tuple[PhotoInfo, ...] = ()  # the citizen's own photos, with the access code only


def _update(event: CaseEvent) -> CitizenUpdate:
    source: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    note = source.get("note")
    due = source.get("due_at")
    return CitizenUpdate(at=event.at, message=event.message or "", note=note if isinstance(note, str) else None,
                         values={str(k): str(v) for k, v in (source.get("values") or {}).items()},
                         due_at=datetime.fromisoformat(due) if isinstance(due, str) else None)


def citizen_status(app: Batho, reference: str, code: str | None = None) -> CitizenStatus:
    """The public status of a case by its reference; NotFound when there is none. Updates (which carry text staff
    wrote) and rating only with the case's access code: references count up and can be guessed."""
    public = public_status(app, reference)
    with app.db.reading() as session:
        case = case_in(session, public.reference)
        if case is None:  # removed since `public_status` read it
            raise NotFound("We could not find a case with that reference. Check it and try again.")
        if not code_matches(case, code):
            return CitizenStatus(public=replace(public, updates=[], can_rate=False), opened_at=case.opened_at,
                                 due_at=case.due_at, closed_at=case.closed_at, updates=[])
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.public.is_(True))
                                 .order_by(CaseEvent.at, CaseEvent.id))
        updates = [_update(e) for e in events]
        photos = tuple(photos_of(session, case.id))
    return CitizenStatus(public=public, opened_at=case.opened_at, due_at=case.due_at, closed_at=case.closed_at,
                         updates=updates, code=case.access_code, photos=photos)
