"""Credentials of other systems: staff API bearer tokens (expiring, revocable) and Open311 api keys."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..authz import Identity, require_admin
from ..composition import Batho
from ..errors import Forbidden, NotFound, ValidationFailed
from ..models import ApiKey, ApiToken, User
from ..models.identity import ActingAppointment, Department, Role
from .acting import in_force_in
from .identity import identity_of
from .signin import sign_in

TOKEN_LIFETIME = timedelta(hours=12)
DEMO_KEY = "demo-key"
# How long a web process trusts the identity it found for a token before reading it again: every API call asked
# the database five times who its caller is. A change to accounts, roles or tokens made in this process forgets
# at once; one made in another web process (a revocation, a deactivation) takes effect there within this time.
IDENTITY_SECONDS = 5.0


class Unauthenticated(Forbidden):
    """No valid credentials were presented (the web layer answers 401)."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def issue_token(app: Batho, username: str, password: str, address: str | None = None,
                lifetime: timedelta = TOKEN_LIFETIME) -> IssuedToken:
    """A new bearer token for a correct username and password, throttled like the web sign-in from `address`."""
    who = None if "\x00" in username + password else sign_in(app, username, password, address)
    if who is None:
        raise Unauthenticated("That username and password do not match.")
    if who.must_change_password:  # a temporary password opens only the password page, not the API
        raise Forbidden("This is a temporary password: sign in on the web and choose your own password first.")
    token = secrets.token_urlsafe(32)
    expires = app.now() + lifetime
    with app.db.transaction() as session:
        session.add(ApiToken(user_id=who.id, token_hash=_digest(token), created_at=app.now(), expires_at=expires))
    return IssuedToken(token, expires)


@dataclass(frozen=True)
class _Known:
    who: Identity
    expires_at: datetime  # the token's own expiry
    clock_at: datetime  # Batho's clock when it was read (a test's clock may jump)
    read_at: float  # time.monotonic() when it was read


class KnownTokens:
    """Identities of recently seen tokens, per process; forgotten when this process changes any account."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], _Known] = {}
        self._lock = threading.Lock()

    def get(self, app: Batho, digest: str) -> Identity | None:
        known = self._known.get((app.db.url, digest))
        if known is None or time.monotonic() - known.read_at > IDENTITY_SECONDS:
            return None
        now = app.now()
        if known.expires_at <= now or abs((now - known.clock_at).total_seconds()) > IDENTITY_SECONDS:
            return None
        return known.who

    def put(self, app: Batho, digest: str, who: Identity, expires_at: datetime) -> None:
        with self._lock:
            if len(self._known) > 10_000:  # many tokens seen once: start again rather than grow
                self._known.clear()
            self._known[(app.db.url, digest)] = _Known(who, expires_at, app.now(), time.monotonic())

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


known_tokens = KnownTokens()
ACCOUNT_ROWS = (User, ApiToken, ActingAppointment, Role, Department)


@event.listens_for(Session, "before_flush")
def _forget_on_account_change(session: Session, _context: Any, _instances: Any) -> None:
    """Any account, role, token or acting appointment this process writes makes it read identities afresh."""
    if any(isinstance(row, ACCOUNT_ROWS) for rows in (session.new, session.dirty, session.deleted) for row in rows):
        known_tokens.forget()


def identify(app: Batho, token: str) -> Identity:
    """The staff member a bearer token belongs to; Unauthenticated when unknown, expired or revoked."""
    digest = _digest(token)
    known = known_tokens.get(app, digest)
    if known is not None:
        return known
    with app.db.reading() as session:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).first()
        if row is None or row.revoked_at is not None or row.expires_at <= app.now():
            raise Unauthenticated("Your token is unknown, expired or revoked. Ask for a new one at /api/v1/auth/token.")
        user = session.get(User, row.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("This account is no longer active.")
        who = identity_of(user, in_force_in(session, user.id, app.now()))
    known_tokens.put(app, digest, who, row.expires_at)
    return who


def revoke_token(app: Batho, token: str) -> None:
    """Revoke a bearer token at once (signing out of the API)."""
    with app.db.transaction() as session:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
        if row is None:
            raise Unauthenticated("That token is unknown.")
        if row.revoked_at is None:
            row.revoked_at = app.now()


def revoke_tokens_of(app: Batho, who: Identity, username: str) -> int:
    """An administrator revokes every token of a user; return how many were live."""
    require_admin(who, "Only an administrator can revoke another person's tokens.")
    with app.db.transaction() as session:
        user = session.scalars(select(User).where(User.username == username)).first()
        if user is None:
            raise NotFound(f"There is no user called {username!r}.")
        rows = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                           ApiToken.revoked_at.is_(None))))
        for row in rows:
            row.revoked_at = app.now()
        return len(rows)


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


def issue_api_key(app: Batho, who: Identity | None, name: str, key: str | None = None) -> str:
    """An administrator issues an Open311 api_key to a named client; the key is shown once."""
    if who is not None:  # None: Batho itself (the demo key of seed-demo)
        require_admin(who, "Only an administrator can issue api keys.")
    name = name.strip()
    if not name or len(name) > 120:
        raise ValidationFailed({"name": "Name the application the key is for (at most 120 characters)."})
    key = key or secrets.token_urlsafe(24)
    with app.db.transaction() as session:
        if session.scalars(select(ApiKey.id).where(ApiKey.key_hash == _digest(key))).first() is None:
            session.add(ApiKey(name=name, key_hash=_digest(key), created_by_id=who.id if who else None,
                               created_at=app.now()))
    return key


def revoke_api_key(app: Batho, who: Identity, key_id: int) -> None:
    require_admin(who, "Only an administrator can revoke api keys.")
    with app.db.transaction() as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            raise NotFound("There is no such api key.")
        row.revoked_at = row.revoked_at or app.now()


def api_keys(app: Batho) -> list[KeyRow]:
    with app.db.reading() as session:
        return [KeyRow(k.id, k.name, k.created_at, k.revoked_at)
                for k in session.scalars(select(ApiKey).order_by(ApiKey.id))]


def check_api_key(app: Batho, key: str | None) -> int:
    """The id of a live api key; Forbidden otherwise (Open311 answers 403)."""
    if not key:
        raise Forbidden("An api_key is required to submit requests. Ask the municipality for one.")
    with app.db.reading() as session:
        row = session.scalars(select(ApiKey).where(ApiKey.key_hash == _digest(key))).first()
        if row is None or row.revoked_at is not None:
            raise Forbidden("This api_key is not valid. Ask the municipality for one.")
        return row.id


def ensure_demo_key(app: Batho) -> None:
    """The demo api key `demo-key` (seed-demo only)."""
    issue_api_key(app, None, "Demo client", DEMO_KEY)
