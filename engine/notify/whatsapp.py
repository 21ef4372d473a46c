"""The WhatsApp Cloud API over HTTP: sending a message from the outbox, and fetching a photo a citizen sent.

POST {api_url}/{phone_number_id}/messages with the bearer token sends; GET {api_url}/{media_id} gives a short-lived
URL for a citizen's media, fetched with the same token. Errors name the HTTP status, never the number or the text.
The bearer token goes only where it belongs: a media URL is fetched only from the configured API's own host (or, for
Meta's Graph API, Meta's media host), and no redirect is followed (urllib would carry the token along).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from sqlalchemy.orm import object_session

from ..config import WhatsAppSettings
from ..models import Case, Notification, WhatsAppConversation

MAX_MEDIA_BYTES = 10 * 1024 * 1024
TEXT_LIMIT = 4096  # the Cloud API's limit on a text message body
# Meta takes free text only within 24 hours of the citizen's last message (later, only approved templates).
WINDOW = timedelta(hours=24)
# Where the Graph API's media URLs point (https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=...).
META_API_HOSTS = ("graph.facebook.com",)
META_MEDIA_HOSTS = ("lookaside.fbsbx.com",)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following it would send the bearer token to wherever it points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Media:
    content: bytes
    mime_type: str


def _request(settings: WhatsAppSettings, url: str, body: dict[str, Any] | None = None) -> urllib.request.Request:
    headers = {"Authorization": f"Bearer {settings.token}"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    return urllib.request.Request(url, data=data, headers=headers, method="POST" if body is not None else "GET")


def _open(settings: WhatsAppSettings, request: urllib.request.Request, what: str, limit: int) -> bytes:
    try:
        with _opener.open(request, timeout=settings.timeout) as answer:  # configured URL, or media_url_allowed
            content: bytes = answer.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise OSError(f"WhatsApp Cloud API answered {exc.code} to {what}") from None
    if len(content) > limit:
        raise OSError(f"WhatsApp Cloud API sent more than {limit} bytes for {what}")
    return content


def number_of(case: Case) -> str:
    """The case's phone as WhatsApp addresses it: digits in international form (27825551111)."""
    return "".join(ch for ch in case.citizen_phone or "" if ch.isdigit())


def window_open(case: Case, now: datetime) -> bool:
    """Whether the citizen of a case lodged on WhatsApp wrote to us within the last 24 hours."""
    session = object_session(case)
    conversation = session.get(WhatsAppConversation, number_of(case)) if session is not None else None
    return conversation is not None and conversation.last_message_at >= now - WINDOW


def message_body(message: Notification) -> dict[str, Any]:
    """The JSON the messages endpoint takes for an outbox row: its interactive list or buttons, else its text."""
    interactive = (message.data or {}).get("interactive")
    if isinstance(interactive, dict):
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": message.recipient,
                "type": "interactive", "interactive": interactive}
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": message.recipient,
            "type": "text", "text": {"preview_url": False, "body": message.body[:TEXT_LIMIT]}}


def media_url_allowed(settings: WhatsAppSettings, url: str) -> bool:
    """Whether a media URL the API gave is on the API's own scheme, host and port, or (Graph API) Meta's media host
    over HTTPS: anything else (a private address, another service) is never fetched with our token."""
    api, given = urlsplit(settings.api_url), urlsplit(url)
    try:
        same = (given.scheme, given.hostname, given.port) == (api.scheme, api.hostname, api.port)
        meta = (api.hostname in META_API_HOSTS and given.scheme == "https" and given.hostname in META_MEDIA_HOSTS
                and given.port in (None, 443))
    except ValueError:  # a port that is no number
        return False
    return bool(given.hostname) and not given.username and (same or meta)


def fetch_media(settings: WhatsAppSettings, media_id: str) -> Media:
    """A citizen's photo by its media id: its URL from the API, then the bytes (at most 10 MB)."""
    meta = json.loads(_open(settings, _request(settings, f"{settings.api_url}/{quote(media_id, safe='')}"),
                            "a media lookup", 64 * 1024))
    url = meta.get("url") if isinstance(meta, dict) else None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise OSError("WhatsApp Cloud API gave no download URL for a media id")
    if not media_url_allowed(settings, url):
        raise OSError("WhatsApp Cloud API gave a media URL on a host other than its own; not fetched")
    content = _open(settings, _request(settings, url), "a media download", MAX_MEDIA_BYTES)
    return Media(content, str(meta.get("mime_type") or ""))


class WhatsAppSender:
    """Sends outbox rows of channel `whatsapp`; any 2xx answer is a delivery, anything else is retried."""

    delivered_status = "sent"

    def __init__(self, settings: WhatsAppSettings) -> None:
        self.settings = settings

    def send(self, message: Notification) -> None:
        url = f"{self.settings.api_url}/{quote(self.settings.phone_number_id, safe='')}/messages"
        _open(self.settings, _request(self.settings, url, message_body(message)), "a message", 64 * 1024)
