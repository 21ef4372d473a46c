"""The USSD and inbound SMS gateways' callbacks: a secret in the URL, form fields in, plain text out."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, request

from engine.services import sms_inbound, ussd

from .services import batho

bp = Blueprint("ussd_sms", __name__)


def _refused(expected: str) -> Response | None:
    """404 while the channel is not configured, 403 for a missing or wrong token (gateways do not sign)."""
    if not expected:
        return Response("This channel is not configured.\n", 404, mimetype="text/plain")
    given = request.args.get("token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return Response("Wrong or missing token.\n", 403, mimetype="text/plain")
    return None


@bp.post("/channels/ussd")
def ussd_callback() -> Any:
    refused = _refused(batho().config.ussd_token)
    if refused is not None:
        return refused
    form = request.form
    session_id = form.get("sessionId", "").strip()
    if not session_id:
        return Response("sessionId is required.\n", 400, mimetype="text/plain")
    screen = ussd.answer(batho(), session_id, form.get("phoneNumber", ""), form.get("text", ""))
    return Response(screen.reply, mimetype="text/plain")


@bp.post("/channels/sms")
def sms_callback() -> Any:
    refused = _refused(batho().config.sms_inbound_token)
    if refused is not None:
        return refused
    form = request.form
    message_id, sender = form.get("id", "").strip(), form.get("from", "").strip()
    if not message_id or not sender:
        return Response("The fields id and from are required.\n", 400, mimetype="text/plain")
    handled = sms_inbound.receive(batho(), message_id, sender, form.get("text", ""))
    return Response("OK\n" if handled else "OK (already received)\n", mimetype="text/plain")
