"""Open311 needs no key and no access code: it publishes fixed wording only, and details only where told."""

from __future__ import annotations

from engine.services import cases
from tests.processes.helpers import lodge_query
from tests.support.drive import do, lodge, status_path

REFERRAL = "Ask Mr Themba Nkosi at Eskom Frankfort, 072 555 0199, zebra-quartz"
ADJUSTMENT_REASON = "Duplicate charge on the March account, walrus-jasmine"
OPEN311_URLS = ("/open311/v2/requests.json", "/open311/v2/requests.xml")


def open311_texts(client, reference: str) -> list[str]:
    """Every Open311 answer about the case: the list and the single request, JSON and XML."""
    answers = [client.get(url) for url in OPEN311_URLS]
    answers += [client.get(f"/open311/v2/requests/{reference}.{fmt}") for fmt in ("json", "xml")]
    for answer in answers:
        assert answer.status_code == 200
    texts = [a.get_data(as_text=True) for a in answers]
    assert all(reference in t for t in texts), "the case is listed"
    return texts


def test_a_referral_reason_never_appears_in_open311_but_the_citizen_reads_it_with_the_code(client, batho, people):
    reference = lodge(batho, name="Jane Citizen", email="jane@example.org")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="refer", triage_reason=REFERRAL)
    for text in open311_texts(client, reference):
        assert "zebra-quartz" not in text and "Themba" not in text and "072 555" not in text
        assert "Referred: this is not a matter for the municipality." in text  # the status sentence instead
    [found] = client.get(f"/open311/v2/requests/{reference}.json").get_json()
    assert found["status_notes"] == "Referred: this is not a matter for the municipality."
    page = client.get(status_path(batho, reference)).get_data(as_text=True)
    assert "zebra-quartz" in page, "the citizen with the access code still reads the reason"
    assert "zebra-quartz" not in client.get(f"/status/{reference}").get_data(as_text=True)


def test_an_account_decision_never_appears_in_open311_but_the_holder_reads_it_with_the_code(client, batho, people):
    reference = lodge_query(batho)
    do(batho, people["billing"], reference, "Task_verify", outcome="incorrect", verification_notes="Misread meter.")
    do(batho, people["billing"], reference, "Task_adjust", adjustment_amount="733.17",
       adjustment_reason=ADJUSTMENT_REASON, corrected_balance="1107.33")
    do(batho, people["billing"], reference, "Task_apply", applied_on="2026-11-27", ledger_reference="JNL-77")
    for text in open311_texts(client, reference):
        for secret in ("walrus-jasmine", "733.17", "733,17", "1107.33", "1\u00a0107,33", "1840.50", "1\u00a0840,50",
                       "4410023", "far higher than the meter"):
            assert secret not in text, secret
    page = client.get(status_path(batho, reference)).get_data(as_text=True)
    assert "walrus-jasmine" in page and "R\u00a01\u00a0107,33" in page  # amounts as money: R 1 107,33


def test_fixed_milestone_wording_is_published_as_written(client, batho, people):
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    [found] = client.get(f"/open311/v2/requests/{reference}.json").get_json()
    assert [n["description"] for n in found["notes"]][-1] == (
        f"Your complaint {reference} is being investigated by the responsible department.")


def test_by_default_the_citizens_words_and_place_are_not_published(client, batho, demo_key):
    form = {"service_code": "complaint-roads", "lat": "-27.2795", "long": "28.4809", "api_key": demo_key,
            "description": "Pothole outside number 7, where my ex-husband lives", "address_string": "7 Kerk St"}
    reference = client.post("/open311/v2/requests.json", data=form).get_json()[0]["service_request_id"]
    web = lodge(batho, {"category": "water", "description": "Leak at 3 Oak St", "location": "3 Oak St"})
    for ref in (reference, web):
        [found] = client.get(f"/open311/v2/requests/{ref}.json").get_json()
        assert found["description"] == found["address"] == found["lat"] == found["long"] == ""
    assert "ex-husband" not in client.get("/open311/v2/requests.xml").get_data(as_text=True)
    services = {s["service_code"]: s for s in client.get("/open311/v2/services.json").get_json()}
    assert "published" not in services["complaint-roads"]["description"]



def test_a_process_that_publishes_details_says_so_on_the_form_and_publishes_what_was_told(client, open_complaints):
    page = client.get("/lodge/complaint").get_data(as_text=True)
    assert "What is published" in page
    assert "What is published" not in client.get("/lodge/account_query").get_data(as_text=True)
    told = lodge(open_complaints, {"category": "water", "description": "Leak at the corner", "location": "Kerk St"})
    [found] = client.get(f"/open311/v2/requests/{told}.json").get_json()
    assert found["description"] == "Leak at the corner" and found["address"] == "Kerk St"
    # Captured by staff from a phone call: the caller saw no notice, so nothing of theirs is published.
    phoned = cases.lodge(open_complaints, "complaint", {"category": "water", "description": "Leak by the school",
                                                        "location": "School St"}, cases.Contact(), "phone")
    [found] = client.get(f"/open311/v2/requests/{phoned}.json").get_json()
    assert found["description"] == "" and found["address"] == ""
    services = {s["service_code"]: s for s in client.get("/open311/v2/services.json").get_json()}
    assert "published in the public list" in services["complaint-water"]["description"]

