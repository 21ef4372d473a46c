"""The pages of issue 3: the account-query form, the suggestion slip (online and paper), "you said, we did"."""

from __future__ import annotations

from sqlalchemy import select

from engine.models import Case, SuggestionSlip


def _slips(batho):
    with batho.db.reading() as session:
        return list(session.scalars(select(SuggestionSlip.channel)))


def test_a_citizen_lodges_an_account_query_on_the_web(batho, browsers):
    citizen = browsers("citizen")
    page = citizen.get("/lodge/account_query").get_data(as_text=True)
    assert "Account number" in page and "Amount you dispute" in page
    form = {"account_number": "", "category": "tariff", "disputed_amount": "-10", "description": "Wrong tariff"}
    refused = citizen.post("/lodge/account_query", form, page="/lodge/account_query")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Account number is required." in text and "at least 0" in text
    with batho.db.reading() as session:
        assert session.scalars(select(Case)).first() is None
    form.update(account_number="4410023", disputed_amount="310.20", email="holder@example.org")
    done = citizen.post("/lodge/account_query", form, page="/lodge/account_query")
    assert done.status_code == 302
    with batho.db.reading() as session:
        assert session.scalars(select(Case.case_type)).one() == "account_query"


def test_a_citizen_drops_a_slip_and_an_agent_captures_a_paper_one(batho, browsers):
    citizen = browsers("citizen")
    bad = citizen.post("/suggestions/new", {"kind_hint": "suggestion", "text": "", "service_area": "mars"},
                       page="/suggestions/new")
    assert bad.status_code == 400 and "is required" in bad.get_data(as_text=True)
    assert _slips(batho) == []
    ok = citizen.post("/suggestions/new", {"kind_hint": "suggestion", "text": "Plant trees in the taxi rank."},
                      page="/suggestions/new")
    assert ok.status_code == 302
    assert citizen.get(ok.headers["Location"]).status_code == 200
    assert citizen.get("/suggestions/capture").status_code == 302, "staff only"
    billing = browsers("billing")
    assert billing.post("/suggestions/capture", {"kind_hint": "comment", "text": "x"},
                        page="/suggestions/capture").status_code == 403
    agent = browsers("agent")
    assert "1 slip waits for the next opening of the box." in agent.get("/suggestions/capture").get_data(as_text=True)
    captured = agent.post("/suggestions/capture", {"kind_hint": "compliment", "text": "Great service at the library.",
                                                   "staff_or_unit": "Library"}, page="/suggestions/capture")
    assert captured.status_code == 302
    assert sorted(_slips(batho)) == ["paper", "web"]
    outcomes = citizen.get("/you-said-we-did")
    assert outcomes.status_code == 200 and "Nothing published yet." in outcomes.get_data(as_text=True)


def test_a_manager_records_a_deviation_on_its_page_and_finance_sees_the_hold(batho, browsers, people):
    from engine.services import timers
    from tests.processes.helpers import at, lodge_query

    with at(2026, 6, 15, 9, 0):
        reference = lodge_query(batho, category="payment_not_reflected")
    with at(2026, 6, 24, 8, 0):
        timers.fire_due_timers(batho)
    assert browsers("billing").get("/deviations").status_code == 403
    manager = browsers("manager")
    page = manager.get("/deviations").get_data(as_text=True)
    assert reference in page
    deviation_id = int(page.split('action="/deviations/')[1].split('"')[0])
    blank = manager.post(f"/deviations/{deviation_id}", {"reason": "", "remedial_action": "x"}, page="/deviations")
    assert blank.status_code == 400 and "Reason is required." in blank.get_data(as_text=True)
    done = manager.post(f"/deviations/{deviation_id}", {"reason": "Clerk ill.", "remedial_action": "Cover roster."},
                        page="/deviations")
    assert done.status_code == 302
    assert reference not in manager.get("/deviations").get_data(as_text=True)
    holds = browsers("billing").get("/credit-holds?account=4410023").get_data(as_text=True)
    assert reference in holds and "R\u00a01\u00a0840,50" in holds
    assert browsers("agent").get("/credit-holds").status_code == 403


def test_the_agent_reads_the_slip_on_the_classification_page(batho, browsers, people):
    from engine.services import cases, schedule, suggestions
    from tests.processes.helpers import at
    from tests.support.drive import do, open_task

    suggestions.drop_slip(batho, {"kind_hint": "comment", "text": "The new library hours suit working people."},
                          cases.Contact(name="Private Person"), "web")
    with at(2026, 6, 12, 10, 0):
        run = schedule.start_suggestion_box_run(batho)
        do(batho, people["agent"], run, "Task_open", box_checked="all_captured")
    task = open_task(batho, run, "Task_classify")
    page = browsers("agent").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "The new library hours suit working people." in page
    assert "Private Person" not in page, "the slip's contact stays off the run's pages"
    assert browsers("billing").get(f"/tasks/{task.id}").status_code == 403
