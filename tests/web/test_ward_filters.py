"""The ward in the staff task list and the case search: a column naming the ward, and a filter by it."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from engine.models import Case
from tests.support.drive import lodge

FRANKFORT, VILLIERS = "42005001", "42005004"


@pytest.fixture
def three(batho):
    refs = [lodge(batho, name="Jane Citizen", email="jane@example.org") for _ in range(3)]
    with batho.db.transaction() as session:
        for reference, ward in zip(refs, (FRANKFORT, VILLIERS, None), strict=True):
            session.execute(update(Case).where(Case.reference == reference).values(ward=ward))
    return refs


def test_the_task_list_names_each_cases_ward_and_filters_by_it(browsers, three):
    frankfort, villiers, nowhere = three
    agent = browsers("agent")
    page = agent.get(f"/tasks/?view=unassigned&ward={FRANKFORT}").get_data(as_text=True)
    assert frankfort in page and villiers not in page and nowhere not in page
    assert '<td data-label="Ward">Ward 1: Frankfort town</td>' in page
    assert f'<option value="{FRANKFORT}" selected>Ward 1: Frankfort town</option>' in page
    none = agent.get("/tasks/?view=unassigned&ward=(none)").get_data(as_text=True)
    assert nowhere in none and frankfort not in none
    everything = agent.get("/tasks/?view=unassigned").get_data(as_text=True)
    assert all(r in everything for r in three) and "Ward 4: Villiers town" in everything


def test_an_unknown_ward_in_the_task_list_finds_nothing_and_breaks_nothing(browsers, three):
    page = browsers("agent").get("/tasks/?view=unassigned&ward=nonsense%27--").get_data(as_text=True)
    assert not any(r in page for r in three) and "Nothing here." in page


def test_the_case_search_names_the_ward_and_filters_by_it(browsers, three):
    frankfort, villiers, nowhere = three
    agent = browsers("agent")
    page = agent.get(f"/cases/search?ward={VILLIERS}").get_data(as_text=True)  # the ward alone lists its cases
    assert villiers in page and frankfort not in page and nowhere not in page
    assert '<td data-label="Ward">Ward 4: Villiers town</td>' in page and "1 case found" in page
    both = agent.get(f"/cases/search?q=Jane&ward={FRANKFORT}").get_data(as_text=True)
    assert frankfort in both and villiers not in both
    assert nowhere in agent.get("/cases/search?ward=(none)").get_data(as_text=True)


def test_an_officer_finds_by_ward_only_the_cases_they_may_view(browsers, three):
    page = browsers("officer_finance").get(f"/cases/search?ward={FRANKFORT}").get_data(as_text=True)
    assert three[0] not in page and "0 cases found" in page  # a complaint in triage is not finance's
