"""Open311 lat/long: a posted point finds its ward and town like our own form; one outside every ward is refused;
GET answers the point where the process publishes details (openDetails), for requests from our web form too."""

from __future__ import annotations

import pytest

from engine.services import open311
from tests.support.drive import case, lodge

POTHOLE = {"service_code": "complaint-roads", "lat": "-27.2795", "long": "28.4809",
           "description": "A deep pothole in Church Street outside the post office"}


def posted(client, demo_key, **change):
    return client.post("/open311/v2/requests.json", data={**POTHOLE, "api_key": demo_key, **change})



def test_a_posted_point_finds_its_ward_and_town(client, batho, demo_key):
    response = posted(client, demo_key)
    assert response.status_code == 201, response.get_data(as_text=True)
    kept = case(batho, response.get_json()[0]["service_request_id"])
    assert (kept.latitude, kept.longitude, kept.ward, kept.town) == (-27.2795, 28.4809, "42005001", "Frankfort")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_point_outside_every_ward_is_400_with_a_sentence_and_opens_no_case(client, batho, demo_key, fmt):
    response = client.post(f"/open311/v2/requests.{fmt}",
                           data={**POTHOLE, "api_key": demo_key, "lat": "-26.2041", "long": "28.0473"})
    assert response.status_code == 400
    assert "That point is outside Mafube's wards — move the pin or type the address." in response.get_data(
        as_text=True).replace("&#39;", "'").replace("&apos;", "'")
    assert open311.search(batho, {}) == []


def test_an_address_without_a_point_needs_no_ward(client, batho, demo_key):
    response = posted(client, demo_key, lat="", long="", address_string="Church Street, Frankfort")
    assert response.status_code == 201
    assert case(batho, response.get_json()[0]["service_request_id"]).ward is None


def test_get_answers_the_point_where_details_are_published(client, open_complaints, demo_key):
    by_api = posted(client, demo_key).get_json()[0]["service_request_id"]
    by_web = lodge(open_complaints, {"category": "water", "description": "Leak at the corner", "location": "Kerk St",
                                     "latitude": -27.2717, "longitude": 28.4958})
    [api] = client.get(f"/open311/v2/requests/{by_api}.json").get_json()
    [web] = client.get(f"/open311/v2/requests/{by_web}.json").get_json()
    assert (api["lat"], api["long"]) == (-27.2795, 28.4809)
    assert (web["lat"], web["long"]) == (-27.2717, 28.4958)


def test_get_keeps_the_point_back_where_details_are_not_published(client, batho, demo_key):
    by_web = lodge(batho, {"category": "water", "description": "Leak at the corner", "location": "Kerk St",
                           "latitude": -27.2717, "longitude": 28.4958})
    [web] = client.get(f"/open311/v2/requests/{by_web}.json").get_json()
    assert web["lat"] == web["long"] == ""


def test_the_staff_api_takes_a_point_in_the_data_and_finds_its_ward(client, batho, bearer):
    water = {"category": "water", "description": "Leak", "location": "Kerk St"}
    created = client.post("/api/v1/cases", headers=bearer("agent"), json={
        "process": "complaint", "channel": "phone", "data": {**water, "latitude": -27.03, "longitude": 28.63}})
    assert created.status_code == 201, created.get_data(as_text=True)
    kept = case(batho, created.get_json()["case_reference"])
    assert (kept.ward, kept.town) == ("42005005", "Qalabotjha")
    outside = client.post("/api/v1/cases", headers=bearer("agent"), json={
        "process": "complaint", "channel": "phone", "data": {**water, "latitude": -26.2, "longitude": 28.0}})
    assert outside.status_code == 400 and "outside Mafube" in outside.get_json()["errors"]["place"]
