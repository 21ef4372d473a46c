"""Logs as JSON lines (BATHO_LOG_FORMAT=json): a request id, the case reference and instance id, no contact details."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("batho_request_id", default=None)
case_reference: contextvars.ContextVar[str | None] = contextvars.ContextVar("batho_case_reference", default=None)
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# A safety net under the rule that no log call passes contact details: addresses and phone numbers are masked.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w-])\+?\d[\d ()-]{7,}\d")
access = logging.getLogger("batho.access")


def masked(text: str) -> str:
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message and what is known of the request and case."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                                "level": record.levelname.lower(), "logger": record.name,
                                "message": masked(record.getMessage())}
        for name, value in (("request_id", request_id.get()), ("case", case_reference.get())):
            if value:
                line[name] = value
        for name in ("case", "instance", "method", "route", "status", "ms"):
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["error"] = masked(self.formatException(record.exc_info))
        return json.dumps(line, default=str)


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Send every log record to stderr, as JSON lines or as plain text."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def register(app: Flask) -> None:
    """Each request gets an id (the proxy's X-Request-ID when it is plain, else a new one), echoed in the answer."""

    @app.before_request
    def identify() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if SAFE_ID.match(given) else secrets.token_hex(8)
        g.log_started = time.perf_counter()
        request_id.set(g.request_id)
        reference = (request.view_args or {}).get("reference")
        case_reference.set(reference if isinstance(reference, str) else None)

    @app.after_request
    def logged(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        # The route pattern, never the URL: a query string may carry an access code.
        access.info("%s %s %s", request.method, route, response.status_code,
                    extra={"method": request.method, "route": route, "status": response.status_code,
                           "ms": round((time.perf_counter() - g.get("log_started", time.perf_counter())) * 1000, 1)})
        return response
