"""A case's status as one short line for phones (USSD and SMS): the diagram's sentence in the citizen's language."""

from __future__ import annotations

from ..composition import Batho
from ..formatting import fill_note
from ..notify.templates import date_in
from ..notify.words import translated
from . import tracking
from .phone_words import say


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a space with an ellipsis where it is longer."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return head.rstrip(" ,;:") + "…"


def latest_update(app: Batho, language: str, update: tracking.CitizenUpdate) -> str:
    """A public update in `language` where its diagram note has a translation, else as written (as on the page)."""
    if update.note:
        catalogs = app.config.notify.catalogs
        words = translated(catalogs, language, update.note)
        if words != update.note:
            return fill_note(words, {**update.values, "due_date": date_in(update.due_at, language,
                                                                            app.config.timezone)})
    return update.message


def status_line(app: Batho, language: str, reference: str, code: str | None, limit: int) -> str:
    """'MAF-2026-000123: <status in words> Expected by <date>.' and, with the access code, the latest update,
    in at most `limit` characters; NotFound when there is no such case. Without the code: the status only."""
    status = tracking.citizen_status(app, reference, code)
    public = status.public
    line = f"{public.reference}: {translated(app.config.notify.catalogs, language, public.status_text)}"
    if status.due_at and not status.closed_at:
        line += " " + say(language, "expected", date=date_in(status.due_at, language, app.config.timezone))
    if status.code and status.updates:
        line += " " + latest_update(app, language, status.updates[-1])
    return cut(line, limit)
