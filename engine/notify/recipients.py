"""Who among the staff hears about a task or an escalation: active users with an email and the right role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Department, Role, User
from ..models.identity import user_departments, user_roles


def staff_with(session: Session, role: str | None, department: str | None) -> list[User]:
    """Active users holding `role` (and `department`, when given) who have an email address."""
    if role is None:
        return []
    query = (select(User).join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
             .where(Role.key == role, User.is_active.is_(True), User.email.is_not(None)))
    if department is not None:
        query = (query.join(user_departments, user_departments.c.user_id == User.id)
                 .join(Department, Department.id == user_departments.c.department_id)
                 .where(Department.code == department))
    return list(session.scalars(query.order_by(User.id)).unique())


def escalation_recipients(session: Session, level: str, department: str | None) -> list[User]:
    """Supervisors of the case's department, or the managers, for an escalation to `level`."""
    if level == "supervisor":
        return staff_with(session, "supervisor", department)
    return staff_with(session, level, None)
