"""Delivery: retried with back-off while the mail server is down, then sent exactly once; SMS and the log."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engine.config import NotifySettings
from engine.models import Notification
from engine.notify.delivery import deliver_due
from tests.support.drive import lodge


def rows(batho) -> list[Notification]:
    """The citizens' messages (staff task notices are batched separately)."""
    with batho.db.reading() as session:
        return list(session.scalars(select(Notification).where(Notification.audience == "citizen")
                                    .order_by(Notification.id)))


def test_messages_wait_while_the_mail_server_is_down_and_arrive_exactly_once_when_it_returns(
        batho, settings, mail_server, clock):
    first = lodge(batho, name="Jane", email="jane@example.org")
    deliver_due(batho, settings)
    assert len(mail_server.inbox.messages) == 1

    mail_server.stop()
    second = lodge(batho, name="Sam", email="sam@example.org")
    third = lodge(batho, name="Lee", email="lee@example.org")
    down = deliver_due(batho, settings)
    assert (down.sent, down.retrying) == (0, 2)
    waiting = [r for r in rows(batho) if r.status == "pending"]
    assert len(waiting) == 2
    assert all(r.attempts == 1 and "Connection refused" in (r.last_error or "") for r in waiting)
    assert all((r.next_attempt_at - clock.now).total_seconds() == 30 for r in waiting)

    clock.advance(seconds=31)
    again = deliver_due(batho, settings)
    assert (again.sent, again.retrying) == (0, 2)
    assert all((r.next_attempt_at - clock.now).total_seconds() == 60 for r in rows(batho) if r.status == "pending")

    clock.advance(seconds=10)  # still backing off: nothing is tried
    assert deliver_due(batho, settings).retrying == 0

    mail_server.start()
    assert deliver_due(batho, settings).sent == 0, "the back-off is respected even when the server is back"
    clock.advance(minutes=1)
    back = deliver_due(batho, settings)
    assert back.sent == 2
    for _ in range(3):
        clock.advance(hours=1)
        assert deliver_due(batho, settings).sent == 0
    subjects = sorted(m["Subject"] for m in mail_server.inbox.messages)
    assert subjects == sorted(f"Mafube: we registered your case {r}" for r in (first, second, third))
    assert {r.status for r in rows(batho)} == {"sent"}


def test_one_event_never_makes_two_messages_to_the_same_address(batho, clock):
    lodge(batho, name="Jane", email="jane@example.org")
    [row] = rows(batho)
    with pytest.raises(IntegrityError), batho.db.transaction() as session:
        session.add(Notification(kind="again", audience="citizen", channel="email", recipient=row.recipient,
                                 event_id=row.event_id, case_id=row.case_id, subject="x", body="x"))


def test_a_message_that_keeps_failing_ends_as_failed_for_the_admin(batho, settings, mail_server, clock):
    lodge(batho, name="Jane", email="jane@example.org")
    mail_server.stop()
    short = replace(settings, max_attempts=3)
    for _ in range(3):
        deliver_due(batho, short)
        clock.advance(hours=7)
    [row] = rows(batho)
    assert (row.status, row.attempts) == ("failed", 3)
    assert deliver_due(batho, short).retrying == 0


class Gateway(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        Gateway.received.append({"body": json.loads(self.rfile.read(length)),
                                 "auth": self.headers.get("Authorization")})
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_sms_goes_to_the_configured_http_gateway(batho, clock):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Gateway.received = []
    try:
        reference = lodge(batho, name="Thabo", phone="+27 58 813 9700", language="st")
        sms = NotifySettings(sms_url=f"http://127.0.0.1:{server.server_port}/send", sms_token="secret")
        assert deliver_due(batho, sms).sent == 1
    finally:
        server.shutdown()
        server.server_close()
    [call] = Gateway.received
    assert call["auth"] == "Bearer secret"
    assert call["body"]["to"] == "+27 58 813 9700"
    assert call["body"]["message"].startswith(f"Mafube: re ngodisitse taba ya hao {reference}")


def test_with_no_mail_server_configured_messages_go_to_the_log_and_stay_listed(batho, clock, caplog):
    lodge(batho, name="Jane", email="jane@example.org")
    with caplog.at_level(logging.INFO, logger="batho.notify"):
        assert deliver_due(batho, NotifySettings()).sent == 1
    [row] = rows(batho)
    assert f"notification {row.id} (email, acknowledgement to citizen) logged" in caplog.text
    assert "jane@example.org" not in caplog.text and "Dear Jane" not in caplog.text, "no contact or text in the log"
    assert [r.status for r in rows(batho)] == ["logged"]
