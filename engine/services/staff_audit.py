"""The staff audit: every change to accounts, roles, departments and acting appointments, with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..authz import Identity, require_admin
from ..composition import Batho
from ..models import User
from ..models.identity import StaffAudit

COMMAND_LINE = "the batho command"  # changes made on the server's command line have no signed-in actor


def record_in(session: Session, now: datetime, who: Identity | None, subject: User | None, action: str,
              detail: str, data: dict[str, Any] | None = None) -> None:
    """Write one audit line in the caller's transaction (`who` None: the command line)."""
    session.add(StaffAudit(at=now, actor_id=who.id if who else None, subject_id=subject.id if subject else None,
                           action=action, detail=detail, data=data))


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    subject: str | None
    action: str
    detail: str


def audit_lines(app: Batho, who: Identity | None, limit: int = 200, username: str | None = None) -> list[AuditLine]:
    """The newest audit lines first; of one staff member when `username` is given."""
    if who is not None:
        require_admin(who, "Only an administrator may read the staff audit.")
    actor, subject = aliased(User), aliased(User)
    query = (select(StaffAudit, actor.full_name, subject.username)
             .outerjoin(actor, actor.id == StaffAudit.actor_id).outerjoin(subject, subject.id == StaffAudit.subject_id)
             .order_by(StaffAudit.at.desc(), StaffAudit.id.desc()).limit(limit))
    if username:
        query = query.where(subject.username == username)
    with app.db.reading() as session:
        return [AuditLine(row.at, name or COMMAND_LINE, target, row.action, row.detail)
                for row, name, target in session.execute(query)]
