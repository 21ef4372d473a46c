"""Ward councillors: the IT office gives a councillor (role `councillor`) the ward whose cases they read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..authz import COUNCILLOR, Identity, require_admin
from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..models import User
from .staff_audit import record_in
from .wards import Ward, wards_for


@dataclass(frozen=True)
class CouncillorWard:
    """What the admin page shows of one account: whether it is a councillor's, and its ward."""

    username: str
    full_name: str
    councillor: bool
    ward: str | None
    choices: list[Ward]


def _wards(app: Batho) -> list[Ward]:
    try:
        return wards_for(app.config).wards
    except (OSError, ValueError):
        return []


def councillor_ward(app: Batho, who: Identity | None, username: str) -> CouncillorWard:
    """The account's ward and the wards of the ward file to choose from (administrators only)."""
    require_admin(who, "Only an administrator may give a councillor their ward.")
    with app.db.reading() as session:
        user = _user(session, username)
        return CouncillorWard(user.username, user.full_name, COUNCILLOR in user.role_keys, user.ward, _wards(app))


def _user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise NotFound(f"There is no staff member with the username {username.strip()!r}.")
    return user


def set_ward(app: Batho, who: Identity | None, username: str, code: str) -> str | None:
    """Give a councillor their ward (a code of the ward file), or take it away with an empty code; audited."""
    require_admin(who, "Only an administrator may give a councillor their ward.")
    code = code.strip()
    wards = {w.code: w for w in _wards(app)}
    if code and code not in wards:
        raise ValidationFailed({"ward": "Choose a ward from the list: that ward is not in the municipality's "
                                        "ward file."})
    with app.db.transaction() as session:
        user = _user(session, username)
        if code and COUNCILLOR not in user.role_keys:
            raise ValidationFailed({"ward": f"{user.full_name} is not a ward councillor: give them the Ward "
                                            "Councillor role first, then their ward."})
        before, user.ward = user.ward, code or None
        detail = (f"Gave {user.full_name} {wards[code].name}." if code
                  else f"Took the ward away from {user.full_name}.")
        record_in(session, app.now(), who, user, "ward", detail, {"from": before, "to": user.ward})
    return user.ward
