"""A staff member changes their own password; their other sessions and API tokens end with the old one."""

from __future__ import annotations

from sqlalchemy import update

from ..composition import Batho
from ..errors import ValidationFailed
from ..models import ApiToken, User
from ..passwords import hash_password
from .identity import Identity
from .signin import sign_in
from .user_sessions import end_other_sessions

MIN_LENGTH = 10
MAX_LENGTH = 200
# The passwords people try first; a longer list belongs in a breach-corpus check, not here.
COMMON = frozenset({
    "1234567890", "12345678910", "0123456789", "1111111111", "0000000000", "password12", "password123",
    "password1234", "passw0rd123", "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "abcdefghij",
    "iloveyou12", "letmein123", "welcome123", "welcome2024", "welcome2025", "welcome2026", "changeme123",
    "administrator", "admin12345", "mafube1234", "mafube2026", "municipality", "batho12345", "bathopele1",
    "southafrica", "springbok1", "monday1234", "sunshine12", "football12", "princess12",
})


def password_problems(username: str, new: str, repeat: str) -> dict[str, str]:
    """What is wrong with a new password, as sentences by field (empty when it is acceptable)."""
    if len(new) < MIN_LENGTH:
        return {"new": f"Choose a password of at least {MIN_LENGTH} characters; a few words together work well."}
    if len(new) > MAX_LENGTH:
        return {"new": f"Choose a password of at most {MAX_LENGTH} characters."}
    if new.lower() in COMMON or username.strip().lower() in new.lower():
        return {"new": "That password is too easy to guess (it is a common password or contains your username). "
                       "Choose another."}
    if new != repeat:
        return {"repeat": "The two new passwords are not the same. Type the new password twice."}
    return {}


def change_password(app: Batho, who: Identity, current: str, new: str, repeat: str, *, keep_session: str,
                    address: str | None) -> None:
    """Check the current password (throttled like a sign-in) and the policy, then store the new one.

    Every other session of the user ends, and so do their API tokens: both were opened with the old password,
    and whoever learned it must not keep using them. The session `keep_session` stays signed in.
    """
    errors = password_problems(who.username, new, repeat)
    if sign_in(app, who.username, current, address) is None:
        errors["current"] = "That is not your current password. Type the password you signed in with."
    elif not errors and new == current:
        errors["new"] = "The new password is the same as the current one. Choose a different password."
    if errors:
        raise ValidationFailed(errors, "Your password was not changed.")
    now = app.now()
    with app.db.transaction() as session:
        user = session.get(User, who.id)
        if user is None or not user.is_active:
            raise ValidationFailed({"current": "This account is no longer active."})
        user.password_hash = hash_password(new)
        user.must_change_password = False  # the temporary password an administrator gave is gone
        end_other_sessions(session, who.id, keep_session, now)
        session.execute(update(ApiToken).where(ApiToken.user_id == who.id, ApiToken.revoked_at.is_(None))
                        .values(revoked_at=now))
