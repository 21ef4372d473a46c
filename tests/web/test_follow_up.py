"""Following up on the status page: add information (and a photo) with the access code, "still not fixed", and
"send me my code again" (to the contact on file only, the same page either way, at most three an hour)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import delete, select, update

from engine.models import Notification, Photo, User
from engine.models.enums import EventKind
from tests.support.drive import (
    access_code,
    case,
    do,
    events,
    lodge,
    open_tasks,
    status_path,
    to_investigation,
    to_response,
)

NOTE = "The water is now also coming out of the pavement at number 14."


@pytest.fixture
def officer_email(batho):
    with batho.db.transaction() as session:
        session.execute(delete(Notification))
        session.execute(update(User).where(User.username == "officer").values(email="officer@mafube.example"))
    yield "officer@mafube.example"
    with batho.db.transaction() as session:
        session.execute(update(User).where(User.username == "officer").values(email=None))


def _outbox(batho, **where) -> list[Notification]:
    with batho.db.reading() as session:
        query = select(Notification)
        for name, value in where.items():
            query = query.where(getattr(Notification, name) == value)
        rows = list(session.scalars(query.order_by(Notification.id)))
        for row in rows:
            session.expunge(row)
        return rows


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_the_citizen_adds_information_with_the_code_and_the_department_is_told(browsers, batho, people,
                                                                               officer_email):
    reference = to_investigation(batho, people)
    citizen = browsers("citizen")
    page = citizen.get(status_path(batho, reference)).get_data(as_text=True)
    assert 'id="add-information"' in page and 'id="reopen"' not in page
    sent = citizen.post(f"/status/{reference}/information",
                        {"code": access_code(batho, reference), "information": NOTE,
                         "photos": (io.BytesIO(_png()), "leak.png")},
                        page=status_path(batho, reference), content_type="multipart/form-data")
    assert sent.status_code == 302 and "added=1" in sent.headers["Location"]
    (note,) = events(batho, reference, EventKind.CITIZEN_NOTE)
    assert note.message == NOTE and len(note.data["photos"]) == 1
    with batho.db.reading() as session:
        assert session.scalar(select(Photo.source).where(Photo.case_id == case(batho, reference).id)) == "follow_up"
    (told,) = _outbox(batho, kind="citizen_note")
    assert told.recipient == officer_email and NOTE in told.body and reference in told.subject
    assert NOTE in browsers("officer").get(f"/cases/{reference}").get_data(as_text=True)  # in the case record


def test_adding_information_needs_the_code_and_some_words(browsers, batho, people):
    reference = to_investigation(batho, people)
    citizen = browsers("citizen")
    refused = citizen.post(f"/status/{reference}/information", {"code": "WRONG", "information": NOTE},
                           page=status_path(batho, reference))
    assert refused.status_code == 403
    empty = citizen.post(f"/status/{reference}/information",
                         {"code": access_code(batho, reference), "information": "   "},
                         page=status_path(batho, reference))
    assert empty.status_code == 400
    assert "Write what you want to tell us, or add a photo." in empty.get_data(as_text=True)
    assert events(batho, reference, EventKind.CITIZEN_NOTE) == []
    fake = citizen.post(f"/status/{reference}/information",
                        {"code": access_code(batho, reference), "information": NOTE,
                         "photos": (io.BytesIO(b"not an image at all"), "x.jpg")},
                        page=status_path(batho, reference), content_type="multipart/form-data")
    body = fake.get_data(as_text=True)
    assert fake.status_code == 400 and "This file is not a photo we can read." in body and NOTE in body
    assert events(batho, reference, EventKind.CITIZEN_NOTE) == []


def test_the_status_page_reopens_a_closed_case_that_is_still_not_fixed(browsers, batho, people):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    citizen = browsers("citizen")
    page = citizen.get(status_path(batho, reference)).get_data(as_text=True)
    assert 'id="reopen"' in page and 'id="add-information"' not in page
    empty = citizen.post(f"/status/{reference}/reopen", {"code": access_code(batho, reference), "words": ""},
                         page=status_path(batho, reference))
    assert empty.status_code == 400 and "Write what you want to tell us." in empty.get_data(as_text=True)
    sent = citizen.post(f"/status/{reference}/reopen",
                        {"code": access_code(batho, reference), "words": "Leaking again."},
                        page=status_path(batho, reference))
    assert sent.status_code == 302
    assert open_tasks(batho, reference) == ["Task_investigate"]
    shown = citizen.get(sent.headers["Location"]).get_data(as_text=True)
    assert "We reopened your case and sent it back to the department." in shown


def test_the_code_is_sent_again_only_to_the_contact_on_file_and_the_page_never_tells(browsers, batho):
    reference = lodge(batho, name="Jane", email="Jane@Example.org", phone="082 555 1234")
    code = access_code(batho, reference)
    citizen = browsers("citizen")
    assert "Send me my code again" in citizen.get(f"/status/{reference}").get_data(as_text=True)
    form = f"/status/{reference}/code"
    answers = []
    for typed in ("jane@example.org", "someone@else.org", "+27 82 555 1234"):
        answer = citizen.post(form, {"contact": typed}, page=form)
        assert answer.status_code == 200
        body = answer.get_data(as_text=True)
        assert code not in body
        answers.append(body.split('id="resend-answer"')[1].split("</div>")[0])
    assert answers[0] == answers[1] == answers[2]
    sent = _outbox(batho, kind="access_code")
    assert [(m.channel, m.recipient) for m in sent] == [("email", "Jane@Example.org"), ("sms", "082 555 1234")]
    assert all(code in m.body for m in sent)
    assert [e.data["channel"] for e in events(batho, reference, EventKind.CODE_RESENT)] == ["email", "phone"]


def test_resending_the_code_is_limited_to_three_an_hour(browsers, batho):
    reference = lodge(batho, email="jane@example.org")
    citizen = browsers("citizen")
    form = f"/status/{reference}/code"
    for typed in ("a@example.org", "b@example.org", "c@example.org"):  # someone else's guesses lock nobody out
        assert citizen.post(form, {"contact": typed}, page=form).status_code == 200
    for _ in range(3):
        assert citizen.post(form, {"contact": "jane@example.org"}, page=form).status_code == 200
    limited = citizen.post(form, {"contact": "jane@example.org"}, page=form)
    assert limited.status_code == 429 and "wait an hour" in limited.get_data(as_text=True)
    assert len(_outbox(batho, kind="access_code")) == 3
    other = lodge(batho, email="x@example.org")  # and per address, across cases
    for _ in range(3):
        citizen.post(f"/status/{other}/code", {"contact": "y@example.org"}, page=form)
    third = lodge(batho, email="y@example.org")
    assert citizen.post(f"/status/{third}/code", {"contact": "y@example.org"}, page=form).status_code == 429
    empty = citizen.post(form.replace(reference, other), {"contact": " "}, page=form)
    assert empty.status_code == 400 and "Give the phone number or email address" in empty.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "reopen", "resend"), [("st", "Ha e so lokiswe?", "Nthomele khoutu ya ka hape"),
                                                         ("af", "Nog nie reggemaak nie?", "Stuur my kode weer")])
def test_the_follow_up_forms_read_in_sesotho_and_afrikaans(browsers, batho, people, lang, reopen, resend):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    citizen = browsers("citizen")
    page = citizen.get(f"{status_path(batho, reference)}&lang={lang}").get_data(as_text=True)
    assert reopen in page and "Still not fixed?" not in page
    form = citizen.get(f"/status/{reference}/code?lang={lang}").get_data(as_text=True)
    assert resend in form and "Send me my code again" not in form


def _captured(agent, language: str = "en") -> str:
    response = agent.post("/capture/complaint", {"category": "water", "description": "No water in Extension 4 since "
                                                 "Monday morning", "location": "12 Main St", "channel": "walk_in",
                                                 "name": "Jane Citizen", "phone": "082 555 1111",
                                                 "language": language}, page="/capture/complaint")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_capturer_prints_a_slip_with_the_code_on_a6_and_on_a_receipt(browsers, batho):
    agent = browsers("agent")
    reference = _captured(agent)
    done = agent.get(f"/capture/done/{reference}").get_data(as_text=True)
    assert f"/cases/{reference}/slip?size=80mm" in done
    for size, page_rule in (("a6", "size: 105mm 148mm"), ("80mm", "size: 80mm")):
        slip = agent.get(f"/cases/{reference}/slip?size={size}").get_data(as_text=True)
        assert page_rule in slip and f'id="slip-reference">{reference}<' in slip
        assert f'id="slip-code">{access_code(batho, reference)}<' in slip
        assert "Complaint: Water supply — No water in Extension 4" in slip and 'id="slip-due"' in slip
        assert "/track with the reference and the access code" in slip and "Jane" not in slip


def test_the_slip_is_in_the_citizen_s_language_and_others_print_it_without_the_code(browsers, batho):
    reference = _captured(browsers("agent"), language="st")
    slip = browsers("agent").get(f"/cases/{reference}/slip").get_data(as_text=True)
    assert "Re na le taba ya hao" in slip and 'lang="st"' in slip
    manager = browsers("manager").get(f"/cases/{reference}/slip?size=80mm").get_data(as_text=True)
    assert f'id="slip-reference">{reference}<' in manager and 'id="slip-code"' not in manager
    assert f"/cases/{reference}/slip?size=a6" in browsers("manager").get(f"/cases/{reference}").get_data(as_text=True)
    assert browsers("officer_community").get(f"/cases/{reference}/slip").status_code == 403
    assert browsers("citizen").get(f"/cases/{reference}/slip").status_code in (302, 401)


def _slip(citizen, **values):
    form = {"kind_hint": "suggestion", "text": "Please put a bench at the Frankfort pay point.", **values}
    return citizen.post("/suggestions/new", form, page="/suggestions/new")


def test_the_suggestion_form_lodges_a_complaint_at_once(browsers, batho):
    citizen = browsers("citizen")
    sent = _slip(citizen, kind_hint="complaint", text="Nobody answers the phone at the finance office.",
                 service_area="finance", email="jane@example.org")
    assert sent.status_code == 302 and "/lodged/" in sent.headers["Location"]
    page = citizen.get(sent.headers["Location"]).get_data(as_text=True)
    reference = page.split('id="reference">')[1].split("<")[0]
    lodged = case(batho, reference)
    assert (lodged.case_type, lodged.category, lodged.summary) == (
        "complaint", "billing", "Nobody answers the phone at the finance office.")
    assert f'id="access-code">{lodged.access_code}<' in page and lodged.citizen_email == "jane@example.org"
    with batho.db.reading() as session:
        from engine.models import SuggestionSlip
        assert session.scalar(select(SuggestionSlip.id)) is None  # not left in the box until Friday


def test_an_account_query_on_the_suggestion_form_opens_the_query_form_with_the_words(browsers, batho):
    citizen = browsers("citizen")
    sent = _slip(citizen, kind_hint="query", text="My October account charges water twice.")
    assert sent.status_code == 302 and "/lodge/account_query" in sent.headers["Location"]
    form = citizen.get(sent.headers["Location"]).get_data(as_text=True)
    assert "My October account charges water twice." in form and 'name="account_number"' in form


def test_a_suggestion_gets_a_slip_reference_the_status_page_follows(browsers, batho):
    citizen = browsers("citizen")
    sent = _slip(citizen)
    thanks = citizen.get(sent.headers["Location"]).get_data(as_text=True)
    reference = thanks.split('id="slip-reference">')[1].split("<")[0]
    assert reference.startswith("SLIP-")
    waiting = citizen.get(f"/track?reference={reference.lower()}", follow_redirects=True).get_data(as_text=True)
    assert "It is in the suggestion box, which is opened every Friday." in waiting
    assert "bench" not in waiting  # the slip's own words are not shown to whoever has the reference
    assert "E ka lebokoseng la ditlhahiso" in citizen.get(f"/status/{reference}?lang=st").get_data(as_text=True)
    from engine.models import SuggestionSlip
    run = lodge(batho)
    with batho.db.transaction() as session:
        session.execute(update(SuggestionSlip).values(
            run_case_id=case(batho, run).id, classified_as="suggestion", public_you_said="A bench at the pay point.",
            public_we_did="We put two benches there.", published_at=batho.now()))
    done = citizen.get(f"/status/{reference}?lang=en").get_data(as_text=True)
    assert "We did: We put two benches there." in done
    assert citizen.get("/status/SLIP-999999").status_code == 404
    bad = _slip(citizen, text="")
    assert bad.status_code == 400
