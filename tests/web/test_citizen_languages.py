"""Citizen pages in English, Sesotho and Afrikaans: from the browser's language or the switch."""

from __future__ import annotations

from tests.support.drive import status_path
from tests.web.test_web_complaint import lodge_on_web


def test_the_start_page_follows_the_browsers_language(browsers):
    citizen = browsers("citizen")
    sesotho = citizen.get("/", headers={"Accept-Language": "st-ZA,st;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="st"' in sesotho and "Re ka o thusa jwang?" in sesotho
    afrikaans = citizen.get("/", headers={"Accept-Language": "af"}).get_data(as_text=True)
    assert 'lang="af"' in afrikaans and "Hoe kan ons help?" in afrikaans
    assert "How can we help?" in citizen.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_the_switch_is_remembered_for_the_visit(browsers):
    citizen = browsers("citizen")
    assert "Hoe kan ons help?" in citizen.get("/?lang=af").get_data(as_text=True)
    assert "Volg 'n saak" in citizen.get("/track").get_data(as_text=True).replace("&#39;", "'")
    assert "How can we help?" in citizen.get("/?lang=en").get_data(as_text=True)


def test_the_lodge_form_its_choices_errors_and_popia_notice_are_translated(browsers, batho):
    citizen = browsers("citizen")
    citizen.get("/?lang=st")
    form = citizen.get("/lodge/complaint").get_data(as_text=True)
    assert "E mabapi le eng?" in form and "Phepelo ya metsi" in form and "Dintlha tsa hao tsa botho" in form
    assert 'name="language" value="st"' in form
    bad = citizen.post("/lodge/complaint", {"category": "", "description": "Metsi", "email": "nope",
                                           "language": "st"}, page="/lodge/complaint")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "E mabapi le eng?: ho a hlokahala." in page and "Imeile: kenya aterese" in page and "Metsi" in page


def test_the_status_page_gives_status_and_dates_in_the_chosen_language(browsers, batho):
    citizen = browsers("citizen")
    reference = lodge_on_web(citizen)
    page = citizen.get(status_path(batho, reference) + "&lang=af").get_data(as_text=True)
    assert "Geregistreer: ons het u saak" in page and "Geopen op" in page and "Verwag teen" in page
    sesotho = citizen.get(status_path(batho, reference) + "&lang=st").get_data(as_text=True)
    assert "E ngodisitswe" in sesotho and "Boemo:" in sesotho


def test_staff_pages_stay_in_english(browsers):
    agent = browsers("agent")
    assert "My tasks" in agent.get("/tasks/", headers={"Accept-Language": "st"}).get_data(as_text=True)
    assert 'lang="en"' in agent.get("/tasks/?lang=af").get_data(as_text=True)


def test_diagram_updates_are_written_in_the_chosen_language_with_their_values(browsers, batho):
    citizen = browsers("citizen")
    reference = lodge_on_web(citizen)
    afrikaans = citizen.get(status_path(batho, reference) + "&lang=af").get_data(as_text=True)
    assert f"Ons het u klagte {reference} geregistreer. Ons beoog om dit teen" in afrikaans
    english = citizen.get(status_path(batho, reference) + "&lang=en").get_data(as_text=True)
    assert f"We registered your complaint {reference}. We aim to resolve it by" in english


def test_a_case_lodged_in_sesotho_remembers_the_language_for_later_messages(browsers, batho):
    from tests.support.drive import case
    citizen = browsers("citizen")
    citizen.get("/?lang=st")
    response = citizen.post("/lodge/complaint", {"category": "water", "description": "Metsi ha a yo",
                                                "language": "st"}, page="/lodge/complaint")
    reference = response.headers["Location"].rsplit("/", 1)[-1].split("?")[0]
    assert case(batho, reference).citizen_language == "st"


def test_the_suggestion_slips_fields_are_translated_by_the_shared_form(browsers):
    page = browsers("citizen").get("/suggestions/new?lang=st").get_data(as_text=True)
    assert "O batla ho re fa eng?" in page and "Tlhahiso" in page
