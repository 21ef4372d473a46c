"""Account query: every path, the credit-control hold, approval by amount, and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.errors import Forbidden, ValidationFailed
from engine.models import Case, CreditHold
from engine.services import cases
from tests.processes.helpers import HOLDER, QUERY, hold, lodge_query
from tests.support.drive import case, do, open_tasks, public_messages


def test_a_correct_account_gets_a_written_decision_with_the_appeal_right(batho, people):
    reference = lodge_query(batho)
    assert case(batho, reference).department_code == "finance"
    placed = hold(batho, reference)
    assert placed.account_number == "4410023" and placed.disputed_amount == Decimal("1840.50")
    assert placed.ended_at is None
    do(batho, people["billing"], reference, "Task_verify", outcome="correct", verification_notes="Reading matches.")
    do(batho, people["billing"], reference, "Task_explain",
       explanation="Consumption of 32 kl at the step tariff of R24.10 per kl.")
    closed = case(batho, reference)
    assert closed.status == "closed" and closed.closed_at is not None
    decision = public_messages(batho, reference)[-1]
    assert "is correct" in decision and "32 kl" in decision and "21 days" in decision
    ended = hold(batho, reference)
    assert (ended.ended_at - ended.started_at).days == 21


def test_a_small_adjustment_needs_no_approval(batho, people):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Misread meter.")
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="250", adjustment_reason="Misread.",
       corrected_balance="1590.50")
    assert open_tasks(batho, reference) == ["Task_apply"]
    do(batho, people["billing"], reference, "Task_apply", applied_on="2026-11-27", ledger_reference="JNL-77")
    decision = public_messages(batho, reference)[-1]
    # Amounts in notes are written as South Africans read them, with non-breaking spaces (R 1 590,50).
    assert "credited R\u00a0250,00" in decision and "R\u00a01\u00a0590,50" in decision and "21 days" in decision
    assert case(batho, reference).status == "closed"


def test_a_medium_adjustment_goes_to_the_finance_supervisor(batho, people):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Wrong tariff.")
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="5000.00",
       adjustment_reason="Business tariff applied to a home.", corrected_balance="120.00")
    assert open_tasks(batho, reference) == ["Task_approve_supervisor"]
    with pytest.raises(Forbidden):
        do(batho, people["billing"], reference, "Task_approve_supervisor", decision="approve")
    do(batho, people["supervisor_finance"], reference, "Task_approve_supervisor", decision="approve")
    do(batho, people["billing"], reference, "Task_apply", applied_on="2026-11-27", ledger_reference="JNL-78")
    assert case(batho, reference).status == "closed"


def test_a_large_adjustment_goes_to_the_cfo_and_a_rejection_returns_it_for_rework(batho, people):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Duplicate charge.")
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="45000",
       adjustment_reason="Charged twice.", corrected_balance="0")
    assert open_tasks(batho, reference) == ["Task_approve_cfo"]
    with pytest.raises(Forbidden):
        do(batho, people["supervisor_finance"], reference, "Task_approve_cfo", decision="approve")
    with pytest.raises(ValidationFailed) as rejected_without_reason:
        do(batho, people["cfo"], reference, "Task_approve_cfo", decision="reject")
    assert "approval_comment" in rejected_without_reason.value.errors
    do(batho, people["cfo"], reference, "Task_approve_cfo", decision="reject",
       approval_comment="Only one of the two charges was a duplicate.")
    assert open_tasks(batho, reference) == ["Task_adjust"]
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="800",
       adjustment_reason="One duplicate charge.", corrected_balance="44200")
    assert open_tasks(batho, reference) == ["Task_apply"], "R800 needs no approval"
    do(batho, people["billing"], reference, "Task_apply", applied_on="2026-11-27", ledger_reference="JNL-79")
    assert "credited R\u00a0800,00" in public_messages(batho, reference)[-1]


def test_a_verification_reading_goes_back_to_the_clerk(batho, people):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="reading_required", verification_notes="Estimated.")
    assert open_tasks(batho, reference) == ["Task_reading"]
    with pytest.raises(Forbidden):
        do(batho, people["billing"], reference, "Task_reading", meter_reading="1200", reading_date="2026-11-26")
    with pytest.raises(ValidationFailed) as negative:
        do(batho, people["meter"], reference, "Task_reading", meter_reading="-3", reading_date="2026-11-26")
    assert "at least 0" in negative.value.errors["meter_reading"]
    do(batho, people["meter"], reference, "Task_reading", meter_reading="1200.5", reading_date="2026-11-26")
    assert open_tasks(batho, reference) == ["Task_verify"]
    do(batho, people["billing"], reference, "Task_verify", outcome="correct", verification_notes="Reading confirms.")
    do(batho, people["billing"], reference, "Task_explain", explanation="Actual reading 1200.5 kl.")
    assert case(batho, reference).status == "closed"


def _counts(app):
    with app.db.reading() as session:
        return (session.scalar(select(func.count()).select_from(Case)),
                session.scalar(select(func.count()).select_from(CreditHold)))


def test_an_account_query_needs_an_account_number_and_a_contact(batho):
    with pytest.raises(ValidationFailed) as missing:
        cases.lodge(batho, "account_query", {**QUERY, "account_number": ""}, cases.Contact(), "web")
    assert missing.value.errors["account_number"] == "Account number is required."
    assert "email address or a phone number" in missing.value.errors["email"]
    assert _counts(batho) == (0, 0)


@pytest.mark.parametrize("amount, message", [("-5", "at least 0"), ("lots", "Enter an amount in rand"),
                                             ("", "is required")])
def test_a_bad_disputed_amount_is_refused(batho, amount, message):
    with pytest.raises(ValidationFailed) as bad:
        cases.lodge(batho, "account_query", {**QUERY, "disputed_amount": amount}, cases.Contact(**HOLDER), "web")
    assert message in bad.value.errors["disputed_amount"]
    assert _counts(batho) == (0, 0)


def test_an_unknown_query_type_is_refused(batho):
    with pytest.raises(ValidationFailed) as bad:
        cases.lodge(batho, "account_query", {**QUERY, "category": "lottery"}, cases.Contact(**HOLDER), "web")
    assert bad.value.errors["category"].startswith("What is the query about?: Choose one of")
    assert _counts(batho) == (0, 0)


@pytest.mark.parametrize("amount, message", [("-250", "at least 0.01"), ("abc", "Enter an amount in rand"), ("0", "at least 0.01")])
def test_a_negative_or_non_numeric_adjustment_is_refused_and_nothing_moves(batho, people, amount, message):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Misread.")
    with pytest.raises(ValidationFailed) as bad:
        do(batho, people["billing"], reference, "Task_adjust", adjustment_amount=amount, adjustment_reason="x",
           corrected_balance="10")
    assert message in bad.value.errors["adjustment_amount"]
    assert open_tasks(batho, reference) == ["Task_adjust"]
