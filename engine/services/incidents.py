"""Instances stopped by an error: an administrator fixes their data and retries, or cancels them with a reason.

Both are audit events on the case (`retried`, `cancelled`) with who did it, when and what changed.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete

from .. import instances
from ..authz import Identity, require_admin
from ..composition import Batho
from ..errors import Conflict, ValidationFailed
from ..models import CaseEvent, HumanTask
from ..models.enums import EventKind, InstanceStatus

NAME_HELP = "Data: write a JSON object of names and values, e.g. {\"category\": \"water\"}."


RETRY_OR_CANCEL = "Only an administrator may retry or cancel a process instance."


def parse_data(text: str) -> dict[str, Any]:
    """The corrected values an administrator typed: a JSON object whose names are data names."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed({"data": f"{NAME_HELP} ({exc.msg} at character {exc.pos}.)"}) from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and k.isidentifier() for k in value):
        raise ValidationFailed({"data": NAME_HELP})
    return value


def retry(app: Batho, who: Identity | None, instance_id: int, data: dict[str, Any]) -> str:
    """Set `data` on the failed step, run it again and on; return the instance's status afterwards."""
    admin = require_admin(who, RETRY_OR_CANCEL)
    with app.db.transaction() as session:
        running = instances.load(app, session, instance_id)
        if running.row.status != InstanceStatus.ERROR:
            raise Conflict("This instance is not stopped by an error (any more). Reload the list.")
        step = running.workflow.retry_failed(data)
        running.workflow = app.codec.reload(running.workflow, running.process)  # drops timers a reset leaves
        session.add(CaseEvent(case_id=running.row.case_id, instance_id=running.row.id, kind=EventKind.RETRIED,
                              at=app.now(), actor_id=admin.id, task_name=step,
                              message=f"Retried after: {running.row.error_message or 'an error'}",
                              data={"changed": sorted(data)}))
        running.row.status, running.row.error_message = InstanceStatus.RUNNING, None
        instances.advance(app, session, running, admin.id, refresh_timers=True)
        return running.row.status


def cancel(app: Batho, who: Identity | None, instance_id: int, reason: str) -> None:
    """Stop a failed instance for good, with the reason; its case is closed and its open tasks removed."""
    admin = require_admin(who, RETRY_OR_CANCEL)
    if not reason.strip() or len(reason) > 2000:
        raise ValidationFailed({"reason": "Reason: say in at most 2000 characters why the instance is cancelled."})
    with app.db.transaction() as session:
        running = instances.load(app, session, instance_id)
        if running.row.status != InstanceStatus.ERROR:
            raise Conflict("Only an instance stopped by an error can be cancelled here. Reload the list.")
        running.row.status, running.row.next_timer_at = InstanceStatus.CANCELLED, None
        running.row.completed_at = app.now()
        session.execute(delete(HumanTask).where(HumanTask.instance_id == instance_id))
        if running.case is not None and running.case.closed_at is None:
            running.case.status, running.case.closed_at = "closed", app.now()
        session.add(CaseEvent(case_id=running.row.case_id, instance_id=running.row.id, kind=EventKind.CANCELLED,
                              at=app.now(), actor_id=admin.id, message=reason.strip(),
                              data={"error": running.row.error_message}))
