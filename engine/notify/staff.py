"""Messages to staff: an escalation, an assignment, new tasks (batched) and the daily digest of overdue work."""

from __future__ import annotations

from typing import Any

from ..config import NotifySettings
from ..models import Case, CaseEvent, HumanTask, Notification, User
from .context import Context
from .templates import date_in, render


def staff_message(app: Context, settings: NotifySettings, name: str, user: User, values: dict[str, str],
                  **fields: Any) -> Notification:
    """A staff email from `templates/en/staff/<name>.txt` (staff mail is in English)."""
    rendered = render(settings.templates, "en", "staff", [name], {"name": user.full_name, **values})
    if rendered is None:
        raise FileNotFoundError(f"notification template staff/{name}.txt is missing from {settings.templates}")
    now = app.now()
    return Notification(kind=name, audience="staff", channel="email", recipient=user.email or "", language="en",
                        subject=rendered.subject, body=rendered.body, user_id=user.id, created_at=now,
                        next_attempt_at=now, **fields)


def task_line(public_url: str, reference: str | None, title: str, due: str) -> str:
    return f"- {title} ({reference or 'no case'}), due {due}: {public_url}/tasks/"


def escalation_message(app: Context, settings: NotifySettings, case: Case, ev: CaseEvent, user: User) -> Notification:
    values = {"reference": case.reference, "message": ev.message or "", "level": str((ev.data or {}).get("level")),
              "due_date": date_in(case.due_at, "en", app.config.timezone), "url": f"{app.config.public_url}/tasks/"}
    return staff_message(app, settings, "escalation", user, values, case_id=case.id)


def assignment_message(app: Context, settings: NotifySettings, case: Case | None, task: HumanTask,
                       user: User) -> Notification:
    values = {"reference": case.reference if case else "", "title": task.title,
              "due_date": date_in(task.due_at, "en", app.config.timezone),
              "url": f"{app.config.public_url}/tasks/{task.id}"}
    key = f"assign:{task.id}:{user.id}:{app.now().isoformat()}"
    return staff_message(app, settings, "assignment", user, values, case_id=case.id if case else None,
                         dedupe_key=key)
