"""The Cloud API webhook: the subscription handshake, the signature of each delivery, and keeping its messages.

A delivery is only stored: the worker answers it (`handling`), so the webhook answers Meta at once. Each message is
kept once by its id, whatever Meta repeats; status callbacks (sent, delivered, read) are accepted and dropped.
Meta's signature covers no time, and ids are kept a week: a message stamped older than that is a replay (Meta itself
stops retrying within a week) and is dropped, so a body captured once cannot be answered again later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ...composition import Batho
from ...db import insert_new
from ...errors import Forbidden, NotFound
from ...models import WhatsAppMessage

# Younger than the week the handled ids are kept (handling.KEEP_IDS), so an id forgotten is never taken again.
STALE = timedelta(days=6)


class BadSignature(Exception):
    """The X-Hub-Signature-256 header is missing or is not the HMAC of the body with the app secret."""


def _enabled(app: Batho) -> None:
    if not app.config.whatsapp.enabled:
        raise NotFound("WhatsApp is not configured here.")


def handshake(app: Batho, mode: str | None, token: str | None, challenge: str | None) -> str:
    """The challenge, when Meta subscribes with our verify token; Forbidden otherwise."""
    _enabled(app)
    expected = app.config.whatsapp.verify_token.encode()
    if mode != "subscribe" or not hmac.compare_digest(expected, (token or "").encode()) or not challenge:
        raise Forbidden("The verify token does not match.")
    return challenge


def signed(secret: str, raw: bytes, header: str | None) -> bool:
    """Whether `header` is `sha256=<hex HMAC-SHA256 of the raw body>` under `secret` (compared in constant time)."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.removeprefix("sha256=").strip().lower().encode())


def messages_in(document: Any) -> list[dict[str, Any]]:
    """The citizens' messages of one delivery (statuses and other fields left out)."""
    found = []
    entries = document.get("entry") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for change in entry.get("changes") or [] if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field", "messages") != "messages":
                continue
            names = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []
                     if isinstance(c, dict)}
            for message in value.get("messages") or []:
                if isinstance(message, dict) and message.get("id") and message.get("from"):
                    found.append({**message, "profile_name": names.get(message["from"])})
    return found


def _fresh(message: dict[str, Any], now: datetime) -> bool:
    """Whether the message was sent within STALE (a message without a readable stamp is taken)."""
    try:
        sent = datetime.fromtimestamp(int(str(message.get("timestamp"))), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return True
    return sent >= now - STALE


def receive(app: Batho, raw: bytes, signature: str | None) -> int:
    """Check the delivery's signature and keep each new message for the worker; return how many were new."""
    _enabled(app)
    if not signed(app.config.whatsapp.app_secret, raw, signature):
        raise BadSignature("The X-Hub-Signature-256 header does not match the body.")
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return 0  # signed by Meta yet not JSON: nothing we can answer, and nothing to retry
    rows = [{"message_id": str(m["id"])[:200], "wa_id": "".join(ch for ch in str(m["from"]) if ch.isdigit())[:20],
             "kind": str(m.get("type") or "unknown")[:20], "payload": m, "received_at": app.now(), "attempts": 0}
            for m in messages_in(document) if _fresh(m, app.now())]
    if not rows:
        return 0
    with app.db.transaction() as session:
        result = session.execute(insert_new(session, WhatsAppMessage, "message_id").values(rows))
        return max(int(getattr(result, "rowcount", 0) or 0), 0)
