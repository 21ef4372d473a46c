"""Staff accounts made by a test, and putting the demo organisation back afterwards (users, roles, departments are
kept between tests)."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from engine.composition import Batho
from engine.models import Department, Role, User
from engine.models.identity import user_departments, user_roles
from engine.services import identity, staff
from tests.support.database import clear

PASSWORD = "a long test password 42"


def add(app: Batho, username: str, roles: list[str], departments: list[str], name: str = "") -> staff.StaffRow:
    """A staff member with PASSWORD (no change asked for), made as the command line would."""
    values = {"username": username, "full_name": name or username.replace("_", " ").title(), "roles": roles,
              "departments": departments, "password": PASSWORD}
    return staff.add_staff(app, None, values, must_change=False).staff


def restore(app: Batho) -> None:
    """Empty what the test wrote, then remove the users, roles and departments it added."""
    clear(app)
    with app.db.transaction() as session:
        users = select(User.id).where(User.username.not_in(list(identity.DEMO_USERS)))
        roles = select(Role.id).where(Role.key.not_in(list(identity.ROLES)))
        departments = select(Department.id).where(Department.code.not_in(list(identity.DEPARTMENTS)))
        session.execute(update(Department).values(supervisor_id=None))
        session.execute(delete(user_roles).where(user_roles.c.user_id.in_(users) | user_roles.c.role_id.in_(roles)))
        session.execute(delete(user_departments).where(user_departments.c.user_id.in_(users)
                                                       | user_departments.c.department_id.in_(departments)))
        session.execute(delete(User).where(User.id.in_(users)))
        session.execute(delete(Role).where(Role.id.in_(roles)))
        session.execute(delete(Department).where(Department.id.in_(departments)))
        session.execute(update(User).values(is_active=True, must_change_password=False))

