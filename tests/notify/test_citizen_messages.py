"""Citizens hear from us without asking: by email through a real SMTP server, in their own language."""

from __future__ import annotations

from sqlalchemy import select

from engine.models import Notification
from engine.notify.delivery import deliver_due
from tests.support.drive import do, lodge, to_response


def outbox(batho, **where) -> list[Notification]:
    with batho.db.reading() as session:
        query = select(Notification).order_by(Notification.id)
        for name, value in where.items():
            query = query.where(getattr(Notification, name) == value)
        return list(session.scalars(query))


def test_acknowledgement_reaches_the_citizen_with_reference_and_expected_date(batho, settings, mail_server, clock):
    reference = lodge(batho, name="Jane Citizen", email="jane@example.org")
    report = deliver_due(batho, settings)
    assert report.sent == 1 and report.errors == []
    [mail] = mail_server.inbox.to("jane@example.org")
    body = mail.get_payload(decode=True).decode()
    assert mail["Subject"] == f"Mafube: we registered your case {reference}"
    assert mail["Content-Language"] == "en"
    assert "Dear Jane Citizen" in body and f"Your reference number is {reference}" in body
    # water: 5 working days after Tuesday 1 December, written as the English pages write dates
    assert "Expected date: Tuesday 8 December 2026" in body
    assert f"https://care.mafube.example/status/{reference}" in body


def test_messages_are_in_the_language_the_citizen_chose(batho, settings, mail_server, clock):
    sesotho = lodge(batho, name="Palesa", email="palesa@example.org", language="st")
    afrikaans = lodge(batho, name="Annelie", email="annelie@example.org", language="af")
    deliver_due(batho, settings)
    [st] = mail_server.inbox.to("palesa@example.org")
    [af] = mail_server.inbox.to("annelie@example.org")
    assert st["Subject"] == f"Mafube: re ngodisitse taba ya hao {sesotho}" and st["Content-Language"] == "st"
    st_body = st.get_payload(decode=True).decode()
    assert "2026 Tshitwe 8, Labobedi" in st_body  # as the Sesotho status page writes it
    assert f"Re ngodisitse tletlebo ya hao {sesotho}." in st_body, "the diagram's note, translated"
    assert af["Subject"] == f"Mafube: ons het u saak {afrikaans} geregistreer" and af["Content-Language"] == "af"
    af_body = af.get_payload(decode=True).decode()
    assert "Ons beoog om dit teen Dinsdag 08 Desember 2026 op te los." in af_body  # as on the Afrikaans page
    assert "We registered" not in st_body + af_body


def test_a_complaint_tells_the_citizen_each_milestone_the_response_and_asks_for_satisfaction(
        batho, people, settings, mail_server, clock):
    reference = to_response(batho, people)
    do(batho, people["agent"], reference, "Task_satisfaction", satisfaction="satisfied")
    deliver_due(batho, settings)
    mails = mail_server.inbox.to("jane@example.org")
    subjects = [m["Subject"] for m in mails]
    assert subjects == [
        f"Mafube: we registered your case {reference}",
        f"Mafube: progress on your case {reference}",  # investigating
        f"Mafube: progress on your case {reference}",  # corrective action approved
        f"Mafube: our response to your case {reference}",
        f"Mafube: how did we do with case {reference}?",
    ]
    response = mails[3].get_payload(decode=True).decode()
    assert "We apologise for the inconvenience." in response and "A pipe burst." in response
    assert "What we did: We replaced it." in response
    assert "rate our service from 1 (very poor) to 5 (very good)" in mails[4].get_payload(decode=True).decode()


def test_anonymous_citizens_get_no_messages(batho, settings, mail_server, clock):
    lodge(batho)
    assert outbox(batho, audience="citizen") == []
    assert deliver_due(batho, settings).sent == 0


def test_the_message_is_written_with_the_case_before_any_delivery(batho, clock):
    reference = lodge(batho, name="Jane", email="jane@example.org", phone="058 813 9700")
    rows = outbox(batho, audience="citizen")
    assert [(r.channel, r.recipient, r.status, r.kind) for r in rows] == [
        ("email", "jane@example.org", "pending", "acknowledgement"),
        ("sms", "058 813 9700", "pending", "acknowledgement")]
    assert rows[1].body.startswith(f"Mafube: we registered your case {reference}")
    assert rows[0].event_id is not None and rows[0].event_id == rows[1].event_id


def test_a_rolled_back_change_leaves_no_message(batho, people, clock):
    reference = lodge(batho, name="Jane", email="jane@example.org")
    before = len(outbox(batho))
    try:
        with batho.db.transaction() as session:
            from engine.models import Case, CaseEvent

            case = session.scalars(select(Case).where(Case.reference == reference)).one()
            session.add(CaseEvent(case_id=case.id, kind="public_update", public=True, message="Crew on site",
                                  task_name="Task_x"))
            session.flush()
            assert len(session.scalars(select(Notification)).all()) == before + 1
            raise RuntimeError("the change fails after the message was written")
    except RuntimeError:
        pass
    assert len(outbox(batho)) == before


def test_an_account_query_gets_its_written_decision_with_reasons_and_the_appeal_right(
        batho, people, settings, mail_server, clock):
    from engine.services import cases

    query = {"account_number": "4410023", "category": "meter_reading", "disputed_amount": "1840.50",
             "description": "The reading on my March account is far higher than the meter shows."}
    reference = cases.lodge(batho, "account_query", query,
                            cases.Contact(name="Mpho", email="mpho@example.org", language="af"), "web")
    do(batho, people["billing"], reference, "Task_verify", outcome="correct", verification_notes="Reading matches.")
    do(batho, people["billing"], reference, "Task_explain",
       explanation="Consumption of 32 kl at the step tariff of R24.10 per kl.")
    deliver_due(batho, settings)
    mails = {m["Subject"]: m.get_payload(decode=True).decode() for m in mail_server.inbox.to("mpho@example.org")}
    decision = mails[f"Mafube: skriftelike besluit oor u rekeningnavraag {reference}"]
    assert "32 kl" in decision, "the reasons"
    assert "binne 21 dae" in decision and "artikel 62" in decision, "the appeal right, in Afrikaans"
    assert f"Mafube: hoe het ons met saak {reference} gevaar?" in mails, "then the satisfaction request"
