"""The place of a case through the web: a point finds its ward and town, one outside every ward is refused, staff set
the ward of a case without a point, and open cases of the same category near a point are offered (nothing personal)."""

from __future__ import annotations

import dataclasses
import re

from tests.support.drive import case, do, lodge, open_task

REF = re.compile(r"MAF-\d{4}-\d{6}")
FRANKFORT = (-27.2717, 28.4958)  # ward 1 of the example wards
JOHANNESBURG = (-26.2041, 28.0473)  # outside Mafube
METRE = 1 / 111_195  # degrees of latitude


def north_of(point, metres):
    return point[0] + metres * METRE, point[1]


def lodge_form(browser, point=None, **extra):
    form = {"category": "water", "description": "No water since Monday", "location": "12 Main St", **extra}
    if point is not None:
        form.update(latitude=str(point[0]), longitude=str(point[1]))
    return browser.post("/lodge/complaint", form, page="/lodge/complaint")


def lodged(browser, point=None, **extra) -> str:
    response = lodge_form(browser, point, **extra)
    assert response.status_code == 302, response.get_data(as_text=True)
    return REF.search(browser.get(response.headers["Location"]).get_data(as_text=True)).group(0)


def at(batho, point, category="water", **extra) -> str:
    values = {"category": category, "description": "Private words of the citizen", "location": "7 Secret Lane",
              "latitude": point[0], "longitude": point[1], **extra}
    return lodge(batho, values, name="Thabo Mokoena", email="thabo@example.org", phone="082 555 1111")


def test_the_form_offers_use_my_location_and_a_map_behind_hidden_point_fields(browsers):
    page = browsers("citizen").get("/lodge/complaint").get_data(as_text=True)
    assert 'name="latitude"' in page and 'name="longitude"' in page and "Use my location" in page
    assert re.search(r'<fieldset id="f-place"[^>]*\bhidden\b', page), "without JavaScript only the address shows"
    assert "build/place.js" in page
    assert "Use my location" not in browsers("citizen").get("/lodge/account_query").get_data(as_text=True)


def test_a_point_sent_with_the_form_keeps_its_ward_and_town(browsers, batho):
    reference = lodged(browsers("citizen"), FRANKFORT)
    kept = case(batho, reference)
    assert (kept.latitude, kept.longitude) == FRANKFORT
    assert (kept.ward, kept.town) == ("42005001", "Frankfort")
    assert kept.location == "12 Main St", "the address as typed is kept beside the point"


def test_a_point_outside_every_ward_is_refused_with_a_sentence_and_the_answers_are_kept(browsers, batho):
    response = lodge_form(browsers("citizen"), JOHANNESBURG, email="jane@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That point is outside Mafube&#39;s wards — move the pin or type the address" in page
    assert "No water since Monday" in page and "12 Main St" in page and "jane@example.org" in page
    assert f'value="{JOHANNESBURG[0]}"' in page, "the point stays, so the citizen moves it rather than starts again"
    assert not re.search(r'<fieldset id="f-place"[^>]*\bhidden\b', page), "the sentence shows even without scripts"


def test_the_point_is_refused_together_with_the_other_wrong_answers(browsers):
    response = lodge_form(browsers("citizen"), JOHANNESBURG, description="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Describe the problem is required." in page and "outside Mafube" in page


def test_a_point_that_is_not_a_point_is_refused_with_a_sentence(browsers):
    response = lodge_form(browsers("citizen"), latitude="-27.27", longitude="east")
    assert response.status_code == 400
    assert "The point on the map was not understood" in response.get_data(as_text=True)


def test_without_a_point_the_address_as_typed_is_enough(browsers, batho):
    kept = case(batho, lodged(browsers("citizen"), latitude="", longitude=""))
    assert kept.latitude is None and kept.ward is None and kept.location == "12 Main St"


def test_staff_set_the_ward_of_a_case_without_a_point(browsers, batho):
    reference = lodged(browsers("citizen"))
    agent = browsers("agent")
    page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    assert 'id="ward"' in page and "Ward 5: Qalabotjha" in page
    response = agent.post(f"/cases/{reference}/ward", {"ward": "42005005"}, page=f"/cases/{reference}")
    assert response.status_code == 302
    assert (case(batho, reference).ward, case(batho, reference).town) == ("42005005", "Qalabotjha")
    assert "Ward 5: Qalabotjha" in agent.get(f"/cases/{reference}").get_data(as_text=True)


def test_a_ward_that_is_not_one_is_refused_with_a_sentence(browsers, batho):
    reference = lodged(browsers("citizen"))
    response = browsers("agent").post(f"/cases/{reference}/ward", {"ward": "99"}, page=f"/cases/{reference}")
    assert response.status_code == 400
    assert "Choose one of the municipality&#39;s wards." in response.get_data(as_text=True)
    assert case(batho, reference).ward is None


def test_the_point_decides_the_ward_when_there_is_one(browsers, batho):
    reference = lodged(browsers("citizen"), FRANKFORT)
    agent = browsers("agent")
    assert 'id="ward"' not in agent.get(f"/cases/{reference}").get_data(as_text=True)
    response = agent.post(f"/cases/{reference}/ward", {"ward": "42005005"}, page=f"/cases/{reference}")
    assert response.status_code == 400 and "comes from the point" in response.get_data(as_text=True)
    assert case(batho, reference).ward == "42005001"


def test_staff_whose_work_does_not_touch_the_case_may_not_set_its_ward(browsers, batho):
    reference = lodged(browsers("citizen"))
    response = browsers("billing").post(f"/cases/{reference}/ward", {"ward": "42005005"}, page="/lodge/complaint")
    assert response.status_code == 403
    assert case(batho, reference).ward is None
    response = browsers("citizen").post(f"/cases/{reference}/ward", {"ward": "42005005"}, page="/lodge/complaint")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nearby_lists_open_cases_of_the_same_category_within_200_metres_and_nothing_personal(client, batho, people):
    near = at(batho, north_of(FRANKFORT, 120))
    at(batho, north_of(FRANKFORT, 260))  # too far
    at(batho, north_of(FRANKFORT, 50), category="electricity")  # another category
    closed = at(batho, north_of(FRANKFORT, 30))
    do(batho, people["agent"], closed, "Task_triage", triage_outcome="refer", triage_reason="Not ours")
    assert case(batho, closed).closed_at is not None
    response = client.get(f"/places/nearby?process=complaint&category=water&lat={FRANKFORT[0]}&lon={FRANKFORT[1]}")
    assert response.status_code == 200
    body = response.get_json()
    assert [c["reference"] for c in body["cases"]] == [near]
    [found] = body["cases"]
    assert set(found) == {"reference", "status", "status_text", "opened_on", "age_days", "age", "metres", "url"}
    assert found["metres"] == 150 and found["age_days"] == 0 and found["url"] == f"/status/{near}"
    assert found["status_text"].startswith("Registered")
    assert body["ward"] == {"code": "42005001", "number": 1, "name": "Ward 1: Frankfort town", "town": "Frankfort"}
    assert body["outside"] is None
    text = response.get_data(as_text=True)
    for personal in ("Private words", "Secret Lane", "Thabo", "thabo@example.org", "082 555"):
        assert personal not in text


def test_nearby_speaks_the_citizens_language(client, batho):
    at(batho, north_of(FRANKFORT, 20))
    response = client.get(f"/places/nearby?category=water&lat={FRANKFORT[0]}&lon={FRANKFORT[1]}&lang=st")
    [found] = response.get_json()["cases"]
    assert found["status_text"].startswith("E ngodisitswe") and found["age"] == "e rometswe kajeno"


def test_the_pin_learns_at_once_when_it_is_outside_every_ward(client, batho):
    body = client.get(f"/places/nearby?category=water&lat={JOHANNESBURG[0]}&lon={JOHANNESBURG[1]}").get_json()
    assert body["ward"] is None and body["cases"] == []
    assert body["outside"] == "That point is outside Mafube's wards — move the pin or type the address."
    body = client.get(f"/places/nearby?lat={JOHANNESBURG[0]}&lon={JOHANNESBURG[1]}&lang=af").get_json()
    assert body["outside"] == "Daardie punt lê buite Mafube se wyke — skuif die speld of tik die adres."


def test_nearby_without_a_category_or_point_is_empty_and_a_bad_point_is_a_sentence(client, batho):
    at(batho, north_of(FRANKFORT, 20))
    without_category = client.get(f"/places/nearby?lat={FRANKFORT[0]}&lon={FRANKFORT[1]}").get_json()
    assert without_category["cases"] == [] and without_category["ward"]["number"] == 1
    assert client.get("/places/nearby?category=water").get_json()["cases"] == []
    response = client.get("/places/nearby?category=water&lat=north&lon=28.5")
    assert response.status_code == 400 and "not understood" in response.get_json()["error"]


def test_staff_triaging_see_the_open_cases_nearby(browsers, batho):
    earlier = at(batho, north_of(FRANKFORT, 90))
    reference = lodged(browsers("citizen"), FRANKFORT)
    agent = browsers("agent")
    task = agent.get(f"/tasks/{open_task(batho, reference, 'Task_triage').id}").get_data(as_text=True)
    assert 'id="nearby-cases"' in task and earlier in task and "Ward 1: Frankfort town" in task
    page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    assert earlier in page.split('id="nearby-cases"')[1].split("</ul>")[0]


def test_the_map_gets_the_ward_outlines_and_the_configured_tiles(client, batho):
    response = client.get("/places/wards.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert len(response.get_json()["features"]) == 8
    assert "img-src 'self' data:;" in client.get("/lodge/complaint").headers["Content-Security-Policy"]
    batho.config = dataclasses.replace(batho.config, map_tiles_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    page = client.get("/lodge/complaint")
    assert "img-src 'self' data: https://*.tile.example.org;" in page.headers["Content-Security-Policy"]
    assert 'data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in page.get_data(as_text=True)


def test_the_place_reads_in_sesotho_and_afrikaans(browsers):
    citizen = browsers("citizen")
    sesotho = citizen.get("/lodge/complaint?lang=st").get_data(as_text=True)
    assert "Sebedisa sebaka sa ka" in sesotho and "Na ke e nngwe ya tsena?" in sesotho
    response = citizen.post("/lodge/complaint?lang=af", {"category": "water", "description": "Geen water",
                                                         "latitude": str(JOHANNESBURG[0]),
                                                         "longitude": str(JOHANNESBURG[1])},
                            page="/lodge/complaint?lang=af")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Daardie punt lê buite Mafube se wyke — skuif die speld of tik die adres." in page
    assert "Gebruik my ligging" in page
