"""The ways a message leaves Batho: SMTP, an HTTP JSON SMS gateway, or the log when neither is configured."""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from ..config import NotifySettings, WhatsAppSettings
from ..models import Notification
from .sms import parts
from .whatsapp import WhatsAppSender

log = logging.getLogger("batho.notify")


class Sender(Protocol):
    """Sends one message or raises; `delivered_status` is what the outbox row becomes."""

    delivered_status: str

    def send(self, message: Notification) -> None: ...


class SmtpSender:
    delivered_status = "sent"

    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.smtp_tls == "ssl":
            return smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout,
                                    context=ssl.create_default_context())
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        if s.smtp_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def send(self, message: Notification) -> None:
        mail = EmailMessage()
        mail["From"] = self.settings.mail_from
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(idstring=f"batho-notification-{message.id}")
        mail["X-Batho-Notification"] = str(message.id)
        mail.set_content(message.body)
        mail["Content-Language"] = message.language  # after set_content, which resets Content-* headers
        with self._connect() as smtp:
            if self.settings.smtp_user:
                smtp.login(self.settings.smtp_user, self.settings.smtp_password)
            smtp.send_message(mail)


class HttpSmsSender:
    """POSTs {"to", "message", "id"} as JSON to the gateway URL; any 2xx answer is a delivery. A text longer than
    one SMS goes as numbered parts of at most 160 characters, one POST each, with "part" and "parts" added."""

    delivered_status = "sent"

    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    def send(self, message: Notification) -> None:
        texts = parts(message.body)
        for number, text in enumerate(texts, start=1):
            extra = {"part": number, "parts": len(texts)} if len(texts) > 1 else {}
            self._post({"to": message.recipient, "message": text, "id": message.id, **extra})

    def _post(self, body: dict[str, object]) -> None:
        payload = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.settings.sms_token:
            headers["Authorization"] = f"Bearer {self.settings.sms_token}"
        request = urllib.request.Request(self.settings.sms_url, data=payload, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.settings.smtp_timeout) as answer:  # noqa: S310
            if not 200 <= answer.status < 300:
                raise OSError(f"SMS gateway answered {answer.status}")


class LogSender:
    """No mail server or gateway configured: the log notes the message, which stays listed for admins."""

    delivered_status = "logged"

    def send(self, message: Notification) -> None:
        # POPIA: the id finds the message at /admin/outbox; the log keeps no contact details and no text.
        log.info("notification %s (%s, %s to %s) logged, not sent: no mail server or SMS gateway is configured",
                 message.id, message.channel, message.kind, message.audience)


def senders_for(settings: NotifySettings, whatsapp: WhatsAppSettings | None = None) -> dict[str, Sender]:
    """The sender of each channel under these settings."""
    return {
        "email": SmtpSender(settings) if settings.smtp_host else LogSender(),
        "sms": HttpSmsSender(settings) if settings.sms_url else LogSender(),
        "whatsapp": WhatsAppSender(whatsapp) if whatsapp and whatsapp.phone_number_id and whatsapp.token
        else LogSender(),
    }
