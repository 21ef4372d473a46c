"""Acting appointments: for a period a deputy works an absent colleague's tasks, with their roles and departments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..authz import Acting, Identity, require_admin
from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..models import User
from ..models.identity import ActingAppointment
from .staff_audit import record_in


def in_force_in(session: Session, deputy_id: int, now: datetime) -> tuple[Acting, ...]:
    """The appointments of `deputy_id` in force at `now`, as the absent people's roles and departments."""
    rows = session.scalars(select(ActingAppointment).where(
        ActingAppointment.deputy_id == deputy_id, ActingAppointment.starts_at <= now,
        ActingAppointment.ends_at > now, ActingAppointment.ended_at.is_(None)).order_by(ActingAppointment.id))
    acting = []
    for row in rows:
        absent = session.get(User, row.absent_id)
        if absent is not None:
            acting.append(Acting(absent.id, absent.full_name, frozenset(absent.role_keys),
                                 frozenset(absent.department_codes)))
    return tuple(acting)


@dataclass(frozen=True)
class AppointmentRow:
    id: int
    absent: str
    absent_name: str
    deputy: str
    deputy_name: str
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None


def appointments(app: Batho) -> list[AppointmentRow]:
    """Every acting appointment, newest period first (the admin page)."""
    absent, deputy = aliased(User), aliased(User)
    with app.db.reading() as session:
        rows = session.execute(select(ActingAppointment, absent, deputy)
                               .join(absent, absent.id == ActingAppointment.absent_id)
                               .join(deputy, deputy.id == ActingAppointment.deputy_id)
                               .order_by(ActingAppointment.starts_at.desc(), ActingAppointment.id.desc()))
        return [AppointmentRow(a.id, x.username, x.full_name, d.username, d.full_name, a.starts_at, a.ends_at,
                               a.ended_at) for a, x, d in rows]


def _user(session: Session, username: str, field: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise ValidationFailed({field: f"There is no staff member with the username {username.strip()!r}."})
    return user


def appoint(app: Batho, who: Identity | None, absent: str, deputy: str, starts_at: datetime | None,
            ends_at: datetime | None) -> int:
    """An administrator names a deputy for an absent staff member from `starts_at` until `ends_at`."""
    if who is not None:
        require_admin(who, "Only an administrator may appoint an acting deputy.")
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Give the first day and time of the absence."
    if ends_at is None:
        errors["ends_at"] = "Give the day and time the absent person is back."
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The end of the period must come after its start."
    if errors:
        raise ValidationFailed(errors, "The acting appointment was not made.")
    assert starts_at is not None and ends_at is not None
    with app.db.transaction() as session:
        away, stand_in = _user(session, absent, "absent"), _user(session, deputy, "deputy")
        if away.id == stand_in.id:
            raise ValidationFailed({"deputy": "Choose someone other than the absent person as the deputy."})
        row = ActingAppointment(absent_id=away.id, deputy_id=stand_in.id, starts_at=starts_at, ends_at=ends_at,
                                created_by_id=who.id if who else None, created_at=app.now())
        session.add(row)
        session.flush()
        record_in(session, app.now(), who, away, "acting",
                  f"{stand_in.full_name} ({stand_in.username}) acts for {away.full_name} from "
                  f"{starts_at:%Y-%m-%d %H:%M} until {ends_at:%Y-%m-%d %H:%M} (UTC).",
                  {"deputy": stand_in.username, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
        return row.id


def end_appointment(app: Batho, who: Identity, appointment_id: int) -> None:
    """An administrator ends an appointment early (the absent person is back)."""
    require_admin(who, "Only an administrator may end an acting appointment.")
    with app.db.transaction() as session:
        row = session.get(ActingAppointment, appointment_id)
        if row is None:
            raise NotFound("There is no such acting appointment.")
        if row.ended_at is None:
            row.ended_at = app.now()
            away, stand_in = session.get(User, row.absent_id), session.get(User, row.deputy_id)
            record_in(session, app.now(), who, away, "acting_ended",
                      f"{stand_in.full_name if stand_in else 'The deputy'} no longer acts for "
                      f"{away.full_name if away else 'the absent person'}.", {"appointment": row.id})
