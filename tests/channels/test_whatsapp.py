"""WhatsApp through the Cloud API: Meta's handshake and signed deliveries over real HTTP into the app, the worker's
answers leaving by the outbox to a local fake of the Cloud API, and a complaint lodged from a phone."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine import worker
from engine.composition import Batho
from engine.config import WhatsAppSettings
from engine.lodging import Contact
from engine.models import Case, CaseEvent, Notification, Photo, WhatsAppMessage
from engine.models.enums import EventKind
from engine.services import cases
from tests.support import fake_whatsapp as fake
from tests.support.images import FAKE_JPEG, jpeg_with_gps
from web import create_app

NUMBER = "27825551111"
FRANKFORT = {"latitude": -27.27, "longitude": 28.50, "name": "Kerk Street", "address": "Frankfort"}


@pytest.fixture
def cloud() -> Iterator[fake.FakeCloudApi]:
    with fake.running() as api:
        yield api


@pytest.fixture
def wa(batho: Batho, cloud: fake.FakeCloudApi) -> Batho:
    """Batho with WhatsApp configured against the fake Cloud API."""
    batho.config = replace(batho.config, whatsapp=WhatsAppSettings(
        verify_token=fake.VERIFY_TOKEN, app_secret=fake.APP_SECRET, api_url=cloud.api_url,
        phone_number_id=fake.PHONE_NUMBER_ID, token=fake.TOKEN, timeout=5))
    return batho


@pytest.fixture
def wa_client(wa: Batho) -> FlaskClient:
    return create_app(wa, {"TESTING": True}).test_client()


def post(client: FlaskClient, document: dict[str, Any], signature: str | None = "sign") -> Any:
    body = json.dumps(document).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = fake.signature(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post("/channels/whatsapp", data=body, headers=headers)


@pytest.fixture
def say(wa_client: FlaskClient, wa: Batho, cloud: fake.FakeCloudApi) -> Callable[..., list[str]]:
    """Send one message from NUMBER through the webhook, run a worker pass, return the texts that came back."""
    counter = iter(range(1, 10_000))

    def send(message: dict[str, Any] | str) -> list[str]:
        if isinstance(message, str):
            message = {"type": "text", "text": {"body": message}}
        before = len(cloud.texts_to(NUMBER))
        answer = post(wa_client, fake.delivery(NUMBER, {"id": f"wamid.in.{next(counter)}", **message}, "Thabo"))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        worker.run_pass(wa)
        assert [r for r in cloud.refused if r.startswith("POST")] == []  # every reply of the right shape
        return cloud.texts_to(NUMBER)[before:]

    return send


def tap(row_id: str, kind: str = "button_reply") -> dict[str, Any]:
    return {"type": "interactive", "interactive": {"type": kind, kind: {"id": row_id, "title": row_id}}}


def count(app: Batho, model: Any) -> int:
    with app.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_handshake_answers_the_challenge_as_plain_text(wa_client: FlaskClient) -> None:
    answer = wa_client.get("/channels/whatsapp", query_string={
        "hub.mode": "subscribe", "hub.verify_token": fake.VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert answer.status_code == 200
    assert answer.mimetype == "text/plain"
    assert answer.get_data(as_text=True) == "1158201444"


def test_a_wrong_verify_token_is_refused(wa_client: FlaskClient) -> None:
    answer = wa_client.get("/channels/whatsapp", query_string={
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"})
    assert answer.status_code == 403
    assert "1158201444" not in answer.get_data(as_text=True)


def test_without_a_verify_token_configured_both_verbs_answer_404(client: FlaskClient, batho: Batho) -> None:
    assert not batho.config.whatsapp.enabled
    assert client.get("/channels/whatsapp", query_string={"hub.mode": "subscribe", "hub.verify_token": "",
                                                          "hub.challenge": "1"}).status_code == 404
    assert post(client, fake.delivery(NUMBER, {"id": "wamid.x", "type": "text", "text": {"body": "hi"}})
                ).status_code == 404
    assert count(batho, WhatsAppMessage) == 0


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, fake.signature(b"another body"),
                                       "sha1=abc", fake.signature(b"x", secret="not-the-app-secret")])
def test_a_bad_or_missing_signature_gets_401_and_nothing_is_stored(wa_client: FlaskClient, wa: Batho,
                                                                   signature: str | None) -> None:
    answer = post(wa_client, fake.delivery(NUMBER, {"id": "wamid.bad", "type": "text", "text": {"body": "hi"}}),
                  signature)
    assert answer.status_code == 401
    worker.run_pass(wa)
    assert count(wa, WhatsAppMessage) == 0
    with wa.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.channel == "whatsapp")) == 0


def test_a_message_delivered_twice_is_answered_once(wa_client: FlaskClient, wa: Batho,
                                                    cloud: fake.FakeCloudApi) -> None:
    document = fake.delivery(NUMBER, {"id": "wamid.twice", "type": "text", "text": {"body": "Dumela"}})
    assert post(wa_client, document).status_code == 200
    worker.run_pass(wa)
    assert post(wa_client, document).status_code == 200  # Meta thought we did not answer in time
    worker.run_pass(wa)
    assert count(wa, WhatsAppMessage) == 1
    assert len(cloud.texts_to(NUMBER)) == 1  # one language question, not two
    assert "Kgetha puo ya hao" in cloud.texts_to(NUMBER)[0]


def test_status_callbacks_are_accepted_and_ignored(wa_client: FlaskClient, wa: Batho,
                                                   cloud: fake.FakeCloudApi) -> None:
    for status in ("sent", "delivered", "read"):
        assert post(wa_client, fake.status_delivery(NUMBER, status)).status_code == 200
    worker.run_pass(wa)
    assert count(wa, WhatsAppMessage) == 0
    assert cloud.sent == []


def test_a_whole_conversation_in_sesotho_lodges_a_complaint_with_a_pin_and_a_photo(
        say: Callable[..., list[str]], wa: Batho, cloud: fake.FakeCloudApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    cloud.add_media("media-1", jpeg_with_gps())
    assert "Kgetha puo ya hao" in say("Dumela")[0]
    assert "Tlaleha bothata" in say(tap("2"))[0]  # Sesotho, asked once
    categories = say("1")[0]
    assert "Phepelo ya metsi" in categories  # the diagram's categories in Sesotho
    list_message = cloud.sent[-1]
    assert list_message["type"] == "interactive" and list_message["interactive"]["type"] == "list"
    assert "Hlalosa bothata" in say(tap("1", "list_reply"))[0]  # Water supply, chosen from the list
    assert "Romela sebaka" in say("Pompo ya metsi e dutla haesale ka Mantaha.")[0]
    assert "ditshwantsho tse 3" in say({"type": "location", "location": FRANKFORT})[0]
    assert "Setshwantsho sa 1" in say({"type": "image", "image": {"id": "media-1", "mime_type": "image/jpeg",
                                                                   "sha256": "x"}})[0]
    summary = say("1")[0]
    assert "Phepelo ya metsi" in summary and "Pompo ya metsi e dutla" in summary and "Ditshwantsho: 1" in summary
    answers = say(tap("1"))
    with wa.db.reading() as session:
        case = session.scalars(select(Case).where(Case.channel == "whatsapp")).one()
        photos = list(session.scalars(select(Photo).where(Photo.case_id == case.id)))
        assert case.case_type == "complaint" and case.category == "water"
        assert case.summary == "Pompo ya metsi e dutla haesale ka Mantaha."
        assert (case.latitude, case.longitude) == (-27.27, 28.50)
        assert case.ward == "42005001"
        assert case.citizen_phone == "+" + NUMBER and case.citizen_language == "st"
        assert [p.source for p in photos] == ["whatsapp"]
    assert cloud.media_requests == ["media-1"]
    lodged = answers[0]  # the answer first, then the process's acknowledgement
    assert "Re ngodisitse tletlebo ya hao" in lodged and "Khoutu ya ho fihlella" in lodged
    assert case.reference in lodged and case.access_code in lodged
    # The process's own acknowledgement went out of the outbox on WhatsApp too, in Sesotho.
    assert any("Re ngodisitse tletlebo ya hao " + case.reference in text for text in answers)
    with wa.db.reading() as session:
        outbox = list(session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                                 Notification.audience == "citizen")))
        assert {n.channel for n in outbox} == {"whatsapp"} and {n.status for n in outbox} == {"sent"}
        assert session.scalar(select(func.count()).select_from(WhatsAppMessage)
                              .where(WhatsAppMessage.payload.is_not(None),
                                     WhatsAppMessage.handled_at.is_(None))) == 0
    # POPIA: the logs name no number, no words of the citizen's, no access code.
    assert NUMBER not in caplog.text and "Pompo" not in caplog.text and case.access_code not in caplog.text


def _lodged(app: Batho) -> tuple[str, str]:
    return cases.lodge_for_citizen(app, "complaint", {"category": "roads", "description": "A pothole."},
                                   Contact(phone="082 555 2222"), "web")


def test_a_reference_alone_gives_the_public_status_and_with_the_code_our_latest_message(
        say: Callable[..., list[str]], wa: Batho) -> None:
    reference, code = _lodged(wa)
    say("hallo")
    say("3")  # Afrikaans
    public = say(reference.lower())[0]
    assert f"Saak {reference}: Geregistreer" in public or f"Saak {reference}:" in public
    assert "Stuur die verwysing met u toegangskode" in public
    assert "Ons jongste boodskap" not in public and "A pothole" not in public
    full = say(f"{reference} {code.lower()}")[0]
    assert f"Ons jongste boodskap: Ons het u klagte {reference} geregistreer." in full
    wrong = say(f"{reference} WRONGCODE9")[0]
    assert "pas nie by hierdie saak nie" in wrong and "Ons jongste boodskap" not in wrong
    assert "kon nie 'n saak met daardie verwysing vind nie" in say("MAF-2020-999999")[0]


def test_a_message_that_does_not_fit_the_menu_gets_a_helpful_answer(say: Callable[..., list[str]]) -> None:
    say("hi")
    say("1")  # English
    answer = say("my bin was not collected")
    assert answer[0] == "Sorry, I did not understand that."
    assert "1 Report a problem" in answer[1] and "Send *menu*" in answer[1]
    say("1")
    wrong = say("42")  # no such category
    assert wrong[0] == "Sorry, I did not understand that." and "1 Water supply" in wrong[1]
    say("5")
    assert "describe the problem in words" in say({"type": "sticker", "sticker": {"id": "s"}})[0]
    assert "What would you like to do?" in say("help")[0]  # help starts again from the menu
    assert say({"type": "reaction", "reaction": {"message_id": "wamid.out.1", "emoji": "\N{THUMBS UP SIGN}"}}) == []
    assert "What would you like to do?" in say("MENU")[0]


def test_a_pin_outside_every_ward_is_refused_with_a_sentence(say: Callable[..., list[str]]) -> None:
    for text in ("hi", "1", "1", "1", "No water since Monday."):
        say(text)
    refusal = say({"type": "location", "location": {"latitude": -26.2, "longitude": 28.04}})[0]
    assert "outside the municipality's wards" in refusal
    assert "up to 3 photos" in say("12 Kerk Street, Frankfort")[0]  # the address typed instead


def test_a_photo_the_cloud_api_cannot_give_or_that_is_no_image_is_left_out_and_the_case_lodged(
        say: Callable[..., list[str]], wa: Batho, cloud: fake.FakeCloudApi) -> None:
    cloud.add_media("fake-photo", FAKE_JPEG)
    for text in ("hi", "1", "1", "4", "Street light out.", "Kerk Street"):
        say(text)
    say({"type": "image", "image": {"id": "fake-photo"}})
    say({"type": "image", "image": {"id": "expired-media"}})
    answers = say("1") and say("1")
    assert any("2 photo(s) could not be added to the case" in text for text in answers)
    with wa.db.reading() as session:
        case = session.scalars(select(Case).where(Case.channel == "whatsapp")).one()
        assert case.category == "roads" and case.location == "Kerk Street"
        assert session.scalar(select(func.count()).select_from(Photo).where(Photo.case_id == case.id)) == 0


def test_a_day_of_silence_drops_the_half_made_complaint_but_keeps_the_language(
        say: Callable[..., list[str]], wa: Batho) -> None:
    for text in ("hi", "3", "1", "1"):
        say(text)
    start = wa.now()
    wa.clock = lambda: start + timedelta(hours=25)
    answer = say("Die pyp lek.")
    assert answer[0] == "Jammer, ek het dit nie verstaan nie." and "Rapporteer 'n probleem" in answer[1]


def test_a_reply_the_cloud_api_refuses_for_a_while_is_sent_again_from_the_outbox(
        wa_client: FlaskClient, wa: Batho, cloud: fake.FakeCloudApi) -> None:
    cloud.fail_next = 1
    post(wa_client, fake.delivery(NUMBER, {"id": "wamid.retry", "type": "text", "text": {"body": "hi"}}))
    worker.run_pass(wa)
    assert cloud.sent == []
    with wa.db.reading() as session:
        message = session.scalars(select(Notification).where(Notification.channel == "whatsapp")).one()
        assert message.status == "pending" and message.attempts == 1 and NUMBER not in (message.last_error or "")
        due = message.next_attempt_at
    wa.clock = lambda: due + timedelta(seconds=1)
    worker.run_pass(wa)
    assert len(cloud.texts_to(NUMBER)) == 1


def test_a_later_update_on_a_whatsapp_case_goes_to_whatsapp(say: Callable[..., list[str]], wa: Batho,
                                                          cloud: fake.FakeCloudApi) -> None:
    for text in ("hi", "1", "1", "1", "No water.", "Kerk Street", "1"):
        say(text)
    say("1")
    with wa.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.channel == "whatsapp")).one()
        case.status = "investigating"
        session.add(CaseEvent(case_id=case.id, kind=EventKind.PUBLIC_UPDATE, at=wa.now(), public=True,
                              message="A team is on its way."))
    worker.run_pass(wa)
    assert any("A team is on its way." in text for text in cloud.texts_to(NUMBER))


def test_a_pin_near_an_open_case_of_the_same_category_offers_to_follow_it(say: Callable[..., list[str]],
                                                                         wa: Batho) -> None:
    nearby, _ = cases.lodge_for_citizen(wa, "complaint", {"category": "water", "description": "Leak.",
                                                          "latitude": "-27.2705", "longitude": "28.5003"},
                                        Contact(phone="082 555 2222"), "web")
    for text in ("hi", "1", "1", "1", "Water leaking in the street."):
        say(text)
    answers = say({"type": "location", "location": FRANKFORT})
    assert "Is it one of these open cases nearby?" in answers[0] and nearby in answers[0]
    assert "up to 3 photos" in answers[1]
    assert "Case " + nearby in say(nearby)[0]  # following it instead: its status


def test_an_update_after_a_day_of_silence_goes_by_sms_since_meta_takes_no_free_text_then(
        say: Callable[..., list[str]], wa: Batho, cloud: fake.FakeCloudApi) -> None:
    for text in ("hi", "1", "1", "1", "No water.", "Kerk Street", "1"):
        say(text)
    say("1")
    start = wa.now()
    wa.clock = lambda: start + timedelta(hours=25)
    sent_before = len(cloud.sent)
    with wa.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.channel == "whatsapp")).one()
        session.add(CaseEvent(case_id=case.id, kind=EventKind.PUBLIC_UPDATE, at=wa.now(), public=True,
                              message="A team is on its way."))
    worker.run_pass(wa)
    assert len(cloud.sent) == sent_before
    with wa.db.reading() as session:
        update = session.scalars(select(Notification).where(Notification.case_id == case.id)
                                 .order_by(Notification.id.desc())).first()
        assert update is not None and update.channel == "sms" and update.recipient == "+" + NUMBER
