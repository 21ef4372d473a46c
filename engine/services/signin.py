"""Signing in with throttling: repeated failures for a username or from an address lock it for a while."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..composition import Batho
from ..errors import DomainError
from ..models import LoginThrottle
from .identity import Identity, authenticate

MAX_FAILURES = 5
# One office shares an address: it locks only after many more failures than one username does.
MAX_ADDRESS_FAILURES = 25
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


class TooManyAttempts(DomainError):
    """Sign-in refused without checking the password, because of recent failures."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many failed sign-ins. Wait {minutes} minute{'s' if minutes != 1 else ''} and try "
                         "again, or ask the administrator to reset your password.")
        self.minutes = minutes


def _keys(username: str, address: str | None) -> list[str]:
    keys = [f"user:{username.strip().lower()[:100]}"]
    if address:
        keys.append(f"addr:{address[:100]}")
    return keys


def _locked_minutes(app: Batho, session: Session, keys: list[str]) -> int:
    now = app.now()
    waits = [row.locked_until - now for row in session.scalars(select(LoginThrottle).where(
        LoginThrottle.key.in_(keys))) if row.locked_until and row.locked_until > now]
    return max(1, -(-int(max(waits).total_seconds()) // 60)) if waits else 0


def _count_failure(app: Batho, session: Session, key: str) -> None:
    now = app.now()
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        session.add(LoginThrottle(key=key, failures=1, window_started_at=now))
        return
    if now - row.window_started_at > WINDOW:
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= (MAX_ADDRESS_FAILURES if key.startswith("addr:") else MAX_FAILURES):
        row.locked_until = now + LOCKOUT


def sign_in(app: Batho, username: str, password: str, address: str | None) -> Identity | None:
    """The identity for a correct username and password; None when wrong; TooManyAttempts when locked."""
    keys = _keys(username, address)
    with app.db.reading() as session:
        minutes = _locked_minutes(app, session, keys)
    if minutes:
        raise TooManyAttempts(minutes)
    who = authenticate(app, username, password)
    with app.db.transaction() as session:
        if who is None:
            for key in keys:
                _count_failure(app, session, key)
        else:
            session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[0]))
    return who
