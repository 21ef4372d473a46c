"""Message templates: editable text files per language, case type and event, with fallbacks.

A template is `templates/<language>/<case_type>/<name>.txt` (or `<language>/default/<name>.txt`):
the first line is `Subject: ...`, then a blank line, then the body. `$names` are filled in; unknown
names stay as written. Missing languages fall back to English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo

from ..formatting import long_date

LANGUAGES = ("en", "st", "af")
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "st": ["Pherekgong", "Hlakola", "Hlakubele", "Mmesa", "Motsheanong", "Phupjane", "Phupu", "Phato",
           "Lwetse", "Mphalane", "Pudungwana", "Tshitwe"],
    "af": ["Januarie", "Februarie", "Maart", "April", "Mei", "Junie", "Julie", "Augustus", "September",
           "Oktober", "November", "Desember"],
}
UNKNOWN_DATE = {"en": "soon", "st": "haufinyane", "af": "binnekort"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    template: str


def date_in(value: datetime | None, language: str, tz: str) -> str:
    """A date as a citizen reads it in their language, e.g. '24 March 2026' / '24 Maart 2026'."""
    lang = language if language in MONTHS else "en"
    if value is None:
        return UNKNOWN_DATE[lang]
    local = value.astimezone(ZoneInfo(tz))
    return f"{local.day} {MONTHS[lang][local.month - 1]} {local.year}"


def citizen_date(value: datetime | None, language: str, tz: str, weekday: bool = True) -> str:
    """A date in a citizen's e-mail or SMS written as their pages write it (engine.formatting.long_date): 'Tuesday 8
    December 2026', 'Dinsdag 08 Desember 2026', '2026 Tshitwe 8, Labobedi' (an SMS leaves out the weekday to fit
    one message); 'soon' in their language when unknown."""
    lang = language if language in MONTHS else "en"
    if value is None:
        return UNKNOWN_DATE[lang]
    return long_date(value, lang, tz, weekday)


def find(root: Path, language: str, case_type: str | None, names: list[str]) -> Path | None:
    """The first template file for the names, in the language (then English), case type (then default)."""
    languages = [language, "en"] if language != "en" else ["en"]
    folders = [case_type, "default"] if case_type else ["default"]
    for lang in languages:
        for name in names:
            for folder in folders:
                path = root / lang / folder / f"{name}.txt"
                if path.is_file():
                    return path
    return None


def render(root: Path, language: str, case_type: str | None, names: list[str],
           values: dict[str, str]) -> Rendered | None:
    """Fill the first matching template; None when no template exists for any of the names."""
    path = find(root, language, case_type, names)
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    subject = head.removeprefix("Subject:").strip()
    filled_subject = " ".join(Template(subject).safe_substitute(values).split())
    filled_body = Template(body).safe_substitute(values).strip() + "\n"
    return Rendered(filled_subject, filled_body, str(path.relative_to(root)))
