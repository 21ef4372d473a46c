"""POST /api/v1/messages and /api/v1/signals: other systems reach waiting processes (Camunda 7's /message shape)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, g

from engine.errors import ValidationFailed
from engine.services import messages

from .api import answer, bearer, bp, json_object
from .services import batho


def _text(body: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = body.get(name)
        if value is not None:
            if not isinstance(value, str):
                raise ValidationFailed({name: f"{name} must be a string."})
            return value
    return None


@bp.route("/messages", methods=["POST"])
@bearer
def message() -> Response:
    body = json_object()
    name = _text(body, "messageName") or ""
    reference = _text(body, "businessKey", "reference")
    keys = messages.checked_variables(body.get("correlationKeys"), "correlationKeys")
    variables = messages.checked_variables(body.get("processVariables"))
    every = body.get("all", False)
    if not isinstance(every, bool):
        raise ValidationFailed({"all": "all must be true or false."})
    delivered = messages.correlate(batho(), g.api_user, name, reference, keys, variables, every)
    return answer({"messageName": name, "delivered": [asdict(d) for d in delivered]})


@bp.route("/signals", methods=["POST"])
@bearer
def signal() -> Response:
    body = json_object()
    name = _text(body, "name") or ""
    delivered = messages.signal(batho(), g.api_user, name, messages.checked_variables(body.get("variables"),
                                                                                     "variables"))
    return answer({"name": name, "delivered": [asdict(d) for d in delivered]})
