"""A case's status answered on WhatsApp, by the status page's rules: the reference alone gives the public status;
with the access code, our latest message to the citizen too."""

from __future__ import annotations

import re

from ...composition import Batho
from ...errors import NotFound
from ...formatting import fill_note
from ...notify.templates import date_in
from .. import tracking
from .texts import say, translator

# MAF-2026-000123, then perhaps the access code (any case, spaces or dashes inside it do not matter).
REFERENCE = re.compile(r"^\s*([A-Za-z]{2,10}-\d{4}-\d{1,6})(?:[\s,;:]+([A-Za-z0-9][A-Za-z0-9 -]{3,30}))?\s*$")
NOT_FOUND = "We could not find a case with that reference. Check it and try again."


def reference_in(text: str) -> tuple[str, str | None] | None:
    """(reference, code or None) when the message is a reference, perhaps followed by an access code."""
    match = REFERENCE.match(text)
    return (match.group(1).upper(), match.group(2)) if match else None


def _latest(app: Batho, status: tracking.CitizenStatus, language: str | None) -> str | None:
    if not status.updates:
        return None
    update = status.updates[-1]
    if update.note:
        translated = translator(app.config.notify.catalogs, language).gettext(update.note)
        if translated != update.note:
            return fill_note(translated, {**update.values,
                                          "due_date": date_in(update.due_at, language or "en", app.config.timezone)})
    return update.message or None


def status_answer(app: Batho, reference: str, code: str | None, language: str | None) -> str:
    """What the citizen reads about case `reference` in their language."""
    words = translator(app.config.notify.catalogs, language)
    try:
        status = tracking.citizen_status(app, reference, code)
    except NotFound:
        return words.gettext(NOT_FOUND)
    lang, tz = language or "en", app.config.timezone
    lines = [say(language, "status", reference=status.public.reference,
                 status=words.gettext(status.public.status_text) if status.public.status_text else status.public.status,
                 opened=date_in(status.opened_at, lang, tz))]
    if status.closed_at:
        lines[0] += " " + say(language, "closed_on", date=date_in(status.closed_at, lang, tz))
    elif status.due_at:
        lines[0] += " " + say(language, "expected", date=date_in(status.due_at, lang, tz))
    if status.code is not None:
        latest = _latest(app, status, language)
        if latest:
            lines.append(say(language, "latest", note=latest))
    else:
        lines.append(say(language, "wrong_code" if code else "public_only"))
    return "\n".join(lines)
