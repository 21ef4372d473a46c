"""Issue 14 (session 21, scale): the task list's tabs and the case search count up to a cap and then say "more
than …"; every task and case stays reachable page by page, in the list's order. The cap is made small here (the
real one is 1 000), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from engine.services import search, worklist
from tests.integration.test_scale_session20 import _expected, _tasks
from tests.support.drive import WATER, lodge


@pytest.fixture
def small_cap(monkeypatch):
    """Lists counted up to 3, pages of 2."""
    monkeypatch.setattr(worklist, "CAP", 3)
    monkeypatch.setattr(worklist, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "CAP", 3)
    monkeypatch.setattr(search, "PAGE_SIZE", 2)


def test_a_tab_longer_than_the_cap_says_more_and_every_task_is_still_reached_page_by_page(batho, people, small_cap):
    _tasks(batho, people)
    agent = people["agent"]
    expected = _expected(batho, agent)
    assert len(expected["groups"]) == 5 and len(expected["mine"]) == 1
    first = worklist.task_page(batho, agent, worklist.TaskQuery(view="groups"))
    assert first.counts == {"mine": 1, "groups": 3, "unassigned": 3}
    assert first.capped == frozenset({"groups", "unassigned"})  # 5 and 4 tasks: more than 3
    assert first.total == 3 and first.total_capped and first.has_next and first.pages == 2
    seen, page = [], first
    while True:
        seen += [r.title for r in page.rows]
        if not page.has_next:
            break
        page = worklist.task_page(batho, agent, worklist.TaskQuery(view="groups", page=page.query.page + 1))
    assert seen == expected["groups"]
    assert page.query.page == 3 and page.total == 5 and not page.total_capped  # the deep page counts exactly
    mine = worklist.task_page(batho, agent, worklist.TaskQuery(view="mine"))
    assert mine.total == 1 and not mine.total_capped and not mine.has_next


def test_a_filtered_list_is_counted_up_to_the_cap_too(batho, people, small_cap):
    _tasks(batho, people)
    agent = people["agent"]
    page = worklist.task_page(batho, agent, worklist.TaskQuery(view="groups", process="complaint"))
    assert page.total == 3 and page.total_capped
    few = worklist.task_page(batho, people["officer"], worklist.TaskQuery(view="groups", overdue=True))
    assert few.total == 2 and not few.total_capped and [r.title for r in few.rows] == ["Task 3", "Task 9"]


def test_the_task_list_page_says_more_than_in_words(batho, people, browsers, small_cap):
    _tasks(batho, people)
    html = browsers("agent").get("/tasks/?view=groups").get_data(as_text=True)
    assert re.search(r"My groups&#39; tasks <span class=\"count\">more than 3</span>", html)
    assert re.search(r"Unassigned <span class=\"count\">more than 3</span>", html)
    assert re.search(r"My tasks <span class=\"count\">1</span>", html)
    assert "more than 3 tasks" in html and "Long lists are counted up to 3 tasks: this one has more." in html
    assert "Page 1 of more than 2" in html and 'rel="next"' in html
    last = browsers("agent").get("/tasks/?view=groups&page=3").get_data(as_text=True)
    assert "5 tasks" in last and "more than 5" not in last and 'rel="next"' not in last


def test_a_search_finding_more_than_the_cap_says_so_and_pages_through_all_newest_first(batho, people, browsers,
                                                                                      small_cap):
    made = [lodge(batho, {**WATER, "description": f"Burst pipe number {n}"}) for n in range(5)]
    manager = people["manager"]
    newest_first = list(reversed(made))
    first = search.search_cases(batho, manager, search.CaseSearch(text="burst pipe"))
    assert first.total == 3 and first.capped and first.has_next
    seen, page = [], first
    while True:
        seen += [r.reference for r in page.rows]
        if not page.has_next:
            break
        page = search.search_cases(batho, manager, search.CaseSearch(text="burst pipe", page=page.query.page + 1))
    assert seen == newest_first and page.total == 5 and not page.capped
    exact = search.search_cases(batho, manager, search.CaseSearch(text=made[0]))
    assert exact.total == 1 and not exact.capped and [r.reference for r in exact.rows] == [made[0]]
    html = browsers("manager").get("/cases/search", query_string={"q": "burst pipe"}).get_data(as_text=True)
    assert "More than 3 cases found" in html and "Searches are counted up to 3 cases: this one finds more." in html
    assert "Page 1 of more than 2" in html and 'rel="next"' in html
