"""Two-way SMS: inbound texts through POST /channels/sms answered through the outbox and a fake gateway on
loopback, and outbound SMS that say what happened in words within 160 characters (or in numbered parts)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from engine.config import NotifySettings
from engine.models import Notification
from engine.notify.delivery import deliver_due
from engine.notify.sms import fit, parts
from tests.support.drive import access_code, do, lodge
from tests.support.sms_gateway import sms_gateway
from web import create_app

TOKEN = "sms-inbound-secret"
ON_FILE = "082 555 1111"  # as the citizen typed it on the form
SENDER = "+27825551111"  # the same number, as the gateway writes it
STRANGER = "+27831234567"


@pytest.fixture
def gateway():
    with sms_gateway() as made:
        yield made


@pytest.fixture
def sms(batho, gateway):
    """POST an inbound SMS as the gateway does, then run the worker's delivery pass; the texts sent back."""
    settings = replace(NotifySettings(), sms_url=gateway.url, sms_token=gateway.token)
    batho.config = replace(batho.config, sms_inbound_token=TOKEN, notify=settings)
    client = create_app(batho, {"TESTING": True}).test_client()
    counter = iter(range(1, 1000))

    def send(text: str, sender: str = SENDER, message_id: str | None = None) -> list[str]:
        sent = len(gateway.to(sender))
        form = {"from": sender, "to": "32100", "text": text, "id": message_id or f"ATXid_{next(counter)}",
                "date": "2026-12-02 08:00:00"}
        response = client.post(f"/channels/sms?token={TOKEN}", data=form)
        assert response.status_code == 200
        assert deliver_due(batho, settings).errors == []
        return gateway.to(sender)[sent:]

    return send


def test_status_with_the_reference_from_the_phone_on_file_gets_the_status_sentence_only(batho, sms, people):
    reference = lodge(batho, name="Palesa", phone=ON_FILE, language="st")
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    [answer] = sms(f"status {reference}")
    assert answer.startswith(f"{reference}: E ntse e batlisiswa ke lefapha le ikarabellang.")
    assert "Tshitwe 2026" in answer, "the expected date, in Sesotho"
    assert "tletlebo" not in answer, "POPIA: without the code, no update text"
    assert len(answer) <= 160


def test_status_with_the_access_code_from_any_phone_gets_the_latest_update(batho, sms, people):
    reference = lodge(batho, name="Jane", phone=ON_FILE)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    [answer] = sms(f"STATUS {reference} {access_code(batho, reference)}", sender=STRANGER)
    assert answer.startswith(f"{reference}: Being investigated by the responsible department.")
    assert "Your complaint" in answer, "the latest update"


def test_status_without_the_code_from_another_phone_tells_how_to_ask(batho, sms):
    reference = lodge(batho, name="Jane", phone=ON_FILE)
    [answer] = sms(f"Status {reference}", sender=STRANGER)
    assert answer == (f"Case {reference}: send STATUS {reference} and its access code, or ask from the phone that "
                      "reported it.")
    [wrong_code] = sms(f"STATUS {reference} WRONGCODE1", sender=STRANGER)
    assert wrong_code == answer


def test_the_reference_may_be_typed_as_digits_and_an_unknown_one_is_named(batho, sms):
    reference = lodge(batho, name="Jane", phone=ON_FILE)
    [answer] = sms(f"STATUS {reference.split('-', 1)[1].replace('-', '')}")
    assert answer.startswith(f"{reference}: Registered")
    [unknown] = sms("STATUS MAF-2026-999999")
    assert unknown == "We could not find case MAF-2026-999999. Check the number and send STATUS with it again."


def test_a_plain_reply_to_an_update_gets_the_status_of_the_last_case_this_number_was_told_about(
        batho, sms, people):
    older = lodge(batho, name="Jane", phone=ON_FILE, language="af")
    newer = lodge(batho, name="Jane", phone=ON_FILE, language="af")
    deliver_due(batho)
    [answer] = sms("Dankie, maar wanneer kom julle?")
    assert answer.startswith(f"{newer}: Geregistreer: ons het u saak en sal dit binnekort hanteer.")
    do(batho, people["agent"], older, "Task_triage", triage_outcome="accept")  # now told about the older one
    [again] = sms("STATUS")
    assert again.startswith(f"{older}: Word deur die verantwoordelike departement ondersoek.")


def test_the_same_message_delivered_twice_is_answered_once(batho, sms):
    reference = lodge(batho, name="Jane", phone=ON_FILE)
    assert len(sms(f"STATUS {reference}", message_id="ATXid_same")) == 1
    assert sms(f"STATUS {reference}", message_id="ATXid_same") == []
    with batho.db.reading() as session:
        answers = session.scalars(select(Notification).where(Notification.kind == "status_reply")).all()
    assert len(answers) == 1


def test_unknown_text_gets_a_one_line_help(sms):
    [answer] = sms("Hello, is anybody there?", sender=STRANGER)
    assert answer == ("Send STATUS and your case number, e.g. STATUS MAF-2026-000123, to hear where your case "
                      "stands.")
    assert sms("STATUS please", sender=STRANGER) == [answer]


def test_a_wrong_or_missing_token_is_refused_and_an_unconfigured_channel_is_not_found(batho):
    form = {"from": SENDER, "to": "32100", "text": "STATUS", "id": "1", "date": "2026-12-02 08:00:00"}
    assert create_app(batho, {"TESTING": True}).test_client().post("/channels/sms", data=form).status_code == 404
    batho.config = replace(batho.config, sms_inbound_token=TOKEN)
    client = create_app(batho, {"TESTING": True}).test_client()
    assert client.post("/channels/sms?token=nope", data=form).status_code == 403
    assert client.post("/channels/sms", data=form).status_code == 403
    assert client.post(f"/channels/sms?token={TOKEN}", data={"text": "STATUS"}).status_code == 400
    with batho.db.reading() as session:
        assert session.scalars(select(Notification)).all() == [], "nothing stored for a refused delivery"


@pytest.mark.parametrize(("language", "words", "date"), [
    ("en", "is being investigated by the responsible department", "Expected by"),
    ("st", "e ntse e batlisiswa ke lefapha le ikarabellang", "Letsatsi le lebelletsweng:"),
    ("af", "word deur die verantwoordelike departement ondersoek", "Verwag teen")])
def test_outbound_sms_say_what_happened_in_words_with_the_reference_and_date(
        batho, sms, gateway, people, language, words, date):
    reference = lodge(batho, name="Jane", phone=ON_FILE, language=language)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    deliver_due(batho)
    acknowledgement, update = gateway.to(ON_FILE)
    assert reference in acknowledgement and access_code(batho, reference) in acknowledgement
    assert date in acknowledgement and len(acknowledgement) <= 160
    assert reference in update and words in update.lower() and date in update and len(update) <= 160
    assert "http" not in update, "with inbound SMS on, a reply keyword instead of a link"


def test_a_long_update_goes_in_numbered_parts_of_at_most_160_and_closure_asks_for_a_rating(
        batho, sms, gateway, people):
    reference = lodge(batho, name="Jane", phone=ON_FILE)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    do(batho, people["officer"], reference, "Task_investigate", findings="Burst pipe", corrective_action="Replace")
    do(batho, people["supervisor"], reference, "Task_approve", decision="approve")
    do(batho, people["officer"], reference, "Task_implement", implementation_outcome="Replaced",
       completed_on="2026-11-27")
    explanation = "The main pipe under Voortrekker Road burst after the frost; the whole street lost pressure. " * 2
    do(batho, people["agent"], reference, "Task_respond", explanation=explanation, remedy="We replaced it.")
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    deliver_due(batho)
    *_, response, closed = gateway.to(ON_FILE)
    pieces = response.split("\n")
    assert len(pieces) >= 2 and pieces[0].startswith(f"(1/{len(pieces)}) Mafube {reference}, our response:")
    assert "We replaced it." in response and gateway.refused == 0, "every part within 160 characters"
    assert closed.startswith(f"Mafube: case {reference} is closed. Rate our service 1-5") and "\n" not in closed


def test_parts_are_numbered_cut_at_words_and_at_most_three():
    long_text = ("Mafube MAF-2026-000001: " + "We replaced the burst pipe in Main Street and tested the supply. " * 5
                 ).strip()
    pieces = parts(long_text)
    assert len(pieces) == 3 and all(len(p) <= 160 for p in pieces)
    assert [p[:6] for p in pieces] == ["(1/3) ", "(2/3) ", "(3/3) "]
    assert " ".join(p[6:] for p in pieces) == long_text
    assert parts("Short.") == ["Short."]
    assert len(parts(fit(long_text * 3))) == 3 and fit(long_text * 3).endswith("…")
