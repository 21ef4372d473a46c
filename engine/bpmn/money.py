"""Amounts in rand as people write them (`R45 000`, `45 000,00`, `45,000.00`), read into exact Decimals."""

from __future__ import annotations

import re
from decimal import Decimal

from ..formatting import money

# Spaces people put between thousands: plain, non-breaking, thin and narrow non-breaking.
SPACES = re.compile("[ \u00a0\u2009\u202f]+")
DIGITS = re.compile(r"\d+", re.ASCII)
GROUPED = re.compile(r"\d{1,3}(?:[ ,.']\d{3})*", re.ASCII)
MAX_DIGITS = 12  # amounts are stored as NUMERIC(14, 2)
EXAMPLE = "Enter an amount in rand, for example 45 000,00 or R45 000."


class AmountToConfirm(ValueError):
    """The amount reads two ways (`45,000`: thousands or cents?); `amount` is the likelier reading to confirm."""

    def __init__(self, amount: Decimal, other: Decimal) -> None:
        super().__init__(f"{money(amount)} — is this right? If you meant {money(other)}, write {_plain(other)}.")
        self.amount, self.other = amount, other


def _plain(amount: Decimal) -> str:
    """How to write `amount` so that it reads one way only: `45 000,00`."""
    return money(amount).replace("R\u00a0", "", 1)


def normalised(amount: Decimal) -> str:
    """The amount as the form sends it back once confirmed: `45000.00`."""
    return str(amount.quantize(Decimal("0.01")))


def _whole(text: str, separator: str) -> str:
    """The whole rand part without its thousands separators, or ValueError when the groups are not threes."""
    if separator and not GROUPED.fullmatch(text):
        raise ValueError(EXAMPLE)
    whole = text.replace(separator, "") if separator else text
    if not DIGITS.fullmatch(whole):
        raise ValueError(EXAMPLE)
    return whole


def _cents(text: str) -> str:
    if not DIGITS.fullmatch(text):
        raise ValueError(EXAMPLE)
    if len(text) > 2:
        raise ValueError("Write at most two digits for the cents, for example 45 000,50.")
    return text


def _unsigned(text: str) -> Decimal:
    """Digits with spaces, commas or points: the last comma or point before one or two digits is the decimal mark."""
    spaced = bool(SPACES.search(text))
    text = SPACES.sub(" ", text)
    marks = [c for c in text if c in ",."]
    if not marks:
        return Decimal(_whole(text, " " if spaced else ""))
    last = max(text.rfind(","), text.rfind("."))
    head, tail = text[:last], text[last + 1:]
    kinds = set(marks)
    if len(kinds) == 2 or (spaced and len(marks) == 1):
        # 45,000.00 / 45.000,00 / 45 000,00: the other marks (or the spaces) group thousands.
        thousands = (kinds - {text[last]}).pop() if len(kinds) == 2 else " "
        if len(kinds) == 2 and (spaced or text[last] in head):
            raise ValueError(EXAMPLE)
        return Decimal(f"{_whole(head, thousands) or '0'}.{_cents(tail)}")
    if len(marks) > 1:  # 1,234,567 or 1.234.567: thousands only
        if spaced:
            raise ValueError(EXAMPLE)
        return Decimal(_whole(text, marks[0]))
    if len(tail) == 3 and DIGITS.fullmatch(head or "x") and len(head) <= 3 and head != "0":
        raise AmountToConfirm(Decimal(head + tail), Decimal(f"{head}.{tail}"))
    return Decimal(f"{_whole(head, '') or '0'}.{_cents(tail)}")


def parse_amount(raw: str) -> Decimal:
    """`R 45 000,00` → Decimal('45000.00'); AmountToConfirm when it reads two ways; ValueError with a sentence."""
    text = raw.strip()
    sign = ""
    if text.startswith(("+", "-")):
        sign, text = text[0], text[1:].lstrip()
    if text.startswith(("R", "r")):
        text = text[1:].lstrip()
        if not sign and text.startswith(("+", "-")):
            sign, text = text[0], text[1:].lstrip()
    if not text or len(text) > 40:
        raise ValueError(EXAMPLE)
    try:
        amount = _unsigned(text)
    except AmountToConfirm as unclear:
        if sign == "-":
            raise AmountToConfirm(-unclear.amount, -unclear.other) from None
        raise
    if amount and amount.adjusted() >= MAX_DIGITS:  # and before quantize, which cannot hold 28 digits and more
        raise ValueError("Enter an amount below R 1 000 000 000 000 (at most 12 digits before the decimal comma).")
    return (-amount if sign == "-" else amount).quantize(Decimal("0.01"))
