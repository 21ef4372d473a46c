"""Staff mail that gathers several things into one message: new tasks per person, the daily overdue digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import NotifySettings
from ..models import Case, HumanTask, Notification, User
from .context import Context
from .recipients import staff_with
from .staff import staff_message, task_line
from .templates import date_in


def batch_new_tasks(app: Context, settings: NotifySettings) -> int:
    """Turn waiting new-task notices into one message per staff member; return how many were written."""
    with app.db.transaction() as session:
        notices = list(session.scalars(select(Notification).where(Notification.status == "batch")
                                       .order_by(Notification.id).limit(2000).with_for_update(skip_locked=True)))
        oldest = min((n.created_at for n in notices), default=None)
        if oldest is None or oldest > app.now() - timedelta(minutes=settings.task_batch_minutes):
            return 0
        open_ids = set(session.scalars(select(HumanTask.id).where(
            HumanTask.id.in_([(n.data or {}).get("task_id") for n in notices]), HumanTask.assignee_id.is_(None))))
        per_user: dict[int, tuple[User, list[str]]] = {}
        for notice in notices:
            # Batched into the messages below, a notice has done its work (the task's own events are the record):
            # deleted, not kept as "batched" (issue 14: six rows per complaint that nothing read again).
            session.delete(notice)
            data = notice.data or {}
            if data.get("task_id") not in open_ids:
                continue  # already taken or done: nobody needs to hear about it
            due = date_in(datetime.fromisoformat(data["due_at"]) if data.get("due_at") else None, "en",
                          app.config.timezone)
            for user in staff_with(session, data.get("role"), data.get("department")):
                per_user.setdefault(user.id, (user, []))[1].append(
                    task_line(app.config.public_url, data.get("reference"), str(data.get("title")), due))
        span = f"{notices[0].id}-{notices[-1].id}"
        for user, lines in per_user.values():
            session.add(staff_message(app, settings, "new_tasks", user,
                                      {"count": str(len(lines)), "tasks": "\n".join(lines)},
                                      dedupe_key=f"tasks:{span}:{user.id}"))
        return len(per_user)


def _overdue_by_user(session: Session, now: datetime) -> dict[int, tuple[User, list[Any]]]:
    rows = session.execute(select(HumanTask, Case.reference, Case.department_code)
                           .outerjoin(Case, Case.id == HumanTask.case_id)
                           .where(HumanTask.due_at < now).order_by(HumanTask.due_at))
    result: dict[int, tuple[User, list[Any]]] = {}
    for task, reference, department in rows:
        people: list[User] = []
        if task.assignee_id is not None:
            assignee = session.get(User, task.assignee_id)
            people = [assignee] if assignee is not None and assignee.email else []
        else:
            people = staff_with(session, task.candidate_role, task.candidate_department)
        people += staff_with(session, "supervisor", task.candidate_department or department)
        for user in people:
            entry = result.setdefault(user.id, (user, []))
            if (task, reference) not in entry[1]:
                entry[1].append((task, reference))
    return result


def queue_digests(app: Context, settings: NotifySettings) -> int:
    """Once a day, from `digest_hour` local time, one digest of overdue tasks per person concerned."""
    now = app.now()
    local = now.astimezone(ZoneInfo(app.config.timezone))
    if local.hour < settings.digest_hour:
        return 0
    day = local.date().isoformat()
    with app.db.transaction() as session:
        done = set(session.scalars(select(Notification.user_id).where(Notification.kind == "digest",
                                                                      Notification.dedupe_key.like(f"digest:{day}:%"))))
        written = 0
        lines_of: dict[int, list[str]] = defaultdict(list)
        for user_id, (user, items) in _overdue_by_user(session, now).items():
            if user_id in done:
                continue
            for task, reference in items:
                lines_of[user_id].append(task_line(app.config.public_url, reference, task.title,
                                                   date_in(task.due_at, "en", app.config.timezone)))
            session.add(staff_message(app, settings, "digest", user,
                                      {"count": str(len(items)), "tasks": "\n".join(lines_of[user_id]),
                                       "date": date_in(now, "en", app.config.timezone)},
                                      dedupe_key=f"digest:{day}:{user_id}"))
            written += 1
        return written
