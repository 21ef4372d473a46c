"""SMS to citizens: the update itself in plain words (what happened, the reference, the expected date), not a link.

A text is `templates/<language>/<case type or default>/<name>.sms.txt`, filled like the email templates, plus
`$status` (the status sentence), `$update` (the public note, or the status sentence where there is none; naming
the case), `$expected` ("Expected by 8 December 2026." while the case is open), `$access_code` and `$follow_up` ("Reply
STATUS for news." when inbound SMS is configured, else the status page's address without the code).
One SMS holds 160 characters: a longer text is sent as numbered parts, at most three.
"""

from __future__ import annotations

from string import Template

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ..config import NotifySettings
from ..models import Case, ProcessVersion
from .context import Context
from .templates import citizen_date, find
from .words import translated

SEGMENT = 160
MAX_PARTS = 3
MARK = "(9/9) "  # the widest part number
EXPECTED = {"en": "Expected by {date}.", "st": "Letsatsi le lebelletsweng: {date}.", "af": "Verwag teen {date}."}
FOLLOW_UP = {"en": "Reply STATUS for news.", "st": "Araba STATUS ho tseba boemo.",
             "af": "Antwoord STATUS vir nuus."}


def status_sentence(app: Context, case: Case) -> str:
    """The diagram's sentence for the case's status (the start event's `status.<code>`), as the catalog has it."""
    session = object_session(case)
    version = None if session is None else session.scalars(
        select(ProcessVersion).where(ProcessVersion.key == case.case_type)
        .order_by(ProcessVersion.version.desc()).limit(1)).first()
    properties = app.specs.get(version).start_properties if version is not None else {}
    return properties.get(f"status.{case.status}") or case.status.replace("_", " ").capitalize()


def sms_values(app: Context, settings: NotifySettings, case: Case, language: str,
               values: dict[str, str]) -> dict[str, str]:
    """The email's fields plus the SMS's own."""
    status = translated(settings.catalogs, language, status_sentence(app, case))
    open_with_date = case.due_at is not None and case.closed_at is None
    expected = EXPECTED[language].format(date=citizen_date(case.due_at, language, app.config.timezone, weekday=False))
    # Without inbound SMS, the status page (which asks for the code the acknowledgement gave): a shorter link.
    page = f"{app.config.public_url}/status/{case.reference}"
    follow_up = FOLLOW_UP[language] if app.config.sms_inbound_token else page
    update = values.get("message") or status
    if case.reference not in update:  # diagram notes often name the case; where this one does not, say which
        update = f"{case.reference}: {update}"
    return {**values, "status": status, "update": update, "access_code": case.access_code or "",
            "expected": expected if open_with_date else "", "follow_up": follow_up}


def sms_text(app: Context, settings: NotifySettings, case: Case, language: str, names: list[str],
             values: dict[str, str]) -> str | None:
    """The SMS for the first of `names` with an SMS template, in at most three parts; None when none has one."""
    path = find(settings.templates, language, case.case_type, [f"{name}.sms" for name in names])
    if path is None:
        return None
    filled = Template(path.read_text(encoding="utf-8")).safe_substitute(sms_values(app, settings, case, language,
                                                                                  values))
    return fit(" ".join(filled.split()))


def _chunks(text: str, size: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > size:  # a long address: cut it where it must be cut
            if current:
                chunks.append(current)
                current = ""
            chunks.append(word[:size])
            word = word[size:]
        if current and len(current) + 1 + len(word) > size:
            chunks.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        chunks.append(current)
    return chunks


def parts(text: str) -> list[str]:
    """The SMS to send for `text`: itself when it fits one, else parts numbered "(1/2) " of at most 160 each."""
    if len(text) <= SEGMENT:
        return [text]
    chunks = _chunks(text, SEGMENT - len(MARK))
    return [f"({number}/{len(chunks)}) {chunk}" for number, chunk in enumerate(chunks, start=1)]


def fit(text: str) -> str:
    """`text`, shortened at a word with an ellipsis where it would need more than three parts."""
    if len(parts(text)) <= MAX_PARTS:
        return text
    room = MAX_PARTS * (SEGMENT - len(MARK)) - 1
    while len(parts(text)) > MAX_PARTS:
        text = text[:room].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        room -= 10
    return text
