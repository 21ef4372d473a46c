"""Account-query figures (issue 3's process and tables): adjustments applied and credit-control holds open.

They are read from the audit trail (the completed `Task_apply` and the latest `Task_adjust` with its amount) and
from the `credit_holds` table when that table is part of the schema.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, cast, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from ..models import Base, Case, CaseEvent
from ..models.enums import EventKind
from .dimensions import Scope, group_key

APPLY_TASK, ADJUST_TASK = "Task_apply", "Task_adjust"
GROUP_KEY: Any = literal_column("group_key")


def available() -> bool:
    return "credit_holds" in Base.metadata.tables


def _row(out: dict[str, Any], key: Any) -> dict[str, Any]:
    extras = out[group_key(key)].extras
    for name, zero in (("adjustments", 0), ("adjusted_amount", Decimal("0.00")), ("holds_open", 0),
                       ("held_amount", Decimal("0.00"))):
        extras.setdefault(name, zero)
    return extras


def adjustments(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    """Adjustments applied in the period: how many, and the total credited (rand)."""
    if not available():
        return
    applied, adjusted, latest = aliased(CaseEvent), aliased(CaseEvent), aliased(CaseEvent)
    last_adjust = (select(func.max(latest.id)).where(latest.case_id == Case.id, latest.kind == EventKind.COMPLETED,
                                                     latest.task_name == ADJUST_TASK).scalar_subquery())
    amount = cast(adjusted.data["adjustment_amount"].as_string(), Numeric(14, 2))
    query = scope.grouped(
        select(func.count(applied.id), func.sum(amount)).select_from(Case)
        .join(applied, applied.case_id == Case.id).outerjoin(adjusted, adjusted.id == last_adjust)
        .where(applied.kind == EventKind.COMPLETED, applied.task_name == APPLY_TASK, applied.at >= scope.start,
               applied.at < scope.end))
    for count, total, key in session.execute(query.group_by(GROUP_KEY)):
        extras = _row(out, key)
        extras["adjustments"] += count
        extras["adjusted_amount"] += Decimal(str(total or 0)).quantize(Decimal("0.01"))


def holds(session: Session, scope: Scope, out: dict[str, Any]) -> None:
    """Credit-control holds (s102(2)) open now, and the disputed amount they hold."""
    if not available():
        return
    table = Base.metadata.tables["credit_holds"]
    query = scope.grouped(select(func.count(table.c.id), func.sum(table.c.disputed_amount)).select_from(Case)
                          .join(table, table.c.case_id == Case.id).where(table.c.ended_at.is_(None)))
    for count, total, key in session.execute(query.group_by(GROUP_KEY)):
        extras = _row(out, key)
        extras["holds_open"] += count
        extras["held_amount"] += Decimal(str(total or 0)).quantize(Decimal("0.01"))


def fill_zeroes(out: dict[str, Any]) -> None:
    """Every group shows the account-query figures (zero where nothing happened) once the tables exist."""
    if available():
        for key in list(out):
            _row(out, key)
