"""Staff case search: every key (reference, name, phone however typed, email, account number, description words),
open and closed cases, and the POPIA limits on the page and in GET /api/v1/cases?q=."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from engine.models import Case
from engine.services import cases, search
from tests.support.drive import case, do, lodge

ROADS = {"category": "roads", "description": "Deep pothole in Church Street near the clinic",
         "location": "Church Street"}
QUERY = {"account_number": "3001 4567 89", "category": "tariff", "disputed_amount": "1250.50",
         "description": "Charged the business tariff for a house"}


def found(browser, q: str, **args: str) -> list[str]:
    page = browser.get("/cases/search", query_string={"q": q, **args})
    assert page.status_code == 200
    results = page.get_data(as_text=True).split('id="results"')[1].split("</table>")[0]
    return re.findall(r">(MAF-\d{4}-\d{6})</a>", results)


@pytest.fixture
def citizens(batho, people):
    """A water complaint of Jane (phone and email), a roads complaint of Sipho, an account query of Jane."""
    water = lodge(batho, name="Jane Citizen", email="Jane@Example.org", phone="082 555 1111")
    roads = lodge(batho, dict(ROADS), name="Sipho Nkosi", phone="+27 83 444 2222")
    query = cases.lodge(batho, "account_query", dict(QUERY),
                        cases.Contact(name="Jane Citizen", phone="0825551111"), "web")
    return {"water": water, "roads": roads, "query": query}


def test_a_reference_is_found_whole_in_part_or_by_its_number_alone(browsers, citizens):
    agent = browsers("agent")
    water = citizens["water"]
    assert found(agent, water) == [water]
    assert found(agent, water.lower()) == [water]
    assert set(found(agent, water[:-1])) == {water, citizens["roads"], citizens["query"]}  # MAF-2026-00000
    number = str(int(water.rsplit("-", 1)[1]))
    assert water in found(agent, number)  # "1", as a citizen reads it out
    assert found(agent, water.split("-", 1)[1]) == [water]  # 2026-000001 without the prefix


@pytest.mark.parametrize("typed", ["082 555 1111", "+27825551111", "0825551111", "+27 (0)82 555-1111",
                                   "0027 82 555 1111"])
def test_a_phone_number_is_found_however_it_is_typed(browsers, citizens, typed):
    assert set(found(browsers("agent"), typed)) == {citizens["water"], citizens["query"]}


def test_a_name_an_email_an_account_number_and_description_words_find_their_cases(browsers, citizens):
    agent = browsers("agent")
    assert set(found(agent, "jane citizen")) == {citizens["water"], citizens["query"]}
    assert found(agent, "Nkosi") == [citizens["roads"]]
    assert found(agent, "jane@example.ORG ") == [citizens["water"]]
    assert found(agent, "3001456789") == [citizens["query"]]
    assert found(agent, "3001 4567 89") == [citizens["query"]]
    assert found(agent, "pothole church") == [citizens["roads"]]
    assert found(agent, "pothole water") == []  # every word must be in the description
    assert found(agent, "nobody at all") == []


def test_results_show_what_a_caller_asks_about_and_the_name_only_where_contact_may_be_shown(browsers, citizens):
    page = browsers("agent").get("/cases/search", query_string={"q": citizens["query"]}).get_data(as_text=True)
    row = page.split('id="results"')[1].split("</tr>")[1]
    assert "Account query" in row and "Tariff or charge applied" in row and "Investigating" in row
    assert "Finance (billing and revenue)" in row
    assert "Jane Citizen" not in row and "not shown" in row  # the agent holds no task of it
    manager = browsers("manager").get("/cases/search", query_string={"q": citizens["query"]}).get_data(as_text=True)
    assert "Jane Citizen" in manager.split('id="results"')[1]


def test_open_and_closed_cases_are_found_and_can_be_told_apart(browsers, batho, people, citizens):
    do(batho, people["agent"], citizens["roads"], "Task_triage", triage_outcome="refer",
       triage_reason="Provincial road: the Department of Roads and Transport maintains it.")
    assert case(batho, citizens["roads"]).closed_at is not None
    agent = browsers("agent")
    assert found(agent, "Sipho Nkosi") == [citizens["roads"]]
    assert found(agent, "Sipho Nkosi", state="closed") == [citizens["roads"]]
    assert found(agent, "Sipho Nkosi", state="open") == []
    assert found(agent, "Jane Citizen", state="open") != []


def test_an_officer_of_another_department_finds_nothing_of_a_case_they_may_not_view(browsers, citizens):
    community = browsers("officer_community")
    for typed in (citizens["water"], "pothole church", "3001456789", citizens["water"][:-1]):
        assert found(community, typed) == [], typed


def test_a_name_phone_or_email_finds_nothing_for_a_role_that_may_not_know_the_citizen(browsers, batho, people,
                                                                                      citizens):
    do(batho, people["agent"], citizens["water"], "Task_triage", triage_outcome="accept")
    officer = browsers("officer")  # Technical Services: sees the water case, holds none of its tasks
    assert found(officer, citizens["water"]) == [citizens["water"]]
    for typed in ("Jane Citizen", "082 555 1111", "jane@example.org"):
        assert found(officer, typed) == [], typed
    billing = browsers("billing")
    assert found(billing, "3001456789") == [citizens["query"]]  # the account is theirs to know
    assert found(billing, "Jane Citizen") == []
    supervisor = browsers("supervisor")  # supervises Technical Services: may know the citizen of its cases
    assert found(supervisor, "Jane Citizen") == [citizens["water"]]


def test_the_search_page_is_for_staff_who_work_cases(browsers):
    assert browsers("owner").get("/cases/search", query_string={"q": "Jane"}).status_code == 403
    page = browsers("agent").get("/cases/search").get_data(as_text=True)
    assert 'id="results"' not in page and 'role="search"' in page


def _api(client, bearer, username: str, q: str) -> list[str]:
    response = client.get("/api/v1/cases", query_string={"q": q}, headers=bearer(username))
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["reference"] for row in response.get_json()["cases"]]


def test_the_api_finds_cases_by_q_within_the_same_limits(client, bearer, citizens):
    assert set(_api(client, bearer, "agent", "+27825551111")) == {citizens["water"], citizens["query"]}
    assert _api(client, bearer, "agent", citizens["roads"]) == [citizens["roads"]]
    assert _api(client, bearer, "agent", "pothole") == [citizens["roads"]]
    assert _api(client, bearer, "officer_community", citizens["water"]) == []
    assert _api(client, bearer, "officer", "Jane Citizen") == []
    assert _api(client, bearer, "billing", "3001456789") == [citizens["query"]]
    response = client.get("/api/v1/cases", query_string={"q": "Jane", "status": "closed"}, headers=bearer("agent"))
    assert response.get_json()["total"] == 0


@pytest.mark.parametrize(("typed", "indexes"), [
    ("082 555 1111", ("ix_cases_citizen_phone_key", "ix_cases_account_number")),
    ("jane@example.org", ("ix_cases_citizen_email_key",)),
    ("MAF-2026-00", ("ix_cases_reference_prefix|sqlite_autoindex_cases_1",)),
])
def test_reference_phone_email_and_account_lookups_go_through_indexes(batho, people, typed, indexes):
    """The query plan, not a timing: each key is found through its index on both databases."""
    with batho.db.reading() as session:
        statement = select(Case.id).where(search.condition(batho, session, people["agent"], typed))
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        if batho.db.is_sqlite:
            plan = " ".join(str(row[-1]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        else:  # a tiny test table is read whole unless told otherwise
            session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
    for index in indexes:
        assert re.search(index, plan), plan
