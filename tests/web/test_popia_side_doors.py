"""Findings of the security review, each pinned by a test: POPIA exposures through side doors."""

from __future__ import annotations

import pytest

from engine.errors import Forbidden
from engine.services import cases, open311, staff_api, tasks, worklist
from engine.services.api_tokens import issue_api_key
from tests.support.drive import do, lodge, open_task, to_investigation


def test_open311_lists_never_carry_messages_staff_wrote_to_one_citizen(batho, people, browsers):
    reference = lodge(batho, name="John Roe", phone="0831234567")
    agent = browsers("agent")
    page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Messages to the citizen" in page
    sent = agent.post(f"/cases/{reference}/notes", {"kind": "message", "body": "Dear Mr Roe, we spoke on 0831234567."},
                      page=f"/cases/{reference}")
    assert sent.status_code == 302
    assert "0831234567" in cases.public_status(batho, reference).updates[-1].message
    for view in open311.search(batho, {}):
        assert all("0831234567" not in n.description for n in view.notes)
        assert "0831234567" not in view.status_notes


def test_open311_shows_no_description_or_address_of_an_account_query(batho):
    key = issue_api_key(batho, None, "review")
    form = {"service_code": "account_query-tariff", "address_string": "7 Church St",
            "description": "I, Mary Poe, dispute the tariff.", "attribute[account_number]": "ACC-12345",
            "attribute[disputed_amount]": "120.00", "email": "mary@example.org"}
    submitted = open311.submit(batho, key, form)
    [view] = [v for v in open311.search(batho, {}) if v.service_request_id == submitted.service_request_id]
    assert view.description == "" and view.address == ""


def test_the_staff_api_keeps_officers_to_their_department(batho, people):
    reference = to_investigation(batho, people)  # a technical (water) case
    assert staff_api.case_detail(batho, people["officer"], reference)["reference"] == reference
    with pytest.raises(Forbidden):
        staff_api.case_detail(batho, people["officer_community"], reference)
    listed = staff_api.case_list(batho, people["officer_community"], {})
    assert reference not in [c["reference"] for c in listed.cases]
    assert reference in [c["reference"] for c in staff_api.case_list(batho, people["agent"], {}).cases]


def test_searching_by_name_finds_only_cases_whose_contact_the_user_may_see(batho, people):
    reference = lodge(batho, name="John Roe", email="john@example.org")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")

    def found(who: str, view: str) -> list[str | None]:
        page = worklist.task_page(batho, people[who], worklist.TaskQuery(view=view, search="John"))
        return [r.case_reference for r in page.rows]

    assert reference not in found("officer", "groups")  # may work the task, but holds nothing yet
    tasks.claim(batho, people["officer"], open_task(batho, reference, "Task_investigate").id)
    assert reference in found("officer", "mine")


def test_only_agents_open_the_paper_slip_capture_page(browsers):
    assert browsers("officer").get("/suggestions/capture").status_code == 403
    assert browsers("agent").get("/suggestions/capture").status_code == 200


def test_the_reference_alone_shows_the_status_but_not_the_messages(browsers, batho, people):
    from tests.support.drive import status_path

    reference = to_investigation(batho, people)
    guessed = browsers("citizen").get(f"/status/{reference}").get_data(as_text=True)
    assert "Being investigated" in guessed
    assert "is being investigated by the responsible department" not in guessed  # a diagram update
    assert 'id="ask-code"' in guessed
    with_code = browsers("citizen").get(status_path(batho, reference)).get_data(as_text=True)
    assert "is being investigated by the responsible department" in with_code
    wrong = browsers("citizen").get(f"/status/{reference}?code=guess").get_data(as_text=True)
    assert "is being investigated by the responsible department" not in wrong


def test_the_thank_you_page_gives_the_access_code_with_the_reference(browsers, batho):
    from tests.support.drive import access_code

    citizen = browsers("citizen")
    response = citizen.post("/lodge/complaint", {"category": "water", "description": "Dry taps"},
                            page="/lodge/complaint")
    page = citizen.get(response.headers["Location"]).get_data(as_text=True)
    reference = response.headers["Location"].split("/lodged/")[1].split("?")[0]
    assert access_code(batho, reference) in page
    bare = citizen.get(f"/lodged/{reference}").get_data(as_text=True)
    assert access_code(batho, reference) not in bare


def test_the_access_code_is_easy_to_read_out_and_forgiving_to_type(batho, people, browsers):
    from tests.support.drive import access_code

    reference = to_investigation(batho, people)
    code = access_code(batho, reference)
    assert len(code) == 10 and not set(code) & set("0O1IL")
    typed = f"{code[:5].lower()} {code[5:]}"
    page = browsers("citizen").get(f"/track?reference={reference}&code={typed}")
    page = browsers("citizen").get(page.headers["Location"]).get_data(as_text=True)
    assert "is being investigated by the responsible department" in page
