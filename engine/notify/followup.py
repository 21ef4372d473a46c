"""Staff hear when the citizen adds information to a case: its holders, else whoever may take its open tasks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import NotifySettings
from ..models import Case, CaseEvent, HumanTask, Notification, User
from .context import Context
from .recipients import staff_with
from .staff import staff_message


def note_recipients(session: Session, case: Case) -> list[User]:
    """The people holding the case's open tasks; where nobody holds one, the staff who may take them (and, with no
    open task at all, the officers of the case's department)."""
    tasks = list(session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)))
    holders = [session.get(User, t.assignee_id) for t in tasks if t.assignee_id is not None]
    people = [u for u in holders if u is not None and u.is_active and u.email]
    if not people:
        lanes = {(t.candidate_role, t.candidate_department) for t in tasks if t.assignee_id is None}
        if not lanes:
            lanes = {("department_officer", case.department_code)}
        people = [u for role, department in sorted(lanes, key=str) for u in staff_with(session, role, department)]
    return list({u.id: u for u in people}.values())


def note_messages(app: Context, settings: NotifySettings, session: Session, case: Case,
                  ev: CaseEvent) -> list[Notification]:
    """An email to each recipient with the citizen's words (staff may read the case: the words are case data)."""
    values = {"reference": case.reference, "title": ev.title or "", "message": ev.message or "",
              "url": f"{app.config.public_url}/cases/{case.reference}"}
    return [staff_message(app, settings, "citizen_note", user, values, case_id=case.id)
            for user in note_recipients(session, case)]
