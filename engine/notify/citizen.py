"""Messages to citizens: what a case event means for them, in their language, by email, SMS or WhatsApp."""

from __future__ import annotations

import gettext
from datetime import datetime
from typing import Any

from ..config import NotifySettings
from ..formatting import fill_note
from ..models import Case, CaseEvent, Notification
from ..models.enums import EventKind
from .context import Context
from .sms import sms_text
from .templates import LANGUAGES, citizen_date, render
from .whatsapp import number_of, window_open


def template_names(case: Case, ev: CaseEvent) -> list[str]:
    """Template names to try for an event, most specific first (see templates/README.md)."""
    if ev.public and ev.kind == EventKind.PUBLIC_UPDATE:
        first = "acknowledgement" if case.status == "registered" else None
        return [name for name in (ev.task_name, f"status_{case.status}", first, "progress") if name]
    if ev.kind == EventKind.CLOSED and case.status == "closed":
        return ["closed"]
    if ev.kind == EventKind.CODE_RESENT:  # "send me my code again" (engine/services/followup.py)
        return ["access_code"]
    return []


def note_in(language: str, settings: NotifySettings, ev: CaseEvent, tz: str) -> str:
    """A diagram's public note in the citizen's language, from the note's template and values where kept."""
    source: dict[str, Any] = ev.data if isinstance(ev.data, dict) else {}
    note = source.get("note")
    if language == "en" or not isinstance(note, str):
        return ev.message or ""
    catalog = gettext.translation("messages", localedir=str(settings.catalogs), languages=[language], fallback=True)
    due = source.get("due_at")
    values = {str(k): str(v) for k, v in (source.get("values") or {}).items()}
    values["due_date"] = citizen_date(datetime.fromisoformat(due) if isinstance(due, str) else None, language, tz)
    return fill_note(catalog.gettext(note), values)  # R$amount as R 45 000,00, as on the status page


def citizen_values(app: Context, settings: NotifySettings, case: Case, ev: CaseEvent) -> dict[str, str]:
    language = case.citizen_language if case.citizen_language in LANGUAGES else "en"
    tz = app.config.timezone
    return {
        "reference": case.reference,
        "name": case.citizen_name or "",
        "due_date": citizen_date(case.due_at, language, tz),
        "opened_date": citizen_date(case.opened_at, language, tz),
        "message": note_in(language, settings, ev, tz),
        "category": case.category or "",
        "access_code": case.access_code or "",
        "status_url": f"{app.config.public_url}/status/{case.reference}?code={case.access_code or ''}",
    }


def citizen_messages(app: Context, settings: NotifySettings, case: Case, ev: CaseEvent) -> list[Notification]:
    """The email and SMS for `ev`, where the citizen gave an address or number and a template exists."""
    if not (case.citizen_email or case.citizen_phone):
        return []
    names = template_names(case, ev)
    if not names:
        return []
    language = case.citizen_language if case.citizen_language in LANGUAGES else "en"
    rendered = render(settings.templates, language, case.case_type, names, citizen_values(app, settings, case, ev))
    if rendered is None:
        return []
    kind = rendered.template.rsplit("/", 1)[-1].removesuffix(".txt")
    now = app.now()
    common = {"kind": kind, "audience": "citizen", "language": language, "case_id": case.id,
              "subject": rendered.subject, "created_at": now, "next_attempt_at": now,
              "data": {"template": rendered.template, "reference": case.reference}}
    messages = []
    if case.citizen_email:
        messages.append(Notification(channel="email", recipient=case.citizen_email, body=rendered.body, **common))
    # Lodged on WhatsApp: answered there in full while Meta allows free text; after a day of silence, by SMS.
    if case.citizen_phone and case.channel == "whatsapp" and window_open(case, now):
        body = f"{rendered.subject}\n\n{rendered.body}"
        messages.append(Notification(channel="whatsapp", recipient=number_of(case), body=body, **common))
    elif case.citizen_phone:  # what happened in plain words (engine/notify/sms.py), in at most three parts
        text = sms_text(app, settings, case, language, names, citizen_values(app, settings, case, ev))
        if text is not None:
            messages.append(Notification(channel="sms", recipient=case.citizen_phone, body=text, **common))
    if ev.kind == EventKind.CODE_RESENT:  # the code goes only to the contact the citizen typed and we have on file
        wanted = ("email",) if (ev.data or {}).get("channel") == "email" else ("sms", "whatsapp")
        return [m for m in messages if m.channel in wanted]
    return messages
