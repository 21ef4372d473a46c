"""Staff sessions kept on the server: started at sign-in, checked on every request, ended by signing out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ..composition import Batho
from ..models import User, UserSession
from .acting import in_force_in
from .identity import Identity, identity_of
from .signin import sign_in

# A session unused this long is over (the cookie lives as long, see web/__init__.py).
IDLE_LIMIT = timedelta(hours=9)
# Writing "last seen" on every page would make each page a write transaction; every few minutes is precise enough.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and the session id for their cookie (shown once, only its hash is kept)."""

    identity: Identity
    token: str


def start_session(session: Session, user_id: int, now: datetime) -> str:
    """A new session for `user_id` in the caller's transaction; the user's ended sessions are cleared away."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id, or_(
        UserSession.revoked_at.is_not(None), UserSession.last_seen_at < now - IDLE_LIMIT)))
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_digest(token), user_id=user_id, created_at=now, last_seen_at=now))
    return token


def sign_in_with_session(app: Batho, username: str, password: str, address: str | None) -> SignedIn | None:
    """Check the password (throttled) and start a session; None when the password is wrong."""
    who = sign_in(app, username, password, address)
    if who is None:
        return None
    with app.db.transaction() as session:
        return SignedIn(who, start_session(session, who.id, app.now()))


def session_identity(app: Batho, token: str) -> Identity | None:
    """Who a session id belongs to; None when it is unknown, ended, idle too long or its user is disabled."""
    now = app.now()
    with app.db.reading() as session:
        row = session.scalars(select(UserSession).where(UserSession.token_hash == _digest(token))).first()
        if row is None or row.revoked_at is not None or now - row.last_seen_at > IDLE_LIMIT:
            return None
        user = session.get(User, row.user_id)
        if user is None or not user.is_active:
            return None
        who, row_id, stale = identity_of(user, in_force_in(session, user.id, now)), row.id, \
            now - row.last_seen_at > TOUCH_EVERY
    if stale:
        with app.db.transaction() as session:
            session.execute(update(UserSession).where(UserSession.id == row_id).values(last_seen_at=now))
    return who


def end_session(app: Batho, token: str) -> None:
    """Signing out: the session id stops working at once, wherever the cookie was copied to."""
    with app.db.transaction() as session:
        session.execute(update(UserSession).where(UserSession.token_hash == _digest(token),
                                                  UserSession.revoked_at.is_(None)).values(revoked_at=app.now()))


def end_other_sessions(session: Session, user_id: int, keep_token: str, now: datetime) -> int:
    """End every session of `user_id` but the one with `keep_token`, in the caller's transaction."""
    result = session.execute(update(UserSession).where(
        UserSession.user_id == user_id, UserSession.token_hash != _digest(keep_token),
        UserSession.revoked_at.is_(None)).values(revoked_at=now))
    return int(getattr(result, "rowcount", 0) or 0)
