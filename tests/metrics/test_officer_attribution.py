"""Officer figures credit who did the work of the step measured, on cases driven through the real services."""

from __future__ import annotations

from engine.metrics import service
from engine.metrics.credit import CREDITS
from tests.support import drive


def _closed_case(batho, people) -> str:
    """Triaged by the agent, investigated and implemented by the officer, answered by the agent, then surveyed."""
    reference = drive.to_response(batho, people)
    drive.do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    assert drive.case(batho, reference).closed_at is not None
    return reference


def _month(batho) -> str:
    return service.today(batho).strftime("%Y-%m")


def test_resolution_credits_the_resolving_officer_not_the_triaging_agent(batho, people):
    reference = _closed_case(batho, people)
    rows = {r.label: r for r in service.dashboard(batho, people["manager"], _month(batho), "officer").rows}
    assert rows["Sipho Dlamini"].closed == 1 and rows["Sipho Dlamini"].resolve_median == 0.0
    assert rows["Thandi Mokoena"].closed == 0
    assert "Naledi Khumalo" not in rows or rows["Naledi Khumalo"].closed == 0  # approving is not resolving
    sipho, thandi = str(people["officer"].id), str(people["agent"].id)
    assert [c.reference for c in service.drill(batho, people["manager"], _month(batho), "closed", "officer",
                                               sipho).cases] == [reference]
    assert service.drill(batho, people["manager"], _month(batho), "closed", "officer", thandi).cases == []


def test_acknowledgement_credits_who_first_acted_and_the_survey_the_answering_agent(batho, people):
    _closed_case(batho, people)
    rows = {r.label: r for r in service.dashboard(batho, people["manager"], _month(batho), "officer").rows}
    thandi, sipho = rows["Thandi Mokoena"], rows["Sipho Dlamini"]
    assert (thandi.opened, thandi.acknowledged) == (1, 1) and (sipho.opened, sipho.acknowledged) == (0, 0)
    assert thandi.survey["satisfied"] == 1 and sipho.survey["satisfied"] == 0


def test_a_case_nobody_resolved_yet_credits_no_one_with_its_closing(batho, people):
    drive.to_investigation(batho, people)
    rows = {r.label: r for r in service.dashboard(batho, people["manager"], _month(batho), "officer").rows}
    assert rows["Thandi Mokoena"].opened == 1 and all(r.closed == 0 for r in rows.values())


def test_every_rule_is_declared_in_one_table():
    assert set(CREDITS) == {"resolve", "acknowledge", "answer", "worked"}
