"""Open311 GeoReport v2: discovery, services, posting, searching, fetching, tokens and errors, XML and JSON."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from sqlalchemy import update

from engine.models import Case
from engine.services import api_tokens, open311
from tests.support.drive import case, do, lodge, open_tasks

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("georeport_v2.xsd"))))
POTHOLE = {"service_code": "complaint-roads", "lat": "-27.2795", "long": "28.4809",
           "description": "A deep pothole in Church Street outside the post office", "first_name": "Jane",
           "last_name": "Citizen", "email": "jane@example.org"}


def xml(response) -> etree._Element:
    """The XML document of a response, checked against the GeoReport v2 structure."""
    assert response.content_type == "text/xml; charset=utf-8"
    doc = etree.fromstring(response.get_data())
    SCHEMA.assertValid(doc)
    return doc


def post(client, fmt="json", **form):
    return client.post(f"/open311/v2/requests.{fmt}", data=form)


def errors_of(response, fmt):
    if fmt == "json":
        assert response.content_type.startswith("application/json")
        return [(e["code"], e["description"]) for e in response.get_json()]
    doc = xml(response)
    return [(int(e.findtext("code")), e.findtext("description")) for e in doc.iter("error")]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_discovery_names_the_endpoint_and_its_formats(client, fmt):
    response = client.get(f"/open311/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        endpoint = response.get_json()["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://127.0.0.1:5000/open311/v2"  # BATHO_PUBLIC_URL, never the Host header
        assert endpoint["formats"] == ["text/xml", "application/json"]
    else:
        assert xml(response).findtext("endpoints/endpoint/url") == "http://127.0.0.1:5000/open311/v2"


def test_services_are_the_citizen_facing_categories_of_the_deployed_processes(client):
    services = {s["service_code"]: s for s in client.get("/open311/v2/services.json").get_json()}
    assert {"complaint-water", "complaint-roads", "complaint-poor_service", "account_query-tariff"} <= set(services)
    assert services["complaint-water"] == {
        "service_code": "complaint-water", "service_name": "Water supply", "description": "Complaint: Water supply",
        "metadata": False, "type": "realtime", "keywords": "water, supply", "group": "Complaint"}
    assert services["account_query-tariff"]["metadata"] is True
    assert not any(code.startswith(("suggestion_box", "policy_review")) for code in services), "no start form"
    doc = xml(client.get("/open311/v2/services.xml"))
    assert "complaint-water" in [s.findtext("service_code") for s in doc.iter("service")]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_service_definition_lists_the_start_form_fields_as_attributes(client, fmt):
    response = client.get(f"/open311/v2/services/account_query-tariff.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        attributes = {a["code"]: a for a in response.get_json()["attributes"]}
    else:
        attributes = {a.findtext("code"): {"datatype": a.findtext("datatype"), "required": a.findtext("required")}
                      for a in xml(response).iter("attribute")}
    assert attributes["account_number"]["datatype"] == "string"
    assert attributes["disputed_amount"]["datatype"] == "number"
    assert attributes["account_number"]["required"] in (True, "true")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_service_is_404_in_the_standard_error_format(client, fmt):
    response = client.get(f"/open311/v2/services/no-such-thing.{fmt}")
    assert response.status_code == 404
    [(code, description)] = errors_of(response, fmt)
    assert code == 404 and "no-such-thing" in description


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_posting_a_request_opens_a_case_and_starts_its_process_like_our_own_form(client, batho, demo_key, fmt):
    response = post(client, fmt, api_key=demo_key, **POTHOLE)
    assert response.status_code == 201, response.get_data(as_text=True)
    if fmt == "json":
        [answer] = response.get_json()
    else:
        node = xml(response).find("request")
        answer = {child.tag: child.text or "" for child in node}
    reference = answer["service_request_id"]
    assert reference.startswith("MAF-") and answer["token"]
    lodged = case(batho, reference)
    assert (lodged.case_type, lodged.category, lodged.channel) == ("complaint", "roads", "api")
    assert lodged.summary == POTHOLE["description"] and lodged.citizen_email == "jane@example.org"
    assert lodged.citizen_name == "Jane Citizen" and lodged.location == "-27.279500, 28.480900"
    assert open_tasks(batho, reference) == ["Task_triage"]
    local_due = lodged.due_at.astimezone(ZoneInfo("Africa/Johannesburg")).date().isoformat()
    assert f"Your reference is {reference}." in answer["service_notice"]
    assert f"resolved by {local_due} (working days)" in answer["service_notice"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_posting_needs_a_valid_api_key(client, batho, demo_key, fmt):
    assert errors_of(post(client, fmt, **POTHOLE), fmt)[0][0] == 403
    wrong = post(client, fmt, api_key="guessed", **POTHOLE)
    assert wrong.status_code == 403 and "not valid" in errors_of(wrong, fmt)[0][1]
    admin = api_tokens.identify(batho, api_tokens.issue_token(batho, "admin", "demo-test").token)
    key = api_tokens.issue_api_key(batho, admin, "FixMyStreet Mafube")
    assert post(client, fmt, api_key=key, **POTHOLE).status_code == 201
    [row] = [k for k in api_tokens.api_keys(batho) if k.name == "FixMyStreet Mafube"]
    api_tokens.revoke_api_key(batho, admin, row.id)
    assert post(client, fmt, api_key=key, **POTHOLE).status_code == 403


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(("change", "field_text"), [
    ({"service_code": ""}, "service_code is required"),
    ({"service_code": "complaint-unicorns"}, "no service with service_code"),
    ({"lat": "", "long": ""}, "A location is required"),
    ({"lat": "123"}, "lat must be a number from -90 to 90"),
    ({"long": ""}, "Give both lat and long"),
    ({"description": "x" * 4001}, "at most 4000 characters"),
    ({"description": ""}, "Describe the problem is required"),
    ({"email": "not-an-address"}, "Email: enter an address"),
])
def test_bad_requests_are_400_with_a_sentence_and_open_no_case(client, batho, demo_key, fmt, change, field_text):
    response = post(client, fmt, api_key=demo_key, **{**POTHOLE, **change})
    assert response.status_code == 400
    described = " ".join(d for _, d in errors_of(response, fmt))
    assert field_text in described
    assert open311.search(batho, {}) == []


def test_an_account_query_needs_the_account_holders_contact_and_account_number(client, demo_key):
    form = {"service_code": "account_query-tariff", "address_string": "4 Kerk Street, Frankfort",
            "description": "The tariff on my account is wrong"}
    errors = [d for _, d in errors_of(post(client, "json", api_key=demo_key, **form), "json")]
    assert any("email address or a phone number" in e for e in errors)
    assert any("required" in e.lower() and "account" in e.lower() for e in errors)


def references(client, query="", fmt="json") -> list[str]:
    response = client.get(f"/open311/v2/requests.{fmt}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt == "json":
        return [r["service_request_id"] for r in response.get_json()]
    return [r.findtext("service_request_id") for r in xml(response).iter("request")]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_searching_requests_with_every_filter(client, batho, people, demo_key, fmt):
    pothole = post(client, "json", api_key=demo_key, **POTHOLE).get_json()[0]["service_request_id"]
    water = lodge(batho)
    old = lodge(batho)
    with batho.db.transaction() as session:
        session.execute(update(Case).where(Case.reference == old)
                        .values(opened_at=batho.now() - timedelta(days=120)))
    do(batho, people["agent"], water, "Task_triage", triage_outcome="refer", triage_reason="Not ours.")

    assert references(client, "", fmt) == [water, pothole], "the last 90 days by default, newest first"
    assert references(client, f"?service_request_id={old},{water}&status=open", fmt) == [water, old]
    assert references(client, "?service_code=complaint-roads", fmt) == [pothole]
    assert references(client, "?service_code=complaint-water,complaint-roads", fmt) == [water, pothole]
    assert references(client, "?status=closed", fmt) == [water]
    assert references(client, "?status=open", fmt) == [pothole]
    start = (batho.now() - timedelta(days=200)).isoformat()
    end = (batho.now() - timedelta(days=100)).isoformat()
    assert references(client, f"?start_date={start}&end_date={end}".replace("+", "%2B"), fmt) == [old]
    assert references(client, f"?start_date={start}".replace("+", "%2B"), fmt) == [water, pothole, old]
    assert references(client, "?jurisdiction_id=mafube.gov.za", fmt) == [water, pothole]


def test_at_most_the_first_thousand_requests_are_listed(client, batho, monkeypatch):
    _first, second, third = lodge(batho), lodge(batho), lodge(batho)
    monkeypatch.setattr(open311, "MAX_RESULTS", 2)
    assert references(client) == [third, second]


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(("query", "text"), [("?start_date=yesterday", "start_date must be an ISO 8601"),
                                             ("?end_date=2026-13-01", "end_date must be an ISO 8601"),
                                             ("?status=pending", "status must be open or closed")])
def test_bad_search_filters_are_400(client, fmt, query, text):
    response = client.get(f"/open311/v2/requests.{fmt}{query}")
    assert response.status_code == 400
    assert text in errors_of(response, fmt)[0][1]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_one_request_with_status_notes_expected_time_and_notes(client, batho, people, demo_key, fmt):
    reference = post(client, "json", api_key=demo_key, **POTHOLE).get_json()[0]["service_request_id"]
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    response = client.get(f"/open311/v2/requests/{reference}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        [found] = response.get_json()
    else:
        node = xml(response).find("request")
        found = {child.tag: child.text or "" for child in node if child.tag != "notes"}
        found["notes"] = [{"description": n.findtext("description"), "type": n.findtext("type")}
                          for n in node.iter("note")]
    due = case(batho, reference).due_at.astimezone(ZoneInfo("Africa/Johannesburg"))
    assert found["status"] == "open" and found["service_code"] == "complaint-roads"
    assert found["expected_datetime"] == due.isoformat(timespec="seconds")
    assert found["agency_responsible"].startswith("Technical Services")
    assert found["status_notes"] == f"Your complaint {reference} is being investigated by the responsible department."
    assert [n["description"][:30] for n in found["notes"]] == [
        f"We registered your complaint {reference}"[:30], found["status_notes"][:30]]
    # A complaint's words and place stay private unless its diagram says openDetails=true (test_open311_privacy).
    assert found["lat"] == "" and found["description"] == ""
    assert "jane" not in str(found).lower(), "no contact details in the public standard"


def test_requests_lodged_on_our_own_form_do_not_publish_the_citizens_words(client, batho):
    reference = lodge(batho, {"category": "water", "description": "My neighbour Mr X at 3 Oak St", "location": "3 Oak"})
    [found] = client.get(f"/open311/v2/requests/{reference}.json").get_json()
    assert found["description"] == "" and found["address"] == ""
    assert found["service_code"] == "complaint-water"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_request_and_token_are_404(client, fmt):
    for url in ("requests/MAF-1999-000001", "tokens/nope"):
        response = client.get(f"/open311/v2/{url}.{fmt}")
        assert response.status_code == 404
        assert errors_of(response, fmt)[0][0] == 404


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_token_resolves_to_the_service_request_id(client, demo_key, fmt):
    [posted] = post(client, "json", api_key=demo_key, **POTHOLE).get_json()
    response = client.get(f"/open311/v2/tokens/{posted['token']}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.get_json() == [{"service_request_id": posted["service_request_id"], "token": posted["token"]}]
    else:
        assert xml(response).findtext("request/service_request_id") == posted["service_request_id"]


@pytest.mark.parametrize("url", ["/open311/v2/requests.json?start_date=0001-01-01T00:00:01%2B06:00",
                                 "/open311/v2/requests.json?end_date=9999-12-31T23:59:59-06:00"])
def test_dates_at_the_ends_of_the_calendar_mean_from_the_beginning_or_until_the_end(client, batho, url):
    reference = lodge(batho)
    response = client.get(url)
    assert response.status_code == 200
    assert reference in [r["service_request_id"] for r in response.get_json()]
