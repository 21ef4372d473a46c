"""A citizen's WhatsApp message as the conversation reads it, and the replies it writes (text, list or buttons)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BODY_LIMIT = 1024  # an interactive message's body
ROW_TITLE, ROW_DESCRIPTION, BUTTON_TITLE = 24, 72, 20


@dataclass(frozen=True)
class Inbound:
    """What was sent: `kind` is text, location, image or other; a tapped list row or button reads as its number."""

    kind: str
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""
    media_id: str = ""
    profile_name: str = ""


def _number(raw: object) -> float | None:
    try:
        return float(str(raw))
    except ValueError:
        return None


def inbound_of(payload: dict[str, Any]) -> Inbound:
    """The message object of a webhook delivery, read."""
    kind = payload.get("type")
    name = str(payload.get("profile_name") or "")[:200]
    found = payload.get(str(kind))
    part: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "text":
        return Inbound("text", text=str(part.get("body") or "").strip(), profile_name=name)
    if kind == "interactive":
        reply = part.get("list_reply") or part.get("button_reply") or {}
        return Inbound("text", text=str(reply.get("id") or reply.get("title") or "").strip(), profile_name=name)
    if kind == "button":  # a quick reply to a template message
        return Inbound("text", text=str(part.get("payload") or part.get("text") or "").strip(), profile_name=name)
    if kind == "location":
        place = ", ".join(str(part[k]).strip() for k in ("name", "address") if part.get(k))
        lat, lon = _number(part.get("latitude")), _number(part.get("longitude"))
        if lat is not None and lon is not None:
            return Inbound("location", latitude=lat, longitude=lon, place=place[:300], profile_name=name)
    if kind == "reaction":  # an emoji on one of our messages: nothing to answer
        return Inbound("reaction", profile_name=name)
    if kind == "image" and part.get("id"):
        return Inbound("image", media_id=str(part["id"])[:200], profile_name=name)
    return Inbound("other", profile_name=name)


@dataclass(frozen=True)
class Reply:
    """One message to send back: its text, and the interactive list or buttons that go with it, if any."""

    text: str
    interactive: dict[str, Any] | None = None


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def buttons(text: str, choices: list[tuple[str, str]]) -> Reply:
    """A message with up to three reply buttons (id, title); typing the id works as well."""
    interactive = {"type": "button", "body": {"text": _short(text, BODY_LIMIT)},
                   "action": {"buttons": [{"type": "reply", "reply": {"id": key, "title": _short(title, BUTTON_TITLE)}}
                                          for key, title in choices[:3]]}}
    return Reply(text, interactive)


def choice_list(text: str, button: str, section: str, rows: list[tuple[str, str]]) -> Reply:
    """A list message of up to ten rows (id, title), the long titles shortened with the whole as description."""
    listed = [{"id": key, "title": _short(f"{key} {title}", ROW_TITLE)}
              | ({"description": _short(title, ROW_DESCRIPTION)} if len(f"{key} {title}") > ROW_TITLE else {})
              for key, title in rows[:10]]
    interactive = {"type": "list", "body": {"text": _short(text, BODY_LIMIT)},
                   "action": {"button": _short(button, BUTTON_TITLE),
                              "sections": [{"title": _short(section, ROW_TITLE), "rows": listed}]}}
    return Reply(text, interactive)
