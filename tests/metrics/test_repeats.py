"""Repeat complaints at one place and hotspots of a category: normalised locations, scope, drill-down and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from engine.metrics import service
from engine.metrics.repeats import normalised
from engine.models import Case
from tests.metrics.dataset import local
from tests.support.web import Browser
from web import create_app

PLACES = [  # (location as typed, category, department, September day)
    ("12 Main Street, Ext. 4", "water", "technical", 2),
    ("12 main st ext 4", "water", "technical", 9),
    ("12  MAIN ST, EXTENSION 4", "roads", "technical", 16),
    ("3 Church Road", "refuse", "community", 3),
    ("3 church rd.", "refuse", "community", 10),
    ("7 Kerk Avenue", "water", "technical", 11),
]


@pytest.fixture
def places(month):
    app, refs = month
    with app.db.transaction() as session:
        for number, (location, category, department, day) in enumerate(PLACES, start=1):
            case = Case(reference=f"MAF-2026-{910000 + number}", case_type="complaint", summary="Repeat",
                        category=category, department_code=department, channel="web", location=location,
                        opened_at=local(9, day, 10, 0), citizen_name=f"Citizen {number}", status="registered")
            session.add(case)
    return app, refs


def test_locations_are_compared_normalised():
    assert normalised("12 Main Street, Ext. 4") == normalised("12  main st ext 4") == "12 main st ext 4"
    assert normalised("3 Church Road") == normalised("3 church rd.") and normalised(None) == ""


def test_repeat_places_and_hotspots_of_one_category(places, people):
    app, _ = places
    found = service.repeat_places(app, people["manager"], "2026-09")
    assert [(p.place, p.cases) for p in found.repeats] == [("12 main st ext 4", 3), ("3 church rd", 2)]
    assert [(p.category, p.place, p.cases) for p in found.hotspots] == [("refuse", "3 church rd", 2),
                                                                         ("water", "12 main st ext 4", 2)]


def test_a_supervisor_sees_the_repeats_of_their_own_department(places, people):
    app, _ = places
    found = service.repeat_places(app, people["supervisor"], "2026-09")
    assert [p.place for p in found.repeats] == ["12 main st ext 4"]
    assert service.repeat_places(app, people["manager"], "2026-10").repeats == []


def test_drilling_into_a_place_lists_its_cases_without_personal_details(places, people):
    app, _ = places
    found = service.repeat_cases(app, people["manager"], "2026-09", "12 MAIN ST ext 4")
    assert found.total == 3 and {c.category for c in found.cases} == {"water", "roads"}
    water = service.repeat_cases(app, people["manager"], "2026-09", "12 main st ext 4", {"category": "water"})
    assert water.total == 2


def test_the_dashboard_lists_repeats_with_drill_down_and_csv(places):
    app, _ = places
    manager = Browser(create_app(app, {"TESTING": True}).test_client())
    assert manager.login("manager").status_code == 302
    board = manager.get("/dashboard/?period=2026-09").get_data(as_text=True)
    assert "Repeat complaints at one place" in board and "12 main st ext 4" in board
    page = manager.get("/dashboard/repeats?period=2026-09").get_data(as_text=True)
    assert "Hotspots per category" in page and "3 church rd" in page
    cases = manager.get("/dashboard/repeats/cases?period=2026-09&place=3+church+rd").get_data(as_text=True)
    assert "MAF-2026-910004" in cases and "MAF-2026-910005" in cases and "Citizen 4" not in cases
    response = manager.get("/dashboard/repeats/cases.csv?period=2026-09&place=12+main+st+ext+4&category=water")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][-4:] == ["Holder", "Working days overdue", "Ward", "Town"] and len(rows) == 3
    assert "Citizen" not in response.get_data(as_text=True)
