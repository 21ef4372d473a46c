"""Account-query figures on the hand-built month: adjustments applied (latest amount) and credit-control holds open."""

from __future__ import annotations

from decimal import Decimal

from engine.metrics import service
from engine.models import Case, CaseEvent, CreditHold

from . import dataset


def _account_query(session, number: int, **values) -> Case:
    case = Case(reference=f"MAF-2026-{910000 + number}", case_type="account_query", channel="walk_in",
                category="tariff", department_code="finance", summary="Account query", **values)
    session.add(case)
    session.flush()
    return case


def test_adjustments_count_the_latest_amount_and_holds_count_while_open(month, people):
    app, _ = month
    clerk = people["billing"].id
    with app.db.transaction() as session:
        adjusted = _account_query(session, 1, opened_at=dataset.local(9, 2, 9, 0), closed_at=dataset.local(9, 18, 9, 0),
                                  due_at=dataset.due(9, 16), status="closed")
        for day, amount in ((8, "150.50"), (10, "120.00")):
            session.add(CaseEvent(case_id=adjusted.id, kind="completed", at=dataset.local(9, day, 9, 0), actor_id=clerk,
                                  task_name="Task_adjust", data={"adjustment_amount": amount}))
        session.add(CaseEvent(case_id=adjusted.id, kind="completed", at=dataset.local(9, 15, 9, 0), actor_id=clerk,
                              task_name="Task_apply", data={"ledger_reference": "J-1"}))
        session.add(CreditHold(case_id=adjusted.id, account_number="1001", disputed_amount=Decimal("999.00"),
                               started_at=dataset.local(9, 2, 9, 0), ended_at=dataset.local(9, 18, 9, 0)))
        waiting = _account_query(session, 2, opened_at=dataset.local(9, 21, 9, 0), due_at=dataset.due(10, 5),
                                 status="investigating")
        session.add(CreditHold(case_id=waiting.id, account_number="1002", disputed_amount=Decimal("300.00"),
                               started_at=dataset.local(9, 21, 9, 0)))
    board = service.dashboard(app, people["manager"], "2026-09", "case_type")
    rows = {r.key: r for r in board.rows}
    extras = rows["account_query"].extras
    assert (extras["adjustments"], extras["adjusted_amount"]) == (1, Decimal("120.00"))
    assert (extras["holds_open"], extras["held_amount"]) == (1, Decimal("300.00"))
    assert rows["complaint"].extras["adjustments"] == 0
    assert board.total.extras["holds_open"] == 1
    data = service.metrics_data(app, people["manager"], "2026-09")
    assert data["total"]["adjustments"] == 1 and str(data["total"]["adjusted_amount"]) == "120.00"
