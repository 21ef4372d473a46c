"""The Council report and the public transparency page on the hand-built month."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import Forbidden
from engine.metrics import report, transparency
from engine.models import Case, Deviation, SuggestionSlip
from web import create_app

from . import dataset


@pytest.fixture
def council(month, people):
    """The month plus two deviations (one explained) and one published suggestion outcome."""
    app, refs = month
    with app.db.transaction() as session:
        ids = dict(session.execute(select(Case.reference, Case.id)).all())
        session.add(Deviation(case_id=ids[refs["E"]], standard="resolution", due_at=dataset.due(9, 10),
                              detected_at=dataset.local(9, 11, 0, 1), reason="Meter readings were late",
                              remedial_action="A second meter reader from October", recorded_by_id=people["manager"].id,
                              recorded_at=dataset.local(9, 14, 9, 0)))
        session.add(Deviation(case_id=ids[refs["H"]], standard="resolution", due_at=dataset.due(9, 11),
                              detected_at=dataset.local(9, 12, 0, 1)))
        session.add(SuggestionSlip(channel="paper", received_at=dataset.local(9, 4, 9, 0), text="Fix the tap at the hall",
                                   service_area="community", citizen_name="Private Person",
                                   handled_at=dataset.local(9, 11, 10, 0),
                                   public_you_said="The tap at the community hall leaks.",
                                   public_we_did="We replaced the tap on 15 September.",
                                   published_at=dataset.local(9, 18, 10, 0)))
    return app, refs


def test_the_monthly_report_holds_standards_deviations_suggestions_and_trends(council, people):
    app, refs = council
    found = report.council_report(app, people["manager"], "2026-09")
    assert (found.total.opened, found.total_before.opened) == (6, 1)
    depts = {d.key: d for d in found.departments}
    assert depts["technical"].now.within_standard == 2 and depts["technical"].below_target
    water = next(s for s in depts["technical"].standards if s.standard.category == "water")
    assert (water.standard.resolution_days, water.now.closed, water.now.within_standard) == (5, 2, 1)
    assert [d.reference for d in found.deviations] == [refs["E"], refs["H"]]
    assert found.deviations_without_reason == 1
    assert [s.we_did for s in found.suggestions] == ["We replaced the tap on 15 September."]
    assert (found.slips_received, found.slips_handled) == (1, 1)
    assert [w.opened for w in found.trend] == [3, 0, 1, 1, 1]


def test_the_yearly_report_runs_by_month(council, people):
    app, _ = council
    found = report.council_report(app, people["admin"], "2026")
    assert found.yearly and len(found.trend) == 12
    assert [w.opened for w in found.trend][7:10] == [1, 6, 1]


def test_the_report_page_prints_without_personal_information(council, people):
    app, refs = council
    client = create_app(app, {"TESTING": True}).test_client()
    from tests.support.web import Browser

    browser = Browser(client)
    browser.login("manager")
    page = client.get("/reports/council?period=2026-09").get_data(as_text=True)
    assert "Report to Council" in page and "A second meter reader from October" in page
    assert "We replaced the tap" in page and "Not yet recorded" in page and "@media print" not in page
    for private in ("Jane Citizen", "Private Person", "jane@example.org", "082 555 0101"):
        assert private not in page
    yearly = client.get("/reports/council?period=2026").get_data(as_text=True)
    assert "annual review of the Customer Care Policy" in yearly


def test_only_monitoring_roles_get_the_report(council, people):
    app, _ = council
    with pytest.raises(Forbidden):
        report.council_report(app, people["officer"], "2026-09")


def test_the_transparency_page_is_public_and_anonymous(council):
    app, refs = council
    figures = transparency.public_figures(app)
    assert figures.month.code == "2026-09" and figures.month_total.opened == 6
    assert figures.year.first.isoformat() == "2026-07-01" and figures.year_total.opened == 8
    page = create_app(app, {"TESTING": True}).test_client().get("/transparency").get_data(as_text=True)
    assert "How we are doing" in page and "Technical Services" in page
    assert not any(ref in page for ref in refs.values())
    assert "Jane Citizen" not in page and "Sipho" not in page
