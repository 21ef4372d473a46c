"""Cases closed as duplicates are counted apart: never resolved, never within the standard (dataset.py plus case I).

Case I: water, technical, web, opened Mon 7 Sep 09:00, closed as a duplicate of A on Tue 8 Sep 10:00, due Fri 11 Sep.
Counted as resolved it would make September 5 closed, 3 of 5 within standard and a resolve median of 5 days;
apart, the September figures stay as dataset.py works them out (4 closed, 2 of 4 within, median 5.5) and
"closed as duplicates" is 1 (technical 1, the other departments 0).
"""

from __future__ import annotations

import pytest

from engine.metrics import service
from engine.metrics.tables import figures_table
from engine.models import Case
from tests.metrics.dataset import due, local
from tests.support.web import Browser
from web import create_app


@pytest.fixture
def with_duplicate(month):
    app, refs = month
    with app.db.transaction() as session:
        session.add(Case(reference="MAF-2026-900009", case_type="complaint", summary="Case I", category="water",
                         department_code="technical", channel="web", opened_at=local(9, 7, 9, 0),
                         ack_due_at=due(9, 8), due_at=due(9, 11), closed_at=local(9, 8, 10, 0), status="duplicate"))
    return app, {**refs, "I": "MAF-2026-900009"}


def test_duplicates_are_not_resolved_cases_and_have_their_own_figure(with_duplicate, people):
    app, _ = with_duplicate
    total = service.dashboard(app, people["manager"], "2026-09").total
    assert (total.opened, total.closed, total.closed_duplicates) == (7, 4, 1)
    assert (total.within_standard, total.with_standard, total.within_standard_share) == (2, 4, 0.5)
    assert (total.resolve_median, total.resolve_p90) == (5.5, 23.0)
    assert total.rating_response_rate == 0.5


def test_duplicates_per_department_and_in_the_drill_down(with_duplicate, people):
    app, refs = with_duplicate
    rows = {r.key: r for r in service.dashboard(app, people["manager"], "2026-09", "department").rows}
    assert (rows["technical"].closed, rows["technical"].closed_duplicates) == (3, 1)
    assert rows["finance"].closed_duplicates == 0
    drilled = service.drill(app, people["manager"], "2026-09", "closed_duplicates")
    assert [line.reference for line in drilled.cases] == [refs["I"]]
    assert refs["I"] not in [line.reference for line in service.drill(app, people["manager"], "2026-09",
                                                                       "within_standard").cases]


def test_the_weekly_series_leaves_duplicates_out(with_duplicate, people):
    app, _ = with_duplicate
    weeks = service.dashboard(app, people["manager"], "2026-09").weeks
    assert sum(w.closed for w in weeks) == 4 and sum(w.within_standard for w in weeks) == 2


def test_the_dashboard_table_and_api_show_closed_as_duplicates(with_duplicate, people):
    app, _ = with_duplicate
    table = figures_table(service.dashboard(app, people["manager"], "2026-09"))
    column = table.headers.index("Closed as duplicates")
    assert table.rows[-1][column] == 1
    assert service.metrics_data(app, people["manager"], "2026-09")["total"]["closed_duplicates"] == 1
    manager = Browser(create_app(app, {"TESTING": True}).test_client())
    assert manager.login("manager").status_code == 302
    page = manager.get("/dashboard/?period=2026-09").get_data(as_text=True)
    assert "Closed as duplicates" in page
