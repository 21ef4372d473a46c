"""Roles and departments as data administrators keep: names, descriptions, a department's categories and supervisor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..authz import Identity, require_admin
from ..composition import Batho
from ..errors import ValidationFailed
from ..models import Department, Role, User
from .identity import ensure_reference_data
from .staff_audit import record_in

KEY = re.compile(r"[a-z][a-z0-9_]{1,39}")


@dataclass(frozen=True)
class RoleRow:
    key: str
    name: str
    description: str
    members: int


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    description: str
    categories: list[str]
    supervisor: str | None
    supervisor_name: str | None
    members: int


def roles(app: Batho) -> list[RoleRow]:
    with app.db.transaction() as session:
        ensure_reference_data(session)
        users = list(session.scalars(select(User).where(User.is_active.is_(True))))
        return [RoleRow(r.key, r.name, r.description or "", sum(r.key in u.role_keys for u in users))
                for r in session.scalars(select(Role).order_by(Role.name))]


def departments(app: Batho) -> list[DepartmentRow]:
    with app.db.transaction() as session:
        ensure_reference_data(session)
        users = list(session.scalars(select(User).where(User.is_active.is_(True))))
        rows = []
        for d in session.scalars(select(Department).order_by(Department.name)):
            boss = session.get(User, d.supervisor_id) if d.supervisor_id else None
            rows.append(DepartmentRow(d.code, d.name, d.description or "", list(d.categories or []),
                                      boss.username if boss else None, boss.full_name if boss else None,
                                      sum(d.code in u.department_codes for u in users)))
        return rows


def _checked(key: str, name: str, description: str, field: str) -> tuple[str, str, str]:
    errors = {}
    key, name, description = key.strip(), name.strip(), description.strip()
    if not KEY.fullmatch(key):
        errors[field] = (f"Give a {field} of 2 to 40 small letters, digits or underscores, starting with a letter "
                         "(diagrams and the API name it by this).")
    if not name or len(name) > 120:
        errors["name"] = "Give a name of at most 120 characters, as people read it."
    if len(description) > 2000:
        errors["description"] = "Keep the description under 2000 characters."
    if errors:
        raise ValidationFailed(errors, "Nothing was saved.")
    return key, name, description


def save_role(app: Batho, who: Identity | None, key: str, name: str, description: str = "") -> None:
    """Add a role, or change the name and description of one (its key, which lanes name, stays)."""
    if who is not None:
        require_admin(who, "Only an administrator may add or change roles.")
    key, name, description = _checked(key, name, description, "key")
    with app.db.transaction() as session:
        role = session.scalars(select(Role).where(Role.key == key)).first()
        other = session.scalars(select(Role).where(Role.name == name, Role.key != key)).first()
        if other is not None:
            raise ValidationFailed({"name": f"The role {other.key} is called {name!r} already. Choose another name."})
        if role is None:
            session.add(Role(key=key, name=name, description=description))
            record_in(session, app.now(), who, None, "role_added", f"Added the role {name} ({key}).")
        elif (role.name, role.description) != (name, description):
            role.name, role.description = name, description
            record_in(session, app.now(), who, None, "role_changed", f"Changed the role {key}: {name}.")


def _supervisor(session: Session, username: str) -> User | None:
    if not username.strip():
        return None
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        raise ValidationFailed({"supervisor": f"There is no staff member with the username {username.strip()!r}."})
    return user


def save_department(app: Batho, who: Identity | None, code: str, name: str, description: str = "",
                    categories: list[str] | None = None, supervisor: str = "") -> None:
    """Add a department, or change its name, description, categories and supervisor (its code stays)."""
    if who is not None:
        require_admin(who, "Only an administrator may add or change departments.")
    code, name, description = _checked(code, name, description, "code")
    wanted = sorted({c.strip() for c in categories or [] if c.strip()})
    with app.db.transaction() as session:
        boss = _supervisor(session, supervisor)
        dept = session.scalars(select(Department).where(Department.code == code)).first()
        if dept is None:
            dept = Department(code=code, name=name)
            session.add(dept)
            action = "department_added"
        else:
            action = "department_changed"
        dept.name, dept.description, dept.categories = name, description, wanted
        dept.supervisor_id = boss.id if boss else None
        record_in(session, app.now(), who, boss, action,
                  f"Department {name} ({code}): categories {', '.join(wanted) or 'none'}; supervisor "
                  f"{boss.full_name if boss else 'none'}.")
