"""Signing in with throttling per address and per username at an address, counted before the password is checked.

No lock covers a username everywhere: that would let anyone keep a colleague (or the administrator) out by typing
wrong passwords from elsewhere. An attempt is reserved in the database in one write transaction (a row lock on
PostgreSQL, BEGIN IMMEDIATE on SQLite) before the password check, so parallel guesses cannot outrun the count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..composition import Batho
from ..db import insert_new
from ..errors import DomainError
from ..models import LoginThrottle
from .directory import authenticate
from .identity import Identity


@dataclass(frozen=True)
class Rule:
    """How many attempts a key may make within its window before it is locked."""

    attempts: int
    window: timedelta


PAIR = Rule(attempts=5, window=timedelta(hours=24))  # one username from one address: given back on success
# One office shares an address: it locks only after many more failures than one username does.
ADDRESS = Rule(attempts=30, window=timedelta(hours=1))
FIRST_LOCKOUT = timedelta(minutes=5)
LONGEST_LOCKOUT = timedelta(hours=24)
# Lockouts double while they keep coming; a day after the last one ended, the next starts short again.
FORGIVE_AFTER = timedelta(days=1)


class TooManyAttempts(DomainError):
    """Sign-in refused without checking the password, because of recent failures."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many failed sign-ins. Wait {minutes} minute{'s' if minutes != 1 else ''} and try "
                         "again, or ask the administrator to reset your password.")
        self.minutes = minutes


@dataclass(frozen=True)
class Reservation:
    """An attempt counted before its password check; `locked_address` when it started the address's lockout."""

    pair_key: str
    address_key: str
    locked_address: bool


def _keys(username: str, address: str | None) -> tuple[str, str]:
    where = (address or "unknown")[:100]
    # Hashed: usernames people type can be any length and any characters.
    pair = hashlib.sha256(f"{where}\n{username.strip().lower()}".encode()).hexdigest()
    return f"pair:{pair}", f"addr:{where}"


def _insert_missing(session: Session, keys: list[str], now: datetime) -> None:
    """Create absent rows without racing another transaction that creates them too."""
    rows = [{"key": key, "failures": 0, "window_started_at": now, "lockouts": 0} for key in keys]
    session.execute(insert_new(session, LoginThrottle, "key").values(rows))


def _wait_minutes(rows: list[LoginThrottle], now: datetime) -> int:
    waits = [row.locked_until - now for row in rows if row.locked_until and row.locked_until > now]
    return max(1, -(-int(max(waits).total_seconds()) // 60)) if waits else 0


def _count(row: LoginThrottle, rule: Rule, now: datetime) -> bool:
    """Count one attempt against `row`; True when it reaches the limit and starts a lockout."""
    if row.locked_until and now - row.locked_until > FORGIVE_AFTER:
        row.lockouts = 0
    if now - row.window_started_at > rule.window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures < rule.attempts:
        return False
    row.lockouts += 1
    row.locked_until = now + min(FIRST_LOCKOUT * 2 ** min(row.lockouts - 1, 12), LONGEST_LOCKOUT)
    row.failures, row.window_started_at = 0, now
    return True


def reserve(app: Batho, username: str, address: str | None) -> Reservation:
    """Count an attempt before the password is checked; TooManyAttempts (nothing counted) when locked."""
    pair_key, address_key = _keys(username, address)
    now = app.now()
    with app.db.transaction() as session:
        _insert_missing(session, [address_key, pair_key], now)
        rows = {row.key: row for row in session.scalars(
            select(LoginThrottle).where(LoginThrottle.key.in_([address_key, pair_key]))
            .order_by(LoginThrottle.key).with_for_update())}
        minutes = _wait_minutes(list(rows.values()), now)
        if minutes:
            raise TooManyAttempts(minutes)
        _count(rows[pair_key], PAIR, now)
        return Reservation(pair_key, address_key, _count(rows[address_key], ADDRESS, now))


def give_back(app: Batho, reservation: Reservation) -> None:
    """A correct password: the username's count at this address is cleared, the address's attempt returned."""
    with app.db.transaction() as session:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == reservation.pair_key))
        row = session.get(LoginThrottle, reservation.address_key, with_for_update=True)
        if row is None:
            return
        if reservation.locked_address:  # the attempt that reached the limit was not a failure after all
            row.failures, row.locked_until, row.lockouts = ADDRESS.attempts - 1, None, max(0, row.lockouts - 1)
        else:
            row.failures = max(0, row.failures - 1)


def sign_in(app: Batho, username: str, password: str, address: str | None) -> Identity | None:
    """The identity for a correct username and password (local or the directory's); None when wrong; TooManyAttempts
    when locked; DirectoryUnavailable when only the directory could tell."""
    reservation = reserve(app, username, address)
    who = authenticate(app, username, password)
    if who is not None:
        give_back(app, reservation)
    return who
