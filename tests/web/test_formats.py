"""Money, dates and words as people write them: amounts in any usual form, R 45 000,00 on every page, dates per
language, names instead of codes, the citizen's language on the case and limits refused with the limit named."""

from __future__ import annotations

import re
from typing import Any

import pytest

from engine.services import tasks
from tests.processes.helpers import lodge_query
from tests.support.drive import do, lodge, open_task, open_tasks, status_path, to_investigation
from tests.web.test_bad_input import bearer

NBSP = "\u00a0"
FORTY_FIVE = f"R{NBSP}45{NBSP}000,00"
REASON = "Misread meter."


@pytest.fixture
def adjustment(batho, people) -> str:
    """An account query at the billing clerk's "Calculate the adjustment" task (its three amounts are money)."""
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Misread.")
    return reference


def _adjust_on_web(browsers, batho, reference: str, amount: str, **extra: str) -> Any:
    task_id = open_task(batho, reference, "Task_adjust").id
    form = {"adjustment_amount": amount, "adjustment_reason": REASON, "corrected_balance": "1 590,50", **extra}
    return browsers("billing").post(f"/tasks/{task_id}", form, page=f"/tasks/{task_id}")


def _adjusted_amount(batho, people, reference: str) -> str:
    """The amount the process stored, as the CFO's approval form holds it."""
    task_id = open_task(batho, reference, "Task_approve_cfo").id
    return str(tasks.task_view(batho, people["cfo"], task_id).values["adjustment_amount"])


@pytest.mark.parametrize("written", ["45000", "45 000", "45 000,00", "45,000.00", "R45 000", "R 45 000,00",
                                     "45000.0"])
def test_the_task_form_takes_forty_five_thousand_rand_as_people_write_it(browsers, batho, people, adjustment,
                                                                         written):
    response = _adjust_on_web(browsers, batho, adjustment, written)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert open_tasks(batho, adjustment) == ["Task_approve_cfo"]
    assert _adjusted_amount(batho, people, adjustment) == "45000.00"


def test_an_amount_that_reads_two_ways_asks_and_the_confirmation_sends_it_again(browsers, batho, people,
                                                                                adjustment):
    response = _adjust_on_web(browsers, batho, adjustment, "45,000")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"{FORTY_FIVE} — is this right?" in page
    assert 'value="45000.00"' in page  # the field now holds the reading offered
    assert f"Yes, {FORTY_FIVE} is right" in page  # the confirm button
    assert open_tasks(batho, adjustment) == ["Task_adjust"]
    confirmed = _adjust_on_web(browsers, batho, adjustment, "45000.00", confirm_amount="adjustment_amount")
    assert confirmed.status_code == 302
    assert _adjusted_amount(batho, people, adjustment) == "45000.00"


def test_the_api_answers_an_unclear_amount_with_the_sentence_and_the_reading(app, batho, people, adjustment):
    client = app.test_client()
    headers = bearer(client, "billing")
    task_id = open_task(batho, adjustment, "Task_adjust").id
    body = {"adjustment_amount": "45.000", "adjustment_reason": REASON, "corrected_balance": "1590.50"}
    response = client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers, json=body)
    assert response.status_code == 400
    answer = response.get_json()
    assert f"{FORTY_FIVE} — is this right?" in answer["errors"]["adjustment_amount"]
    assert answer["confirm"] == {"adjustment_amount": "45000.00"}
    again = client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers,
                        json={**body, "adjustment_amount": answer["confirm"]["adjustment_amount"]})
    assert again.status_code == 200, again.get_data(as_text=True)
    assert _adjusted_amount(batho, people, adjustment) == "45000.00"


def test_the_decision_message_and_the_status_page_write_money_as_rand(browsers, batho, people, adjustment):
    assert _adjust_on_web(browsers, batho, adjustment, "R 250").status_code == 302
    do(batho, people["billing"], adjustment, "Task_apply", applied_on="2026-11-27", ledger_reference="JNL-77")
    page = browsers("citizen").get(status_path(batho, adjustment)).get_data(as_text=True)
    assert f"we credited R{NBSP}250,00 to it" in page
    assert f"Your corrected balance is R{NBSP}1{NBSP}590,50" in page
    assert f"R{NBSP}1{NBSP}840,50 is marked as in dispute" in page  # the disputed amount of the first note
    sesotho = browsers("citizen").get(status_path(batho, adjustment) + "&lang=st").get_data(as_text=True)
    assert f"re e kentse R{NBSP}250,00" in sesotho


def test_dates_read_one_way_per_language_on_the_status_page(browsers, batho):
    reference = lodge(batho)
    citizen = browsers("citizen")
    english = citizen.get(status_path(batho, reference) + "&lang=en").get_data(as_text=True)
    afrikaans = citizen.get(status_path(batho, reference) + "&lang=af").get_data(as_text=True)
    assert re.search(r"Opened on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ 20\d\d\.",
                     english)
    assert re.search(r"(Maandag|Dinsdag|Woensdag|Donderdag|Vrydag|Saterdag|Sondag) \d\d [A-Z][a-z]+ 20\d\d", afrikaans)


def test_staff_pages_show_names_dates_and_the_citizens_language(browsers, batho, people):
    reference = lodge(batho, None, name="Thabo", email="thabo@example.org", language="st")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    officer = browsers("officer")
    listing = officer.get("/tasks/?view=unassigned").get_data(as_text=True)
    assert "· Water supply" in listing and "· water<" not in listing
    assert re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d",
                     listing)
    case_page = officer.get(f"/cases/{reference}").get_data(as_text=True)
    assert "<dd>Water supply</dd>" in case_page and "<dd>Technical Services (" in case_page
    assert "<dd>Web</dd>" in case_page and "<dd>Investigating</dd>" in case_page
    assert "<dt>Language</dt><dd>Sesotho</dd>" in case_page
    assert "technical_services" not in case_page.split("<dl")[1].split("</dl>")[0]


def test_the_default_apology_is_in_the_citizens_language(batho, people):
    reference = to_investigation(batho, people)  # an English case for contrast
    sesotho = lodge(batho, None, name="Thabo", email="thabo@example.org", language="st")
    for ref in (reference, sesotho):
        if ref == sesotho:
            do(batho, people["agent"], ref, "Task_triage", triage_outcome="accept")
        do(batho, people["officer"], ref, "Task_investigate", findings="Burst pipe", corrective_action="Replace it")
        do(batho, people["supervisor"], ref, "Task_approve", decision="approve")
        do(batho, people["officer"], ref, "Task_implement", implementation_outcome="Replaced",
           completed_on="2026-11-27")
    english_view = tasks.task_view(batho, people["agent"], open_task(batho, reference, "Task_respond").id)
    sesotho_view = tasks.task_view(batho, people["agent"], open_task(batho, sesotho, "Task_respond").id)
    assert english_view.values["apology"] == "We apologise for the inconvenience."
    assert sesotho_view.values["apology"] == "Re kopa tshwarelo bakeng sa tshitiso ena."


def test_a_text_over_its_limit_is_refused_with_the_limit_named_and_the_limit_is_written(browser, batho):
    page = browser.get("/lodge/complaint").get_data(as_text=True)
    assert "At most 4000 characters" in page and "At most 300 characters" in page
    assert 'data-maxlength="4000"' in page and ' maxlength="4000"' not in page  # counted, never cut by the browser
    response = browser.post("/lodge/complaint", {"category": "water", "description": "x" * 4012,
                                                 "location": "12 Main St"}, page="/lodge/complaint")
    assert response.status_code == 400
    assert "at most 4000 characters; you typed 4012." in response.get_data(as_text=True)
    assert "x" * 4012 in response.get_data(as_text=True)  # what was typed is kept, whole


def test_open311_refuses_long_ids_with_the_limit_named_instead_of_cutting_them(client, demo_key):
    form = {"service_code": "complaint-roads", "lat": "-27.2795", "long": "28.4809", "api_key": demo_key,
            "description": "A pothole", "device_id": "d" * 101, "media_url": "https://example.org/" + "m" * 1000}
    response = client.post("/open311/v2/requests.json", data=form)
    assert response.status_code == 400
    sentences = [e["description"] for e in response.get_json()]
    assert "device_id: at most 100 characters; you sent 101." in sentences
    assert "media_url: at most 1000 characters; you sent 1020." in sentences


@pytest.fixture
def month_client(month):
    """A citizen's client (and a manager's) over the hand-built month of cases (tests/metrics/dataset.py)."""
    from tests.support.web import Browser
    from web import create_app

    app, _ = month
    return Browser(create_app(app, {"TESTING": True}).test_client())


def _within_cell(page: str) -> str:
    """The "resolved within our standard" figure of the transparency page's first department row."""
    cells = page.split('<table class="figures stack">', 1)[1].split("</tr>")
    row = next(r for r in cells[1:] if "<td" in r)
    return row.split("<td")[3].split(">", 1)[1].split("</td>")[0]


@pytest.mark.parametrize(("lang", "within", "days"), [("en", "50.0%", "5.5 working days"),
                                                      ("st", f"50,0{NBSP}%", "matsatsi a 5,5 a mosebetsi"),
                                                      ("af", f"50,0{NBSP}%", "5,5 werksdae")])
def test_the_transparency_page_writes_decimals_the_languages_way(month_client, lang, within, days):
    page = month_client.get(f"/transparency?lang={lang}").get_data(as_text=True)
    assert within in page and days in page
    if lang != "en":
        assert "50.0%" not in page and "5.5 " not in page


def test_the_dashboard_and_the_council_report_are_english_with_its_decimal_point_whatever_the_visit_chose(
        month_client):
    assert month_client.login("manager").status_code == 302
    month_client.get("/transparency?lang=af")  # the visit's language is now Afrikaans
    dashboard = month_client.get("/dashboard/?period=2026-09").get_data(as_text=True)
    assert '<html lang="en"' in dashboard and re.search(r">\d+\.\d%<", dashboard) and f"{NBSP}%" not in dashboard
    report = month_client.get("/reports/council?period=2026-09").get_data(as_text=True)
    assert '<html lang="en"' in report and re.search(r"\d+\.\d%", report) and f"{NBSP}%" not in report
    # The CSV is for spreadsheets: plain numbers with a dot, shares as fractions, whatever the language.
    figures = month_client.get("/dashboard/figures.csv?period=2026-09").get_data(as_text=True)
    assert re.search(r",0\.\d+", figures), figures[:300]
    assert not re.search(r"\d%|\d,\d+ ?%|" + NBSP, figures), figures[:300]


@pytest.mark.parametrize("lang", ["en", "st", "af"])
def test_a_citizens_email_and_sms_write_the_date_as_their_status_page_does(browser, batho, lang):
    from sqlalchemy import select

    from engine.formatting import long_date
    from engine.models import Notification
    from tests.support.drive import case

    form = {"category": "water", "description": "No water since Monday", "location": "12 Main St",
            "email": "jane@example.org", "phone": "082 555 1111", "language": lang}  # the form's hidden field
    sent = browser.post(f"/lodge/complaint?lang={lang}", form, page=f"/lodge/complaint?lang={lang}")
    assert sent.status_code == 302, sent.get_data(as_text=True)[-2000:]
    reference = sent.headers["Location"].split("/lodged/")[1].split("?")[0]
    lodged = case(batho, reference)
    assert lodged.citizen_language == lang
    on_page = long_date(lodged.due_at, lang, batho.config.timezone)
    status = browser.client.get(f"{status_path(batho, reference)}&lang={lang}").get_data(as_text=True)
    assert on_page in status
    with batho.db.reading() as session:
        messages = {n.channel: n.body for n in session.scalars(select(Notification).where(
            Notification.case_id == lodged.id, Notification.audience == "citizen"))}
    assert on_page in messages["email"], messages["email"]
    # An SMS must stay one message of 160 characters: the same date in the same order, without the weekday.
    assert long_date(lodged.due_at, lang, batho.config.timezone, weekday=False) in messages["sms"]
    assert len(messages["sms"]) <= 160
