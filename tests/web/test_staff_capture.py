"""Staff capture of phone, walk-in and counter cases; who may capture; the menu; a citizen's other cases."""

from __future__ import annotations

import re

from engine.models.enums import EventKind
from engine.services import cases
from tests.support.drive import case, do, events, lodge

WATER = {"category": "water", "description": "No water in Extension 4 since Monday", "location": "12 Main St"}
ACCOUNT = {"account_number": "3001456789", "category": "tariff", "disputed_amount": "1250.50",
           "description": "Charged the business tariff for a house"}


def capture(browser, key: str, values: dict[str, str]):
    return browser.post(f"/capture/{key}", values, page=f"/capture/{key}")


def captured_reference(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def test_an_agent_captures_a_phone_complaint_with_channel_and_capturer_recorded(browsers, batho):
    agent = browsers("agent")
    chooser = agent.get("/capture/").get_data(as_text=True)
    assert "/capture/complaint" in chooser and "/capture/account_query" in chooser
    assert "suggestion_box" not in chooser and "policy_review" not in chooser  # Batho starts those itself
    response = capture(agent, "complaint", {**WATER, "channel": "phone", "name": "Jane Citizen",
                                            "phone": "082 555 1111", "language": "st"})
    reference = captured_reference(response)
    found = case(batho, reference)
    assert found.channel == "phone" and found.created_by_id is not None and found.citizen_language == "st"
    assert found.citizen_phone_key == "0825551111"
    (event,) = events(batho, reference, EventKind.CAPTURED)
    assert event.actor_id == found.created_by_id and event.data == {"channel": "phone"}
    done = agent.get(f"/capture/done/{reference}").get_data(as_text=True)
    assert f'id="reference">{reference}<' in done
    assert f'id="access-code">{found.access_code}<' in done and "Print for the citizen" in done
    page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Captured</strong>: Phone — Thandi Mokoena" in page
    assert re.search(r"<dt>Channel</dt><dd>\s*Phone", page)


def test_a_walk_in_account_query_is_captured_with_its_account_number(browsers, batho):
    agent = browsers("agent")
    reference = captured_reference(capture(agent, "account_query", {
        **ACCOUNT, "channel": "walk_in", "name": "Piet Burger", "email": "piet@example.org"}))
    found = case(batho, reference)
    assert found.channel == "walk_in" and found.account_number == "3001456789"
    page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Captured</strong>: Walk-in — Thandi Mokoena" in page


def test_only_the_capturer_sees_the_access_code_afterwards(browsers):
    reference = captured_reference(capture(browsers("agent"), "complaint", {**WATER, "channel": "counter"}))
    assert browsers("manager").get(f"/capture/done/{reference}").status_code == 403


def test_bad_values_keep_what_was_typed_and_name_each_wrong_answer(browsers, batho):
    agent = browsers("agent")
    response = capture(agent, "account_query", {"account_number": "3001456789", "category": "tariff",
                                                "disputed_amount": "a lot", "description": "Too high",
                                                "channel": "fax", "name": "Piet Burger", "phone": "12"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="3001456789"' in page and 'value="Piet Burger"' in page and ">Too high</textarea>" in page
    assert "Choose how the citizen reached us" in page
    assert 'id="e-phone"' in page and "Phone: enter a number like" in page
    response = capture(agent, "account_query", {**ACCOUNT, "disputed_amount": "a lot", "channel": "phone"})
    assert response.status_code == 400 and 'id="e-disputed_amount"' in response.get_data(as_text=True)
    assert "Give an email address or a phone number" in response.get_data(as_text=True)
    with batho.db.reading() as session:
        from sqlalchemy import func, select

        from engine.models import Case
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_roles_that_may_not_capture_are_refused(browsers):
    for username in ("officer", "billing", "supervisor", "owner", "admin"):
        who = browsers(username)
        assert who.get("/capture/").status_code == 403, username
        assert who.get("/capture/complaint").status_code == 403, username
        refused = who.client.post("/capture/complaint", data={**WATER, "channel": "phone",
                                                              "csrf_token": who.token("/tasks/")})
        assert refused.status_code == 403, username
    agent = browsers("agent")
    assert agent.get("/capture/suggestion_box").status_code == 403
    assert agent.get("/capture/nothing_like_it").status_code == 404


def _menu(browser) -> str:
    return browser.get("/tasks/").get_data(as_text=True).split('aria-label="Main"')[1].split("</nav>")[0]


def test_the_menu_links_capture_for_agents_and_credit_holds_for_billing_clerks(browsers):
    agent = _menu(browsers("agent"))
    assert 'href="/capture/"' in agent and 'href="/suggestions/capture"' in agent and 'href="/cases/search"' in agent
    assert 'href="/credit-holds"' not in agent
    billing = _menu(browsers("billing"))
    assert 'href="/credit-holds"' in billing and 'href="/capture/"' not in billing
    assert 'href="/cases/search"' in billing
    owner = _menu(browsers("owner"))
    assert 'href="/cases/search"' not in owner and 'href="/capture/"' not in owner


def test_a_citizens_other_cases_are_one_click_from_a_case(browsers, batho, people):
    first = lodge(batho, name="Jane Citizen", phone="082 555 1111")
    second = lodge(batho, {**WATER, "description": "Water leaking at the meter"}, name="J Citizen",
                   phone="+27825551111")
    query = cases.lodge(batho, "account_query", dict(ACCOUNT), cases.Contact(email="jane@example.org"), "web")
    third = cases.lodge(batho, "account_query", {**ACCOUNT, "category": "other"},
                        cases.Contact(email="other@example.org"), "web")
    lodge(batho, name="Somebody Else", phone="083 000 0000")
    manager = browsers("manager")
    page = manager.get(f"/cases/{first}").get_data(as_text=True)
    link = re.search(r'id="other-cases" href="([^"]+)"', page).group(1)
    assert "555" not in link  # the link names the case, not the phone number
    others = manager.get(link.replace("&amp;", "&")).get_data(as_text=True).split('id="results"')[1]
    assert second in others and first not in others and query not in others
    by_account = manager.get(f"/cases/search?citizen_of={query}").get_data(as_text=True).split('id="results"')[1]
    assert third in by_account  # the same account number, another email
    do(batho, people["agent"], first, "Task_triage", triage_outcome="accept")
    officer = browsers("officer")  # sees the case, may not see the citizen's contact
    assert 'id="other-cases"' not in officer.get(f"/cases/{first}").get_data(as_text=True)
    assert officer.get(f"/cases/search?citizen_of={first}").status_code == 403


def test_billing_clerks_see_the_account_and_disputed_amount_on_every_account_query_task(browsers, batho):
    reference = cases.lodge(batho, "account_query", dict(ACCOUNT), cases.Contact(email="piet@example.org"), "web")
    billing = browsers("billing")
    rows = billing.get("/tasks/?view=unassigned").get_data(as_text=True)
    row = next(r for r in rows.split("<tr>") if reference in r)
    assert "Account 3001456789" in row and "disputed R\u00a01\u00a0250,50" in row
    task_id = re.search(r'href="/tasks/([^"/]+)"', row).group(1)
    header = billing.get(f"/tasks/{task_id}").get_data(as_text=True).split('class="lede"')[1].split("</p>")[0]
    assert "Account <strong>3001456789</strong>" in header and "R\u00a01\u00a0250,50" in header
