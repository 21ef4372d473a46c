"""USSD: whole sessions through POST /channels/ussd, as the aggregator sends them, in three languages."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from engine.models import Case, Notification
from tests.support.drive import access_code, case, do, lodge
from web import create_app

TOKEN = "ussd-secret"
PHONE = "+27825551111"
LANGUAGE = {"en": "1", "st": "2", "af": "3"}
LODGED = {"en": "Your case is", "st": "Taba ya hao ke", "af": "U saak is"}
CHOOSE = {"en": "Please choose one of the numbers shown.", "st": "Ka kopo kgetha e nngwe ya dinomoro tse bontshitsweng.",
          "af": "Kies asseblief een van die nommers wat gewys word."}
REGISTERED = {"en": "Registered: we have your case and will look at it soon.",
              "st": "E ngodisitswe: re na le taba ya hao mme re tla e sheba haufinyane.",
              "af": "Geregistreer: ons het u saak en sal dit binnekort hanteer."}
INVESTIGATING = {"en": "Being investigated by the responsible department.",
                 "st": "E ntse e batlisiswa ke lefapha le ikarabellang.",
                 "af": "Word deur die verantwoordelike departement ondersoek."}


@pytest.fixture
def ussd(batho):
    batho.config = replace(batho.config, ussd_token=TOKEN)
    client = create_app(batho, {"TESTING": True}).test_client()

    def post(text: str, session: str = "ATUid_session_1", phone: str = PHONE) -> str:
        response = client.post(f"/channels/ussd?token={TOKEN}",
                               data={"sessionId": session, "serviceCode": "*120*5588#", "phoneNumber": phone,
                                     "networkCode": "65501", "text": text})
        assert response.status_code == 200 and response.mimetype == "text/plain"
        reply = response.get_data(as_text=True)
        assert reply.startswith(("CON ", "END ")), reply
        assert len(reply) <= 160, f"{len(reply)} characters for {text!r}: {reply}"
        return reply

    return post


def dial(post, answers: list[str], session: str = "ATUid_session_1") -> list[str]:
    """A whole session: the first screen, then one request per answer with every answer so far joined by *."""
    replies = [post("", session)]
    for count in range(1, len(answers) + 1):
        replies.append(post("*".join(answers[:count]), session))
    assert all(r.startswith("CON ") for r in replies[:-1]), replies
    return replies


def digits(reference: str) -> str:
    """A reference as typed on a keypad: MAF-2026-000123 is 2026000123."""
    return "".join(part for part in reference.split("-")[1:])


@pytest.mark.parametrize("language", ["en", "st", "af"])
def test_a_whole_session_reports_a_problem_with_its_town_and_ward(batho, ussd, language):
    replies = dial(ussd, [LANGUAGE[language], "1", "1", "1", "1", "No water at 12 Main Street since Monday", "1"])
    end = replies[-1]
    assert end.startswith("END ") and LODGED[language] in end
    with batho.db.reading() as session:
        [made] = session.scalars(select(Case)).all()
    assert made.reference in end and made.access_code in end
    assert (made.channel, made.category, made.town, made.ward) == ("ussd", "water", "Frankfort", "42005001")
    assert made.summary == "No water at 12 Main Street since Monday" and made.location == "Ward 1: Frankfort town"
    assert (made.citizen_phone, made.citizen_language) == (PHONE, language)
    with batho.db.reading() as session:
        [sms] = session.scalars(select(Notification).where(Notification.channel == "sms")).all()
    assert sms.recipient == PHONE and made.reference in sms.body and made.access_code in sms.body
    assert len(sms.body) <= 160


def test_the_menus_are_in_the_chosen_language(ussd):
    assert "Report a problem" in ussd("1") and "Tlaleha bothata" in ussd("2") and "Meld 'n probleem" in ussd("3")
    assert "What is it about?" in ussd("1*1") and "1 Water supply" in ussd("1*1")
    assert "E mabapi le eng?" in ussd("2*1") and "1 Phepelo ya metsi" in ussd("2*1")
    assert "1 Watervoorsiening" in ussd("3*1")


def test_a_town_of_one_ward_is_not_asked_for_its_ward_and_not_sure_skips_the_area(batho, ussd):
    assert "Describe the problem" in ussd("1*1*4*6")  # Tweeling has one ward
    dial(ussd, ["1", "1", "4", "7", "A dead dog on the road", "1"])  # the town: not sure
    with batho.db.reading() as session:
        [made] = session.scalars(select(Case)).all()
    assert (made.category, made.town, made.ward, made.location) == ("roads", None, None, None)


def test_the_category_menu_pages_with_0_more_and_keeps_its_numbers(ussd):
    first, second = ussd("2*1"), ussd("2*1*0")
    assert "0 Tse ding" in first and "1 Phepelo ya metsi" in first and "1 Phepelo" not in second
    shown: list[str] = []
    for zeros in range(6):
        screen = ussd("*".join(["2", "1", *["0"] * zeros]))
        shown += [line.split(" ", 1)[0] for line in screen.splitlines()[1:] if line[0].isdigit() and line[0] != "0"]
    assert set(shown) == {str(n) for n in range(1, 10)}, "every category on some page, numbered 1 to 9"
    assert ussd("2*1*0*0*0*0*0*0*0*0*0*0").startswith("CON "), "paging wraps round"
    assert "E toropong efe?" in ussd("2*1*0*0*9"), "a number from another page is taken"


@pytest.mark.parametrize("language", ["en", "st", "af"])
def test_every_screen_fits_160_characters(ussd, language, batho):
    lang = LANGUAGE[language]
    long_text = "Water has been leaking from the pipe at the corner of Church and Market Street " * 3
    sessions = [["9"], [lang], [lang, "9"], [lang, "1", "x"], [lang, "1", "1", "x"], [lang, "1", "1", "2"],
                [lang, "1", "1", "2", "x"], [lang, "1", "1", "2", "3"], [lang, "1", "1", "2", "3", ""],
                [lang, "1", "1", "2", "3", long_text], [lang, "1", "1", "2", "3", long_text, "7"],
                [lang, "1", "1", "2", "3", long_text, "2"], [lang, "2"], [lang, "2", "hello"],
                [lang, "2", "2026999999"], [lang, "1", "1", "2", "3", long_text, "1"]]
    sessions += [[lang, "1", *["0"] * n] for n in range(6)] + [[lang, "1", "1", *["0"] * n] for n in range(3)]
    for number, answers in enumerate(sessions):  # each screen on the way; `ussd` checks the length of each
        for count in range(len(answers) + 1):
            ussd("*".join(answers[:count]), f"fit-{language}-{number}")
    reference = lodged_reference(batho)
    code = access_code(batho, reference)
    assert ussd(f"{lang}*2*{digits(reference)}").startswith("END ")
    assert ussd(f"{lang}*2*{digits(reference)} {code}").startswith("END ")


def lodged_reference(batho) -> str:
    with batho.db.reading() as session:
        return session.scalars(select(Case.reference).order_by(Case.id.desc()).limit(1)).one()


@pytest.mark.parametrize("language", ["en", "st", "af"])
def test_bad_input_at_each_level_gets_a_sentence_and_the_same_question(ussd, language):
    lang, choose = LANGUAGE[language], CHOOSE[language]
    assert ussd("7").startswith("CON Please choose one of the numbers shown.\nMafube: language")
    menu = ussd(f"{lang}*5")
    assert menu.startswith(f"CON {choose}") and "1 " in menu and "2 " in menu
    assert ussd(f"{lang}*1*42").startswith(f"CON {choose}\n1 ")
    assert ussd(f"{lang}*1*1*town").startswith(f"CON {choose}\n1 Frankfort")
    assert ussd(f"{lang}*1*1*1*9").startswith(f"CON {choose}\n1 Ward")
    short = ussd(f"{lang}*1*1*1*1*")
    assert short.startswith("CON ") and "\n" in short and "2026" not in short
    assert ussd(f"{lang}*1*1*1*1*Leak at the clinic*9").startswith(f"CON {choose}\n")
    not_found = ussd(f"{lang}*2*hello")
    assert not_found.startswith("CON ") and "2026000123" in not_found


def test_after_a_wrong_answer_the_next_answer_is_read_as_the_answer_to_the_question(batho, ussd):
    replies = dial(ussd, ["1", "5", "1", "x", "1", "1", "1", "Street light out on Voortrekker Road", "1"])
    assert replies[-1].startswith("END Thank you.")
    assert case(batho, lodged_reference(batho)).category == "water"


def test_cancel_sends_nothing(batho, ussd):
    replies = dial(ussd, ["1", "1", "1", "1", "1", "Pothole", "2"])
    assert replies[-1] == "END Nothing was sent. Dial again to start over."
    with batho.db.reading() as session:
        assert session.scalar(select(func.count(Case.id))) == 0


def test_the_gateway_repeating_the_last_request_makes_one_case(batho, ussd):
    text = "1*1*1*1*1*No water in Extension 4*1"
    first, again = ussd(text, session="ATUid_repeat"), ussd(text, session="ATUid_repeat")
    assert first == again and first.startswith("END ")
    with batho.db.reading() as session:
        assert session.scalar(select(func.count(Case.id))) == 1
    assert ussd(text, session="ATUid_other") != first, "another session is another case"


@pytest.mark.parametrize("language", ["en", "st", "af"])
def test_tracking_by_reference_gives_the_status_sentence_and_with_the_code_the_latest_update(
        batho, ussd, people, language):
    reference = lodge(batho, name="Jane", phone="082 555 1111")
    lang = LANGUAGE[language]
    replies = dial(ussd, [lang, "2", digits(reference)])
    assert replies[-1] == f"END {reference}: {REGISTERED[language]} " + replies[-1].split(". ", 1)[1]
    assert "2026" in replies[-1].split(". ", 1)[1], "the expected date"
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    status = ussd(f"{lang}*2*{reference}")
    assert INVESTIGATING[language] in status and "Your complaint" not in status, "no updates without the code"
    with_code = ussd(f"{lang}*2*{digits(reference)} {access_code(batho, reference)}")
    assert INVESTIGATING[language] in with_code and with_code.startswith("END ")
    if language == "en":
        assert "Your complaint" in with_code, "the latest update, with the access code"


def test_tracking_a_reference_that_does_not_exist_asks_again(ussd):
    reply = ussd("1*2*2026999999")
    assert reply.startswith("CON We could not find that case number.")


def test_wrong_or_missing_token_is_refused_and_an_unconfigured_channel_is_not_found(batho):
    form = {"sessionId": "s", "phoneNumber": PHONE, "text": ""}
    client = create_app(batho, {"TESTING": True}).test_client()
    assert client.post("/channels/ussd?token=anything", data=form).status_code == 404
    batho.config = replace(batho.config, ussd_token=TOKEN)
    client = create_app(batho, {"TESTING": True}).test_client()
    assert client.post("/channels/ussd?token=wrong", data=form).status_code == 403
    assert client.post("/channels/ussd", data=form).status_code == 403
    assert client.post(f"/channels/ussd?token={TOKEN}", data={"text": ""}).status_code == 400
    assert client.post(f"/channels/ussd?token={TOKEN}", data=form).status_code == 200


def test_a_text_far_longer_than_any_session_is_answered_without_walking_all_of_it(ussd):
    assert ussd("1*" + "9*" * 100_000).startswith("CON Please choose one of the numbers shown.")
