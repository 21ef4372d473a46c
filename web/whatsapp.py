"""The WhatsApp Cloud API webhook at /channels/whatsapp: Meta's handshake (GET) and its signed deliveries (POST).

A machine endpoint: Meta signs each body with the app secret instead of sending a cookie, so no CSRF token; the
answer is plain text and quick, since the worker answers the citizen from the kept message.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from engine.errors import Forbidden, NotFound
from engine.services.whatsapp import webhook

from .services import batho

bp = Blueprint("whatsapp", __name__, url_prefix="/channels")


def _text(body: str, status: int) -> Response:
    return Response(body, status=status, mimetype="text/plain")


@bp.get("/whatsapp")
def verify() -> Response:
    try:
        challenge = webhook.handshake(batho(), request.args.get("hub.mode"), request.args.get("hub.verify_token"),
                                      request.args.get("hub.challenge"))
    except NotFound as exc:
        return _text(str(exc), 404)
    except Forbidden as exc:
        return _text(str(exc), 403)
    return _text(challenge, 200)


@bp.post("/whatsapp")
def deliver() -> Response:
    try:
        webhook.receive(batho(), request.get_data(), request.headers.get("X-Hub-Signature-256"))
    except NotFound as exc:
        return _text(str(exc), 404)
    except webhook.BadSignature as exc:
        return _text(str(exc), 401)
    return _text("OK", 200)
