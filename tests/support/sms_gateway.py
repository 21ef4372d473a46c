"""A fake of the outbound SMS gateway on loopback: it speaks HttpSmsSender's protocol (JSON POST, bearer token)
and refuses what a real gateway would (a wrong token, a part over 160 characters, a missing field)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


class SmsGateway:
    """Collects what it accepted in `received` (the JSON bodies); `refused` counts what it turned away."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.received: list[dict[str, Any]] = []
        self.refused = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fine = (self.headers.get("Authorization") == f"Bearer {gateway.token}"
                        and self.headers.get("Content-Type") == "application/json"
                        and {"to", "message", "id"} <= set(body) and len(body["message"]) <= 160)
                if fine:
                    gateway.received.append(body)
                else:
                    gateway.refused += 1
                self.send_response(202 if fine else 400)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/send"

    def to(self, number: str) -> list[str]:
        """The texts accepted for `number`, parts joined back in order."""
        texts: list[str] = []
        for body in (b for b in self.received if b["to"] == number):
            if body.get("part", 1) == 1:
                texts.append(body["message"])
            else:
                texts[-1] += "\n" + body["message"]
        return texts


@contextmanager
def sms_gateway(token: str = "gateway-secret") -> Iterator[SmsGateway]:
    gateway = SmsGateway(token)
    thread = threading.Thread(target=gateway.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        gateway.server.shutdown()
        gateway.server.server_close()
