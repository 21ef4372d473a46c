"""Every dashboard figure computed on the hand-built month (see dataset.py) and compared with the hand count."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Forbidden, ValidationFailed
from engine.metrics import service
from engine.models import Case


def test_acknowledgement_time_is_kept_from_the_first_claim_or_completion_by_a_person(month):
    app, refs = month
    with app.db.reading() as session:
        acked = dict(session.execute(select(Case.reference, Case.acknowledged_at)).all())
    assert acked[refs["B"]] is not None and acked[refs["B"]].isoformat() == "2026-09-25T06:00:00+00:00"
    assert acked[refs["D"]] is None  # escalation events are not a person acting


def test_totals_for_september(month, people):
    app, _ = month
    board = service.dashboard(app, people["manager"], "2026-09")
    total = board.total
    assert (total.opened, total.closed, total.open_now) == (6, 4, 4)
    assert (total.acknowledged, total.acknowledged_in_time) == (4, 4)
    assert (total.ack_median, total.ack_p90) == (1.0, 2.0)
    assert (total.resolve_median, total.resolve_p90) == (5.5, 23.0)
    assert (total.within_standard, total.with_standard, total.within_standard_share) == (2, 4, 0.5)
    assert total.overdue_now == 1
    assert total.overdue_bands == {"1-5": 0, "6-10": 0, "11-20": 1, "over 20": 0}
    assert total.age_bands == {"0-5": 2, "6-10": 0, "11-20": 1, "21-60": 1, "over 60": 0}
    assert (total.escalations, total.escalated_cases, total.reopened) == (2, 1, 1)
    assert total.survey == {"satisfied": 1, "dissatisfied": 1, "no_response": 1}
    assert total.share_satisfied == 0.5
    assert total.survey_response_rate == pytest.approx(2 / 3)
    assert (total.rated, total.average_rating, total.rating_response_rate) == (2, 3.0, 0.5)


def test_the_previous_period_is_august(month, people):
    app, _ = month
    board = service.dashboard(app, people["manager"], "2026-09")
    assert board.previous.opened == 1 and board.previous.acknowledged == 1 and board.previous.closed == 0


def test_grouped_by_department(month, people):
    app, _ = month
    board = service.dashboard(app, people["manager"], "2026-09", "department")
    rows = {r.key: r for r in board.rows}
    assert set(rows) == {"technical", "community", "finance", "customer_care"}
    technical = rows["technical"]
    assert (technical.opened, technical.closed, technical.open_now) == (4, 3, 2)
    assert (technical.resolve_median, technical.resolve_p90, technical.within_standard) == (5.0, 6.0, 2)
    assert technical.label.startswith("Technical Services")
    assert (rows["community"].overdue_now, rows["community"].escalations) == (1, 2)
    assert (rows["finance"].closed, rows["finance"].reopened, rows["finance"].within_standard) == (1, 1, 0)
    assert (rows["customer_care"].opened, rows["customer_care"].open_now) == (1, 1)


def test_grouped_by_channel_and_category(month, people):
    app, _ = month
    channels = {r.key: r for r in service.dashboard(app, people["manager"], "2026-09", "channel").rows}
    assert {k: r.opened for k, r in channels.items()} == {"web": 2, "phone": 2, "walk_in": 1, "suggestion_box": 1}
    categories = {r.key: r for r in service.dashboard(app, people["manager"], "2026-09", "category").rows}
    assert categories["water"].opened == 2 and categories["water"].closed == 2 and categories["water"].open_now == 1


def test_grouped_by_officer_credits_who_resolved_and_who_first_acted(month, people):
    app, _ = month
    rows = {r.label: r for r in service.dashboard(app, people["manager"], "2026-09", "officer").rows}
    sipho = rows["Sipho Dlamini"]
    assert (sipho.opened, sipho.closed, sipho.resolve_median, sipho.within_standard) == (2, 2, 4.0, 2)
    assert (rows["Thandi Mokoena"].opened, rows["Thandi Mokoena"].closed) == (2, 0)  # triaged A and H, resolved none
    assert rows["Karabo Molefe"].closed == 1


def test_a_year_and_a_financial_year(month, people):
    app, _ = month
    assert service.dashboard(app, people["manager"], "2026").total.opened == 8
    assert service.dashboard(app, people["manager"], "2026/27").total.opened == 8
    assert service.dashboard(app, people["manager"], "2025/26").total.opened == 0


def test_weekly_series(month, people):
    app, _ = month
    weeks = service.dashboard(app, people["manager"], "2026-09").weeks
    assert [w.start.isoformat() for w in weeks] == ["2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21",
                                                     "2026-09-28"]
    assert [w.opened for w in weeks] == [3, 0, 1, 1, 1]
    assert [(w.closed, w.within_standard) for w in weeks] == [(0, 0), (1, 1), (1, 0), (0, 0), (2, 1)]


@pytest.mark.parametrize(("figure", "letters"), [
    ("opened", "ABCDFH"), ("closed", "ABEH"), ("open_now", "CDFG"), ("overdue", "D"),
    ("within_standard", "AB"), ("missed_standard", "EH"), ("acknowledged", "ABCH"), ("escalated", "D"),
    ("reopened", "E"), ("dissatisfied", "E"), ("rated", "AE"), ("age:0-5", "FG"), ("age:21-60", "D"),
    ("overdue:11-20", "D"), ("overdue:1-5", ""),
])
def test_drilling_down_lists_exactly_the_cases_counted(month, people, figure, letters):
    app, refs = month
    found = service.drill(app, people["manager"], "2026-09", figure)
    assert found.total == len(letters)
    assert sorted(c.reference for c in found.cases) == sorted(refs[x] for x in letters)


def test_drilling_into_one_group(month, people):
    app, refs = month
    found = service.drill(app, people["manager"], "2026-09", "closed", "department", "technical")
    assert sorted(c.reference for c in found.cases) == sorted(refs[x] for x in "ABH")
    sipho = str(people["officer"].id)
    found = service.drill(app, people["manager"], "2026-09", "closed", "officer", sipho)
    assert sorted(c.reference for c in found.cases) == sorted(refs[x] for x in "AB")


def test_figures_as_data(month, people):
    app, _ = month
    data = service.metrics_data(app, people["admin"], "2026-09", "department")
    assert data["period"]["first_day"] == "2026-09-01" and data["period"]["start"] == "2026-08-31T22:00:00+00:00"
    assert data["total"]["resolve_median_working_days"] == 5.5
    assert {g["key"]: g["opened"] for g in data["groups"]} == {"community": 1, "customer_care": 1, "finance": 0,
                                                                "technical": 4}


def test_only_supervisors_managers_and_admins_see_figures(month, people):
    app, _ = month
    for username in ("agent", "officer", "billing", "owner"):
        with pytest.raises(Forbidden):
            service.dashboard(app, people[username], "2026-09")


@pytest.mark.parametrize("bad", ["2026-13", "last month", "2026/28", "2026-10-05..2026-10-01"])
def test_a_wrong_period_is_refused_with_a_sentence(month, people, bad):
    app, _ = month
    with pytest.raises(ValidationFailed) as caught:
        service.dashboard(app, people["manager"], bad)
    assert "Period:" in caught.value.errors["period"]


def test_an_unknown_grouping_or_figure_is_refused(month, people):
    app, _ = month
    with pytest.raises(ValidationFailed):
        service.dashboard(app, people["manager"], "2026-09", "colour")
    with pytest.raises(ValidationFailed):
        service.drill(app, people["manager"], "2026-09", "happiness")


def test_anonymous_cases_count_like_any_other(month, people):
    app, refs = month
    with app.db.reading() as session:
        anonymous = {c.reference for c in session.scalars(select(Case)) if c.is_anonymous}
    assert anonymous == {refs[x] for x in "BDFH"}
    opened = {c.reference for c in service.drill(app, people["manager"], "2026-09", "opened").cases}
    assert anonymous <= opened
    assert service.dashboard(app, people["manager"], "2026-09", "channel").total.opened == 6
