"""A local fake of Meta's WhatsApp Cloud API on loopback: the messages endpoint and media downloads, as the real
one answers them, refusing a wrong bearer token, a wrong path and a message body of the wrong shape."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

VERSION = "v21.0"
PHONE_NUMBER_ID = "106540352242922"
TOKEN = "fake-cloud-api-token"
APP_SECRET = "fake-app-secret"
VERIFY_TOKEN = "fake-verify-token"


def shape_errors(body: Any) -> list[str]:
    """What is wrong with a messages-endpoint body (the Cloud API answers 400 to each of these)."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = []
    if body.get("messaging_product") != "whatsapp":
        problems.append("messaging_product must be whatsapp")
    if not str(body.get("to", "")).isdigit():
        problems.append("to must be the number in digits")
    kind = body.get("type")
    if kind == "text":
        text = (body.get("text") or {}).get("body")
        if not isinstance(text, str) or not text.strip() or len(text) > 4096:
            problems.append("text.body must be 1 to 4096 characters")
    elif kind == "interactive":
        problems += _interactive_errors(body.get("interactive") or {})
    else:
        problems.append(f"type {kind!r} is not one this fake knows")
    return problems


def _button_errors(action: dict[str, Any]) -> list[str]:
    buttons = action.get("buttons") or []
    problems = [] if 1 <= len(buttons) <= 3 else ["1 to 3 buttons"]
    for button in buttons:
        reply = button.get("reply") or {}
        if button.get("type") != "reply" or not reply.get("id") or not 1 <= len(reply.get("title", "")) <= 20:
            problems.append("a reply button needs an id and a title of 1 to 20 characters")
    return problems


def _list_errors(action: dict[str, Any]) -> list[str]:
    problems = [] if 1 <= len(action.get("button", "")) <= 20 else ["the list's button needs 1 to 20 characters"]
    rows = [row for section in action.get("sections") or [] for row in section.get("rows") or []]
    if not 1 <= len(rows) <= 10:
        problems.append("1 to 10 rows")
    for row in rows:
        if not row.get("id") or not 1 <= len(row.get("title", "")) <= 24 or len(row.get("description", "")) > 72:
            problems.append("a row needs an id, a title of 1 to 24 and a description of at most 72 characters")
    return problems


def _interactive_errors(interactive: dict[str, Any]) -> list[str]:
    text = (interactive.get("body") or {}).get("text")
    problems = [] if isinstance(text, str) and 1 <= len(text) <= 1024 else [
        "interactive.body.text must be 1 to 1024 characters"]
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        return problems + _button_errors(action)
    if interactive.get("type") == "list":
        return problems + _list_errors(action)
    return [*problems, "interactive.type must be button or list"]


@dataclass
class FakeCloudApi:
    """What the fake received and holds: sent messages, refused requests, media to serve, failures to make."""

    base: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_requests: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer this many message sends with 500, as Meta does when it is having a bad day
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_url(self) -> str:
        return f"{self.base}/{VERSION}"

    def texts_to(self, number: str) -> list[str]:
        """The text of every message sent to `number`, in order (an interactive message's body text)."""
        return [m["text"]["body"] if m["type"] == "text" else m["interactive"]["body"]["text"]
                for m in self.sent if m["to"] == number]

    def add_media(self, media_id: str, content: bytes, mime_type: str = "image/jpeg") -> None:
        self.media[media_id] = (content, mime_type)


class CloudApi(BaseHTTPRequestHandler):
    """The fake's request handler; `api` is set on a subclass per server."""

    api: FakeCloudApi

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self, status: int, why: str) -> None:
        self.api.refused.append(f"{self.command} {self.path}: {why}")
        self._answer(status, {"error": {"message": why, "type": "OAuthException", "code": 100}})

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._refuse(401, "Invalid OAuth access token")
            return False
        return True

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        if not self._authorised():
            return
        if self.path != f"/{VERSION}/{PHONE_NUMBER_ID}/messages":
            self._refuse(404, "Unknown path components")
            return
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        except ValueError:
            self._refuse(400, "the body is not JSON")
            return
        problems = shape_errors(body)
        if problems:
            self._refuse(400, "; ".join(problems))
            return
        if self.api.fail_next > 0:
            self.api.fail_next -= 1
            self._answer(500, {"error": {"message": "Service temporarily unavailable", "code": 2}})
            return
        self.api.sent.append(body)
        self._answer(200, {"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                           "messages": [{"id": f"wamid.out.{next(self.api.ids)}"}]})

    def do_GET(self) -> None:  # noqa: N802
        if not self._authorised():
            return
        parts = self.path.strip("/").split("/")
        if parts[0] == "download" and len(parts) == 2 and parts[1] in self.api.media:
            content, mime = self.api.media[parts[1]]
            self._answer(200, content, mime)
        elif parts[0] == VERSION and len(parts) == 2 and parts[1] in self.api.media:
            self.api.media_requests.append(parts[1])
            content, mime = self.api.media[parts[1]]
            self._answer(200, {"messaging_product": "whatsapp", "url": f"{self.api.base}/download/{parts[1]}",
                               "mime_type": mime, "sha256": hashlib.sha256(content).hexdigest(),
                               "file_size": len(content), "id": parts[1]})
        else:
            self._refuse(404, "Unsupported get request: no such media")


@contextmanager
def running() -> Iterator[FakeCloudApi]:
    """The fake serving on a free loopback port for the block."""
    api = FakeCloudApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (CloudApi,), {"api": api}))
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    """The X-Hub-Signature-256 header Meta sends with `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery(wa_id: str, message: dict[str, Any], name: str = "Citizen",
             timestamp: float | None = None) -> dict[str, Any]:
    """A webhook delivery of one message from `wa_id` (`message` without from, as the type and its part), stamped
    now unless `timestamp` says when (Unix seconds, as Meta stamps it)."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA_ID", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "27588139700", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "timestamp": str(int(time.time() if timestamp is None else timestamp)),
                      **message}]}}]}]}


def status_delivery(wa_id: str, status: str = "delivered") -> dict[str, Any]:
    """A status callback (sent, delivered, read) for a message we sent."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA_ID", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "27588139700", "phone_number_id": PHONE_NUMBER_ID},
        "statuses": [{"id": "wamid.out.1", "status": status, "timestamp": "1764633601", "recipient_id": wa_id}]}}]}]}
