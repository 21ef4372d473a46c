"""Issue 15's "Done when", one story per channel: a complaint lodged with a photo and a place (USSD: the ward from its
menu) finds its ward, shows in that ward councillor's view without personal data, is followed on its own channel,
gets more information with the access code, is worked to closure, reopened as "still not fixed" within 30 days and
refused after them; then each bad input the issue names, on every channel that takes it."""

# The channels' fixtures are imported from their own test modules and named as test parameters:
# ruff: noqa: F811
from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from engine import worker
from engine.composition import Batho
from engine.metrics import service
from engine.models import Case, DailyFigure, HumanTask, Notification, Photo, WhatsAppMessage
from engine.services import timers
from engine.services.identity import DEMO_WARDS, Identity
from tests.channels.test_sms import gateway, sms  # noqa: F401 (fixtures)
from tests.channels.test_ussd import dial, digits, ussd  # noqa: F401 (ussd is a fixture)
from tests.channels.test_whatsapp import NUMBER, cloud, post, say, tap, wa, wa_client  # noqa: F401 (fixtures)
from tests.support import fake_whatsapp as fake
from tests.support import images
from tests.support.drive import access_code, case, do, open_tasks, respond, status_path
from tests.support.web import Browser
from tests.web.test_photos import lodge as lodge_on_the_form
from tests.web.test_photos import lodged, photo, stored

WARD, TOWN = DEMO_WARDS["councillor"], "Frankfort"  # the demo councillor's ward: ward 1 of the example wards file
IN_WARD = (-27.262, 28.497)  # inside ward 1 of config/wards/mafube-example.geojson (28.48..28.515 E, 27.245..27.295 S)
JOHANNESBURG = (-26.2041, 28.0473)  # outside every ward of Mafube
NOTE = "The water now also comes out of the pavement at number 14."
STILL = "It is leaking again at the same place."
OVERSIZED = images.jpeg_with_gps((640, 480)) + b"\0" * (11 * 1024 * 1024)  # a real JPEG, padded past 10 MB
TOO_LARGE = "This photo is larger than 10 MB."
NOT_A_PHOTO = "This file is not a photo we can read."
OUTSIDE = "That point is outside Mafube's wards — move the pin or type the address."
Browsers = Callable[[str], Browser]


def text_of(response: Any) -> str:
    return str(response.get_data(as_text=True)).replace("&#39;", "'").replace("&apos;", "'")


def the_councillor_sees_it_without_personal_data(browsers: Browsers, reference: str, private: list[str]) -> None:
    page = text_of(browsers("councillor").get("/ward"))
    assert f'data-reference="{reference}"' in page and "Ward 1: Frankfort town" in page
    assert "1 case is open now" in page, "and in the ward's figures"
    leaked = [text for text in private if text in page]
    assert not leaked, f"personal data on the councillor's page: {leaked}"


def add_information(browsers: Browsers, app: Batho, reference: str) -> None:
    """The citizen adds a note on the status page with the access code; staff see it on the case."""
    sent = browsers("citizen").post(f"/status/{reference}/information",
                                    {"code": access_code(app, reference), "information": NOTE},
                                    page=status_path(app, reference))
    assert sent.status_code == 302 and "added=1" in sent.headers["Location"]
    assert NOTE in text_of(browsers("officer").get(f"/cases/{reference}"))


def work_to_closure(app: Batho, people: dict[str, Identity], reference: str, triage: bool = True) -> None:
    if triage:
        do(app, people["agent"], reference, "Task_triage", triage_outcome="accept")
    respond(app, people, reference)
    do(app, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    assert case(app, reference).status == "closed"


def still_not_fixed(browsers: Browsers, app: Batho, reference: str) -> Any:
    return browsers("citizen").post(f"/status/{reference}/reopen", {"code": access_code(app, reference),
                                                                    "words": STILL}, page=status_path(app, reference))


def reopen_then_refused_after_30_days(browsers: Browsers, app: Batho, people: dict[str, Identity],
                                      reference: str) -> None:
    """Closed; "still not fixed" sends it back to the department; closed again, after 30 days it stays closed."""
    work_to_closure(app, people, reference)
    assert still_not_fixed(browsers, app, reference).status_code == 302
    reopened = case(app, reference)
    assert reopened.status != "closed" and reopened.closed_at is None
    assert open_tasks(app, reference) == ["Task_investigate"]
    with app.db.reading() as session:
        department = session.scalar(select(HumanTask.candidate_department).where(HumanTask.case_id == reopened.id))
    assert department and department == reopened.department_code, "back to the department"
    board = service.dashboard(app, people["manager"], app.now().strftime("%Y-%m"))
    assert board.total.reopened == 1
    work_to_closure(app, people, reference, triage=False)
    with time_machine.travel(datetime.now().astimezone() + timedelta(days=31), tick=False):
        timers.fire_due_timers(app)
        refused = still_not_fixed(browsers, app, reference)
        assert refused.status_code == 400 and "can no longer be reopened" in text_of(refused)
    assert case(app, reference).status == "closed" and open_tasks(app, reference) == []


def the_rest_of_the_story(browsers: Browsers, app: Batho, people: dict[str, Identity], reference: str,
                          private: list[str]) -> None:
    """What every channel shares after lodging: ward, councillor, information added, closure, reopening."""
    kept = case(app, reference)
    assert (kept.ward, kept.town) == (WARD, TOWN)
    with app.db.reading() as session:
        opened = session.scalar(select(func.sum(DailyFigure.opened)).where(DailyFigure.ward == WARD,
                                                                            DailyFigure.town == TOWN))
    assert opened == 1, "the monitoring figures count it in its ward"
    the_councillor_sees_it_without_personal_data(browsers, reference, [*private, kept.access_code or "-"])
    add_information(browsers, app, reference)
    reopen_then_refused_after_30_days(browsers, app, people, reference)


def point(at: tuple[float, float] = IN_WARD) -> dict[str, str]:
    return {"latitude": str(at[0]), "longitude": str(at[1])}


# ---- the web form ----------------------------------------------------------------------------------------------

CITIZEN = {"name": "Thabo Mokoena", "phone": "082 555 1111"}  # the form's helper adds thabo@example.co.za
PRIVATE = ["Thabo Mokoena", "082 555 1111", "0825551111", "27825551111", "thabo@example.co.za",
           "Burst pipe flooding Church Street", "4 Church St"]


def test_the_web_form_story(browsers: Browsers, batho: Batho, people: dict[str, Identity]) -> None:
    citizen = browsers("citizen")
    reference, code = lodged(lodge_on_the_form(citizen, [photo(images.jpeg_with_gps())], **CITIZEN, **point()))
    assert [p.source for p in stored(batho, reference)] == ["web"]
    assert (case(batho, reference).latitude, case(batho, reference).longitude) == IN_WARD
    followed = text_of(citizen.get(f"/status/{reference}?code={code}"))
    assert reference in followed and 'id="add-information"' in followed
    the_rest_of_the_story(browsers, batho, people, reference, PRIVATE)


# ---- Open311 ---------------------------------------------------------------------------------------------------

SERVICE_REQUEST = {"service_code": "complaint-water", "description": "Burst pipe flooding Church Street",
                   "address_string": "4 Church St", "first_name": "Thabo", "last_name": "Mokoena",
                   "email": "thabo@example.co.za", "phone": "082 555 1111"}


def open311_post(client: Any, demo_key: str, media: bytes, where: tuple[float, float] = IN_WARD) -> Any:
    data = {**SERVICE_REQUEST, "api_key": demo_key, "lat": str(where[0]), "long": str(where[1]),
            "media": [(io.BytesIO(media), "leak.jpg")]}
    return client.post("/open311/v2/requests.json", data=data, content_type="multipart/form-data")


def test_the_open311_story(browsers: Browsers, client: Any, batho: Batho, people: dict[str, Identity],
                           demo_key: str) -> None:
    answer = open311_post(client, demo_key, images.jpeg_with_gps())
    assert answer.status_code == 201, text_of(answer)
    reference = answer.get_json()[0]["service_request_id"]
    assert [p.source for p in stored(batho, reference)] == ["open311"]
    [request] = client.get(f"/open311/v2/requests/{reference}.json").get_json()
    assert request["status"] == "open" and not request.get("lat"), "complaints publish no point"
    with batho.db.reading() as session:  # the acknowledgement e-mail carries the code the citizen follows it with
        told = session.scalars(select(Notification.body).where(Notification.recipient == "thabo@example.co.za")).all()
    assert any(access_code(batho, reference) in body for body in told)
    followed = text_of(browsers("citizen").get(status_path(batho, reference)))
    assert reference in followed and 'id="add-information"' in followed
    the_rest_of_the_story(browsers, batho, people, reference, PRIVATE)


# ---- WhatsApp --------------------------------------------------------------------------------------------------

def whatsapp_up_to_the_pin(say: Callable[..., list[str]], description: str = "Burst pipe flooding Church Street"
                           ) -> None:
    for message in ("hi", "1", "1"):  # English, report a problem
        say(message)
    say(tap("1", "list_reply"))  # Water supply
    say(description)


def test_the_whatsapp_story(browsers: Browsers, say: Callable[..., list[str]], wa: Batho,
                            cloud: fake.FakeCloudApi, people: dict[str, Identity]) -> None:
    cloud.add_media("media-journey", images.jpeg_with_gps())
    whatsapp_up_to_the_pin(say)
    assert "up to 3 photos" in say({"type": "location", "location": {"latitude": IN_WARD[0],
                                                                      "longitude": IN_WARD[1]}})[0]
    say({"type": "image", "image": {"id": "media-journey", "mime_type": "image/jpeg"}})
    say("1")  # no more photos
    lodged_answer = say(tap("1"))[0]
    with wa.db.reading() as session:
        reference = session.scalars(select(Case.reference).where(Case.channel == "whatsapp")).one()
    assert reference in lodged_answer and access_code(wa, reference) in lodged_answer
    assert [p.source for p in stored(wa, reference)] == ["whatsapp"]
    assert f"Case {reference}" in say(reference)[0]  # followed by sending the reference
    the_rest_of_the_story(browsers, wa, people, reference,
                          ["Thabo", NUMBER, "+" + NUMBER, "082 555 1111", "Burst pipe flooding Church Street"])


# ---- staff capture ---------------------------------------------------------------------------------------------

CAPTURED = {"category": "water", "description": "Burst pipe flooding Church Street", "location": "4 Church St",
            "channel": "walk_in", **CITIZEN}


def capture(agent: Browser, data: bytes, **values: str) -> Any:
    return agent.post("/capture/complaint", {**CAPTURED, **values, "photos": [photo(data)]}, page="/capture/complaint",
                      content_type="multipart/form-data")


def test_the_staff_capture_story(browsers: Browsers, batho: Batho, people: dict[str, Identity]) -> None:
    # The capture form takes no map point: the agent types the address and sets the ward on the case page, as the
    # issue says staff do for a case without a point.
    agent = browsers("agent")
    saved = capture(agent, images.jpeg_with_gps())
    assert saved.status_code == 302, text_of(saved)[:2000]
    reference = saved.headers["Location"].rsplit("/", 1)[1]
    assert [p.source for p in stored(batho, reference)] == ["walk_in"]
    assert agent.post(f"/cases/{reference}/ward", {"ward": WARD}, page=f"/cases/{reference}").status_code == 302
    slip = text_of(agent.get(f"/cases/{reference}/slip"))
    assert access_code(batho, reference) in slip  # what the citizen takes home to follow it with
    assert reference in text_of(browsers("citizen").get(status_path(batho, reference)))
    the_rest_of_the_story(browsers, batho, people, reference, PRIVATE)


# ---- USSD, followed by USSD and by SMS -------------------------------------------------------------------------

USSD_PHONE = "+27825551111"


def test_the_ussd_story(browsers: Browsers, batho: Batho, people: dict[str, Identity],
                        ussd: Callable[..., str], sms: Callable[..., list[str]]) -> None:
    # A USSD session carries text only: no photo can be sent, and no point; the ward is chosen from the menu.
    end = dial(ussd, ["1", "1", "1", "1", "1", "Burst pipe flooding Church Street", "1"], session="ATUid_journey")[-1]
    found = re.search(r"MAF-\d{4}-\d{6}", end)
    assert end.startswith("END ") and found
    reference = found.group(0)
    assert access_code(batho, reference) in end
    tracked = ussd(f"1*2*{digits(reference)} {access_code(batho, reference)}", session="ATUid_track")
    assert tracked.startswith(f"END {reference}: Registered")
    acknowledged, texted = sms(f"STATUS {reference}", sender=USSD_PHONE)  # the pass sends the lodging SMS too
    assert reference in acknowledged and access_code(batho, reference) in acknowledged
    assert texted.startswith(f"{reference}: Registered")
    the_rest_of_the_story(browsers, batho, people, reference,
                          [USSD_PHONE, "0825551111", "Burst pipe flooding Church Street"])


# ---- bad input -------------------------------------------------------------------------------------------------

def count(app: Batho, model: Any) -> int:
    with app.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def complaints(app: Batho) -> int:
    """Complaints lodged (a worker pass may start the scheduled processes' own cases)."""
    with app.db.reading() as session:
        return int(session.scalar(select(func.count(Case.id)).where(Case.case_type == "complaint")) or 0)


def test_a_bad_whatsapp_signature_gets_401_and_nothing_is_stored(wa_client: Any, wa: Batho) -> None:
    document = fake.delivery(NUMBER, {"id": "wamid.forged", "type": "text", "text": {"body": "hi"}})
    assert post(wa_client, document, fake.signature(b"x", secret="a guess")).status_code == 401
    worker.run_pass(wa)
    assert count(wa, WhatsAppMessage) == 0 and complaints(wa) == 0


@pytest.mark.parametrize(("content", "sentence"), [(OVERSIZED, TOO_LARGE), (images.FAKE_JPEG, NOT_A_PHOTO)],
                         ids=["oversized", "text-named-jpg"])
def test_a_bad_photo_on_the_web_form_is_a_sentence_and_the_answers_are_kept(browsers: Browsers, batho: Batho,
                                                                            content: bytes, sentence: str) -> None:
    refused = lodge_on_the_form(browsers("citizen"), [photo(content, "pipe.jpg")], **CITIZEN, **point())
    page = text_of(refused)
    assert refused.status_code == 400 and sentence in page
    assert "Burst pipe flooding Church Street</textarea>" in page and 'value="Thabo Mokoena"' in page
    assert f'value="{IN_WARD[0]}"' in page  # the point too
    assert complaints(batho) == 0


@pytest.mark.parametrize(("content", "sentence"), [(OVERSIZED, TOO_LARGE), (images.FAKE_JPEG, NOT_A_PHOTO)],
                         ids=["oversized", "text-named-jpg"])
def test_a_bad_photo_through_open311_is_a_400_with_a_sentence_and_no_request(client: Any, batho: Batho,
                                                                             demo_key: str, content: bytes,
                                                                             sentence: str) -> None:
    refused = open311_post(client, demo_key, content)
    assert refused.status_code == 400 and refused.get_json()[0]["description"].startswith(f"media: {sentence}")
    assert complaints(batho) == 0


@pytest.mark.parametrize(("content", "sentence"), [(OVERSIZED, TOO_LARGE), (images.FAKE_JPEG, NOT_A_PHOTO)],
                         ids=["oversized", "text-named-jpg"])
def test_a_bad_photo_at_staff_capture_is_a_sentence_and_the_answers_are_kept(browsers: Browsers, batho: Batho,
                                                                            content: bytes, sentence: str) -> None:
    refused = capture(browsers("agent"), content)
    page = text_of(refused)
    assert refused.status_code == 400 and sentence in page
    assert "Burst pipe flooding Church Street" in page and 'value="Thabo Mokoena"' in page
    assert complaints(batho) == 0


@pytest.mark.parametrize("content", [OVERSIZED, images.FAKE_JPEG], ids=["oversized", "text-named-jpg"])
def test_a_bad_photo_on_whatsapp_is_left_out_with_a_sentence_and_the_complaint_lodged(
        say: Callable[..., list[str]], wa: Batho, cloud: fake.FakeCloudApi, content: bytes) -> None:
    cloud.add_media("media-bad", content)
    whatsapp_up_to_the_pin(say)
    say({"type": "location", "location": {"latitude": IN_WARD[0], "longitude": IN_WARD[1]}})
    say({"type": "image", "image": {"id": "media-bad", "mime_type": "image/jpeg"}})
    say("1")
    answers = say(tap("1"))
    assert any("1 photo(s) could not be added to the case" in text for text in answers), answers
    with wa.db.reading() as session:
        made = session.scalars(select(Case).where(Case.channel == "whatsapp")).one()
        assert (made.summary, made.ward) == ("Burst pipe flooding Church Street", WARD)  # nothing else lost
        assert session.scalar(select(func.count()).select_from(Photo).where(Photo.case_id == made.id)) == 0


def test_a_point_outside_every_ward_is_a_sentence_on_each_channel_that_takes_a_point(
        browsers: Browsers, client: Any, demo_key: str, say: Callable[..., list[str]], wa: Batho) -> None:
    web = lodge_on_the_form(browsers("citizen"), [], **CITIZEN, **point(JOHANNESBURG))
    page = text_of(web)
    assert web.status_code == 400 and OUTSIDE in page
    assert "Burst pipe flooding Church Street</textarea>" in page and 'value="Thabo Mokoena"' in page
    api = open311_post(client, demo_key, images.png(), JOHANNESBURG)
    assert api.status_code == 400 and OUTSIDE in text_of(api)
    whatsapp_up_to_the_pin(say)
    refusal = say({"type": "location", "location": {"latitude": JOHANNESBURG[0], "longitude": JOHANNESBURG[1]}})[0]
    assert "outside the municipality's wards" in refusal
    assert "up to 3 photos" in say("4 Church St, Frankfort")[0]  # the description is kept: on to the photos
    assert complaints(wa) == 0


def choices(screen: str) -> list[str]:
    return [line for line in screen.splitlines()[1:] if line[:1].isdigit()]


@pytest.mark.parametrize(("answers", "first"), [("", "1 English"), ("1", "1 Report a problem"),
                                               ("1*1", "1 Water supply"), ("1*1*1", "1 Frankfort"),
                                               ("1*1*1*1", "1 Ward 1: Frankfort town"),
                                               ("1*1*1*1*1*Leak at the clinic", "1 ")])
def test_ussd_text_that_does_not_fit_the_menu_gets_the_same_question_with_a_sentence(
        ussd: Callable[..., str], answers: str, first: str) -> None:
    asked = ussd(answers)
    wrong = ussd(f"{answers}*42" if answers else "42")
    assert asked.startswith("CON ") and wrong.startswith("CON Please choose one of the numbers shown.\n")
    assert choices(asked)[0].startswith(first)
    assert choices(wrong) == choices(asked), "the same question: its choices, numbered as before"
