"""Health of the running system, for load balancers and monitoring."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..composition import Batho


def database_reachable(app: Batho) -> bool:
    """True when a trivial query on the database succeeds."""
    try:
        with app.db.reading() as session:
            return session.execute(text("SELECT 1")).scalar() == 1
    except SQLAlchemyError:
        return False
