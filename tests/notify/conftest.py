"""Notification fixtures: a real local SMTP server (aiosmtpd) that can be stopped and started, and a clock."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, update

from engine.config import NotifySettings
from engine.models import Notification, User


class Inbox:
    """Collects every message the SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        parsed["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MailServer:
    """A real SMTP server on 127.0.0.1 that tests may stop (the mail server is down) and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(batho, mail_server) -> NotifySettings:
    """Notification settings for the local mail server, in the configuration Batho reads them from."""
    made = replace(NotifySettings(), smtp_host="127.0.0.1", smtp_port=mail_server.port, smtp_timeout=3,
                   task_batch_minutes=0, digest_hour=7)
    batho.config = replace(batho.config, notify=made, public_url="https://care.mafube.example")
    return made


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(batho) -> Clock:
    # Tuesday 1 December 2026, 10:00 in Johannesburg: a working day, after the digest hour.
    made = Clock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    batho.clock = made
    return made


STAFF_EMAILS = {"agent": "agent@mafube.example", "officer": "officer@mafube.example",
                "supervisor": "supervisor@mafube.example", "manager": "manager@mafube.example"}


@pytest.fixture
def staff_emails(batho):
    """Give some demo staff an email address (and take it away again afterwards)."""
    with batho.db.transaction() as session:
        session.execute(delete(Notification))
        for username, email in STAFF_EMAILS.items():
            session.execute(update(User).where(User.username == username).values(email=email))
    yield STAFF_EMAILS
    with batho.db.transaction() as session:
        session.execute(update(User).where(User.username.in_(STAFF_EMAILS)).values(email=None))


@pytest.fixture(autouse=True)
def empty_outbox(batho):
    with batho.db.transaction() as session:
        session.execute(delete(Notification))
