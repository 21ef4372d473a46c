"""Finding a case by the reference a person typed: one way, in the caller's session (`newest_version_in`: lodging)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case


def case_in(session: Session, reference: str, lock: bool = False) -> Case | None:
    """The case with `reference` (as typed: spaces around it and lower case do not matter), or None."""
    query = select(Case).where(Case.reference == reference.strip().upper())
    return session.scalars(query.with_for_update() if lock else query).first()
