"""How Batho writes money, dates and codes for people: one way per language, on every page and message."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from string import Template
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

# South African government style: a non-breaking space between R and the figure and between thousands (so a line
# never breaks inside an amount), a comma before the cents.
SPACE = "\u00a0"
LANGUAGE_NAMES = {"en": "English", "st": "Sesotho", "af": "Afrikaans"}
CHANNEL_NAMES = {"web": "Web", "phone": "Phone", "walk_in": "Walk-in", "suggestion_box": "Suggestion box",
                 "api": "Another system", "paper": "Paper slip", "whatsapp": "WhatsApp"}

ORDINARY_SPACES = re.compile(r"[ \t\r\n\f\v]+")
MONEY_NAME = re.compile(r"R ?\$(?P<brace>\{)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?(brace)\})")


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, bool) or value is None:
        return None
    try:
        parsed = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return parsed if parsed.is_finite() else None


def money(value: object) -> str:
    """An amount in rand as South Africans write it: `R 45 000,00`, `-R 1 250,50`, `R 0,00`; '—' when there is none."""
    amount = _decimal(value)
    if amount is None:
        return "—" if value is None or value == "" else str(value)
    cents = amount.quantize(Decimal("0.01"))
    whole, _, fraction = f"{abs(cents):,.2f}".partition(".")
    sign = "-" if cents < 0 else ""
    return f"{sign}R{SPACE}{whole.replace(',', SPACE)},{fraction}"


# Decimals as each language writes them: South Africa's official style (SANS 1283) is a decimal comma and a space
# before the percent sign, which Sesotho and Afrikaans pages follow; the English pages keep the dot they always had.
# Machine-readable output (CSV, JSON) keeps plain dots: it does not use these.
DECIMAL_COMMA = frozenset({"st", "af"})


def decimal_text(value: float | Decimal | None, language: str = "en", places: int = 1, trim: bool = True) -> str:
    """A figure with `places` decimals (trailing zeros dropped unless `trim` is off): en `5.5`, st/af `5,5`;
    '—' when there is none."""
    if value is None:
        return "—"
    text = f"{float(value):.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language in DECIMAL_COMMA else text


def percent_text(share: float | None, language: str = "en", trim: bool = True) -> str:
    """A share (0 to 1) as a percentage with one decimal: en `88.5%`, st/af `88,5 %` (a non-breaking space)."""
    if share is None:
        return "—"
    figure = decimal_text(share * 100, language, trim=trim)
    return f"{figure}{SPACE}%" if language in DECIMAL_COMMA else f"{figure}%"


def _local(value: date | datetime | str, tz: str | None) -> date | datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(ZoneInfo(tz)) if tz else aware
    return value


def long_date(value: date | datetime | str | None, language: str = "en", tz: str | None = None,
              weekday: bool = True) -> str:
    """A date in words, one way per language: English `Tuesday 8 December 2026`; Sesotho and Afrikaans in their
    full Babel form. Times are first moved to the municipality's zone `tz` when it is given. Without the
    `weekday` (an SMS, which must fit 160 characters), the same date in the same order: `8 December 2026`,
    `08 Desember 2026`, `2026 Tshitwe 8`."""
    if value is None or value == "":
        return "—"
    local = _local(value, tz)
    day = local.date() if isinstance(local, datetime) else local
    if language in ("st", "af"):
        return format_date(day, "full" if weekday else "long", locale=language)
    return f"{day:%A} {day.day} {day:%B %Y}" if weekday else f"{day.day} {day:%B %Y}"


def date_time(value: datetime | str | None, language: str = "en", tz: str | None = None) -> str:
    """A moment in words: `Tuesday 8 December 2026, 14:05` (the date as `long_date` writes it in `language`)."""
    if value is None or value == "":
        return "—"
    local = _local(value, tz)
    if not isinstance(local, datetime):
        return long_date(local, language)
    return f"{long_date(local, language)}, {local:%H:%M}"


def fill_note(template: str, values: dict[str, Any]) -> str:
    """A diagram note with its $names filled in; `R$name` (an amount in rand) is written as money, `R 45 000,00`.
    Unknown names stay as written; runs of spaces become one."""
    def amount(match: re.Match[str]) -> str:
        value = values.get(match.group("name"))
        return money(value) if _decimal(value) is not None else match.group(0)

    text = Template(MONEY_NAME.sub(amount, template)).safe_substitute(values)
    # Not str.split(): that would also break the non-breaking spaces inside the amounts.
    return ORDINARY_SPACES.sub(" ", text).strip()


def language_name(code: str | None) -> str:
    """`st` → `Sesotho`; a code we do not know shows as written."""
    return LANGUAGE_NAMES.get(code or "en", code or "English")


def channel_name(code: str | None) -> str:
    """`walk_in` → `Walk-in`; a code we do not know shows with its first letter capital and spaces for underscores."""
    if not code:
        return "—"
    return CHANNEL_NAMES.get(code, code.replace("_", " ").capitalize())


def code_name(code: str | None, names: dict[str, str]) -> str:
    """A code's name from `names` (categories, departments, statuses), else the code made readable."""
    if not code:
        return "—"
    if code in names:
        return names[code]
    # A code looks like `in_progress`; anything else (a name already) shows as it is.
    return code.replace("_", " ").capitalize() if code == code.lower() else code
