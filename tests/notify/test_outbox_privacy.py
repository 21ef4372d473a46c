"""POPIA in the outbox: masked recipients on /admin/outbox, and worker log lines without contact or text."""

from __future__ import annotations

import logging
import smtplib

from sqlalchemy import select

from engine.config import NotifySettings
from engine.models import Notification
from engine.notify.delivery import deliver_due
from engine.notify.privacy import masked
from tests.support.drive import access_code, lodge
from tests.support.web import Browser
from web import create_app

CONTACT = {"name": "Jane Citizen", "email": "jane@example.org", "phone": "082 555 1111"}
PRIVATE = ("jane@example.org", "082 555 1111", "Jane Citizen", "Dear Jane")


def citizen_messages(batho) -> list[Notification]:
    with batho.db.reading() as session:
        return list(session.scalars(select(Notification).where(Notification.audience == "citizen")
                                    .order_by(Notification.id)))


def outbox_page(batho, query: str = "") -> str:
    admin = Browser(create_app(batho, {"TESTING": True}).test_client())
    assert admin.login("admin").status_code == 302
    response = admin.get(f"/admin/outbox{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_recipients_are_masked_the_shape_kept():
    assert masked("jane@example.org") == "j***@example.org"
    assert masked("082 555 1111") == "082 *** 1111"
    assert masked("+27 58 813 9700") == "+275 *** 9700"
    assert masked("12345") == "***"


def test_the_outbox_list_shows_recipients_masked_and_no_citizens_text(batho):
    reference = lodge(batho, **CONTACT)
    page = outbox_page(batho)
    assert "j***@example.org" in page and "082 *** 1111" in page
    assert f"Mafube: we registered your case {reference}" in page  # the subject, for finding a message
    for private in (*PRIVATE, access_code(batho, reference)):
        assert private not in page, private


def test_a_refusal_naming_the_address_is_masked_on_the_list_and_in_the_log(batho, caplog):
    class Refusing:  # the far side: a mail server that names the address it refuses
        delivered_status = "sent"

        def send(self, message: Notification) -> None:
            raise smtplib.SMTPRecipientsRefused({message.recipient: (550, b"No such mailbox")})

    lodge(batho, **{k: v for k, v in CONTACT.items() if k != "phone"})
    with caplog.at_level(logging.INFO, logger="batho.notify"):
        report = deliver_due(batho, NotifySettings(), senders={"email": Refusing()})
    assert report.retrying == 1
    [row] = citizen_messages(batho)
    assert f"notification {row.id} (email, acknowledgement) not delivered" in caplog.text
    assert "j***@example.org" in caplog.text and "jane@example.org" not in caplog.text
    page = outbox_page(batho, "?status=pending")
    assert "No such mailbox" in page and "jane@example.org" not in page


def test_with_no_mail_server_the_log_names_the_outbox_id_and_channel_only(batho, caplog):
    reference = lodge(batho, **CONTACT)
    with caplog.at_level(logging.INFO, logger="batho.notify"):
        assert deliver_due(batho, NotifySettings()).sent == 2
    email, sms = citizen_messages(batho)
    assert f"notification {email.id} (email, acknowledgement to citizen) logged" in caplog.text
    assert f"notification {sms.id} (sms, acknowledgement to citizen) logged" in caplog.text
    for private in (*PRIVATE, email.body, sms.body, access_code(batho, reference)):
        assert private not in caplog.text, private
    assert {m.status for m in citizen_messages(batho)} == {"logged"}
