"""Staff accounts as administrators keep them: add, change roles and departments, disable, enable, reset passwords."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..authz import ADMIN, Identity, require_admin
from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..models import ApiToken, CaseEvent, Department, HumanTask, Role, User, UserSession
from ..models.enums import EventKind
from ..passwords import hash_password
from .account import password_problems
from .staff_audit import record_in

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9 ()-]{6,40}")
# Temporary passwords are read out or typed from a screen: no letters that look alike (l, 1, O, 0).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class StaffRow:
    username: str
    full_name: str
    email: str | None
    phone: str | None
    roles: list[str]
    departments: list[str]
    active: bool
    must_change_password: bool

    def as_dict(self) -> dict[str, Any]:
        return {"username": self.username, "full_name": self.full_name, "email": self.email, "phone": self.phone,
                "roles": self.roles, "departments": self.departments, "active": self.active,
                "must_change_password": self.must_change_password}


@dataclass(frozen=True)
class Changed:
    """A staff member after a change, and the temporary password to show the administrator once (if one was set)."""

    staff: StaffRow
    temporary_password: str | None = None


def row_of(user: User) -> StaffRow:
    return StaffRow(user.username, user.full_name, user.email, user.phone, sorted(user.role_keys),
                    sorted(user.department_codes), user.is_active, user.must_change_password)


def temporary_password() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def _admin(who: Identity | None) -> None:
    if who is not None:  # None: the server's command line, where whoever runs it already holds the database
        require_admin(who, "Only an administrator may add or change staff accounts.")


def list_staff(app: Batho, who: Identity | None) -> list[StaffRow]:
    _admin(who)
    with app.db.reading() as session:
        return [row_of(u) for u in session.scalars(select(User).order_by(User.is_active.desc(), User.full_name))]


def _find(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise NotFound(f"There is no staff member with the username {username.strip()!r}.")
    return user


def staff_member(app: Batho, who: Identity | None, username: str) -> StaffRow:
    _admin(who)
    with app.db.reading() as session:
        return row_of(_find(session, username))


def _named(session: Session, model: Any, column: Any, wanted: Any, field: str, errors: dict[str, str]) -> list[Any]:
    """The rows `wanted` names by key; an error naming the unknown ones."""
    if not isinstance(wanted, list | tuple) or not all(isinstance(w, str) for w in wanted):
        errors[field] = f"Give {field} as a list of keys."
        return []
    keys = {w.strip() for w in wanted if w.strip()}
    rows = list(session.scalars(select(model).where(column.in_(keys)))) if keys else []
    unknown = sorted(keys - {getattr(r, column.key) for r in rows})
    if unknown:
        known = ", ".join(sorted(session.scalars(select(column))))
        errors[field] = f"Unknown {field}: {', '.join(unknown)}. Choose from: {known}."
    return rows


DETAILS = (("full_name", None, 160, "Give the person's full name (at most 160 characters)."),
           ("email", EMAIL, 200, "Give an email address like name@mafube.gov.za, or leave it empty."),
           ("phone", PHONE, 40, "Give a phone number of digits (and +, spaces), or leave it empty."))


def _detail_ok(name: str, value: Any, pattern: re.Pattern[str] | None, limit: int) -> bool:
    if value is None:
        return name != "full_name"
    if not isinstance(value, str) or len(value.strip()) > limit:
        return False
    text = value.strip()
    if not text:
        return name != "full_name"
    return pattern is None or bool(pattern.fullmatch(text))


def _details(values: dict[str, Any], errors: dict[str, str]) -> dict[str, str | None]:
    """Full name, email and phone as given (only those present), checked."""
    out: dict[str, str | None] = {}
    for name, pattern, limit, sentence in DETAILS:
        if name not in values:
            continue
        if _detail_ok(name, values[name], pattern, limit):
            out[name] = (values[name] or "").strip() or None
        else:
            errors[name] = sentence
    return out


ADDED = frozenset({"username", "full_name", "email", "phone", "roles", "departments", "password"})
CHANGED = frozenset({"full_name", "email", "phone", "roles", "departments", "active", "password"})


def _unknown(values: dict[str, Any], allowed: frozenset[str], errors: dict[str, str]) -> None:
    for name in sorted(set(values) - allowed)[:5]:
        errors[str(name)[:80]] = f"Batho does not know this field. Send only: {', '.join(sorted(allowed))}."


def _password(username: str, password: Any, errors: dict[str, str]) -> str | None:
    if password is None or password == "":
        return None
    if not isinstance(password, str):
        errors["password"] = "Give the password as text."
        return None
    problem = password_problems(username, password, password).get("new")
    if problem:
        errors["password"] = problem
    return password


def add_staff(app: Batho, who: Identity | None, values: dict[str, Any], *, must_change: bool = True) -> Changed:
    """A new account; without a password a temporary one is made. A password an administrator set (or made)
    must be changed at the first sign-in, except the first administrator's own (`must_change` False)."""
    _admin(who)
    errors: dict[str, str] = {}
    _unknown(values, ADDED, errors)
    username = values.get("username")
    if not isinstance(username, str) or not USERNAME.fullmatch(username.strip()):
        errors["username"] = ("Give a username of 2 to 80 small letters, digits, dots, dashes or underscores, "
                              "starting with a letter or digit.")
        username = ""
    username = username.strip()
    details = _details({"full_name": values.get("full_name"), **{k: values[k] for k in ("email", "phone")
                                                                 if k in values}}, errors)
    password = _password(username, values.get("password"), errors)
    with app.db.transaction() as session:
        roles = _named(session, Role, Role.key, values.get("roles", []), "roles", errors)
        departments = _named(session, Department, Department.code, values.get("departments", []), "departments",
                             errors)
        if username and session.scalars(select(User.id).where(User.username == username)).first() is not None:
            errors["username"] = f"The username {username!r} is taken. Choose another."
        if errors:
            raise ValidationFailed(errors, "The staff member was not added.")
        temporary = None if password else temporary_password()
        user = User(username=username, full_name=details["full_name"], email=details.get("email"),
                    phone=details.get("phone"), password_hash=hash_password(password or temporary or ""),
                    roles=roles, departments=departments, must_change_password=must_change or bool(temporary),
                    created_at=app.now())
        session.add(user)
        session.flush()
        record_in(session, app.now(), who, user, "added",
                  f"Added {user.full_name} ({username}) with roles {_list(roles, 'key')} and departments "
                  f"{_list(departments, 'code')}.", {"roles": sorted(user.role_keys),
                                                     "departments": sorted(user.department_codes)})
        return Changed(row_of(user), temporary)


def _list(rows: list[Any], attribute: str) -> str:
    return ", ".join(sorted(getattr(r, attribute) for r in rows)) or "none"


def end_access_in(session: Session, user: User, now: Any) -> None:
    """Every session and API token of `user` ends at once (disabled, or a new password from an administrator)."""
    session.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
                    .values(revoked_at=now))
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))


def _release_tasks_in(session: Session, who: Identity | None, user: User, now: Any) -> int:
    """The tasks `user` claimed go back to their group, each with an audit event on its case."""
    tasks = list(session.scalars(select(HumanTask).where(HumanTask.assignee_id == user.id).with_for_update()))
    for task in tasks:
        task.assignee_id = None
        session.add(CaseEvent(case_id=task.case_id, instance_id=task.instance_id, kind=EventKind.UNCLAIMED, at=now,
                              actor_id=who.id if who else None, task_name=task.task_name, title=task.title,
                              message=f"Back to the group: the account of {user.full_name} was disabled.",
                              data={"reason": "account_disabled", "username": user.username}))
    return len(tasks)


def _set_active(session: Session, who: Identity | None, user: User, active: bool, now: Any) -> None:
    if active == user.is_active:
        return
    if not active and who is not None and who.id == user.id:
        raise ValidationFailed({"active": "You cannot disable your own account; ask another administrator."})
    user.is_active = active
    if active:
        record_in(session, now, who, user, "enabled", f"Enabled the account of {user.full_name}.")
        return
    end_access_in(session, user, now)
    released = _release_tasks_in(session, who, user, now)
    record_in(session, now, who, user, "disabled", f"Disabled the account of {user.full_name}: signed out "
              f"everywhere, API tokens revoked, {released} claimed task(s) back to their groups.",
              {"released_tasks": released})


def _set_grants(session: Session, who: Identity | None, user: User, roles: list[Role] | None,
                departments: list[Department] | None, now: Any) -> None:
    if roles is not None and {r.key for r in roles} != user.role_keys:
        if who is not None and who.id == user.id and ADMIN not in {r.key for r in roles}:
            raise ValidationFailed({"roles": "You cannot take away your own administrator role."})
        before = sorted(user.role_keys)
        user.roles = roles
        record_in(session, now, who, user, "roles", f"Roles of {user.full_name}: {', '.join(before) or 'none'} → "
                  f"{_list(roles, 'key')}.", {"before": before, "after": sorted(user.role_keys)})
    if departments is not None and {d.code for d in departments} != user.department_codes:
        before = sorted(user.department_codes)
        user.departments = departments
        record_in(session, now, who, user, "departments", f"Departments of {user.full_name}: "
                  f"{', '.join(before) or 'none'} → {_list(departments, 'code')}.",
                  {"before": before, "after": sorted(user.department_codes)})


def _set_password(session: Session, who: Identity | None, user: User, password: str, now: Any) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_access_in(session, user, now)
    record_in(session, now, who, user, "password_reset", f"Reset the password of {user.full_name}: a temporary "
              "password to change at the next sign-in; signed out everywhere, API tokens revoked.")


def change_staff(app: Batho, who: Identity | None, username: str, values: dict[str, Any]) -> Changed:
    """Change what `values` names: full_name, email, phone, roles, departments, active, password
    (`password` None or "reset": a temporary one is made and returned once)."""
    _admin(who)
    errors: dict[str, str] = {}
    _unknown(values, CHANGED, errors)
    details = _details({k: values[k] for k in ("full_name", "email", "phone") if k in values}, errors)
    active = values.get("active")
    if "active" in values and not isinstance(active, bool):
        errors["active"] = "Give active as true or false."
    reset = "password" in values and values["password"] in (None, "reset")
    password = None if reset else _password(username, values.get("password"), errors)
    now = app.now()
    with app.db.transaction() as session:
        user = _find(session, username)
        roles = _named(session, Role, Role.key, values["roles"], "roles", errors) if "roles" in values else None
        departments = (_named(session, Department, Department.code, values["departments"], "departments", errors)
                       if "departments" in values else None)
        if errors:
            raise ValidationFailed(errors, "Nothing was changed.")
        for name, value in details.items():
            if getattr(user, name) != value:
                record_in(session, now, who, user, name, f"{name.replace('_', ' ').capitalize()} of {user.username}: "
                          f"{getattr(user, name) or 'none'} → {value or 'none'}.")
                setattr(user, name, value)
        _set_grants(session, who, user, roles, departments, now)
        if isinstance(active, bool):
            _set_active(session, who, user, active, now)
        temporary = temporary_password() if reset else None
        if temporary or password:
            _set_password(session, who, user, temporary or password or "", now)
        return Changed(row_of(user), temporary)


def reset_password(app: Batho, who: Identity | None, username: str) -> Changed:
    """A temporary password, shown once, to be changed at the next sign-in."""
    return change_staff(app, who, username, {"password": "reset"})


@dataclass(frozen=True)
class OwnAccount:
    """What a staff member sees of their own account: their details, roles and departments by name."""

    staff: StaffRow
    roles: list[str]
    departments: list[str]


def own_account(app: Batho, who: Identity) -> OwnAccount:
    with app.db.reading() as session:
        user = session.get(User, who.id)
        if user is None:
            raise NotFound("Your account no longer exists.")
        return OwnAccount(row_of(user), sorted(r.name for r in user.roles), sorted(d.name for d in user.departments))
