"""Amounts in rand as people write them, read into one Decimal, and written back as R 45 000,00."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from engine.bpmn.money import AmountToConfirm, parse_amount
from engine.formatting import channel_name, date_time, fill_note, language_name, long_date, money

NBSP = "\u00a0"
FORTY_FIVE_THOUSAND = ["45000", "45 000", "45 000,00", "45,000.00", "R45 000", "R 45 000,00", "45.000,00",
                       f"R{NBSP}45{NBSP}000,00", "45\u2009000", "r45000", " 45000 "]


@pytest.mark.parametrize("written", FORTY_FIVE_THOUSAND)
def test_every_way_of_writing_forty_five_thousand_rand_reads_the_same(written: str) -> None:
    assert parse_amount(written) == Decimal("45000.00")


@pytest.mark.parametrize(("written", "amount"), [
    ("45000.5", "45000.50"), ("45000,5", "45000.50"), ("0,50", "0.50"), ("12,34", "12.34"),
    ("1,234,567.89", "1234567.89"), ("1.234.567", "1234567.00"), ("-R 45 000,00", "-45000.00"),
    ("R -12,5", "-12.50"), ("45 000 000,00", "45000000.00"),
])
def test_cents_signs_and_millions_are_read_exactly(written: str, amount: str) -> None:
    assert parse_amount(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["45,000", "45.000", "1,500", "-45,000"])
def test_a_single_separator_before_three_digits_asks_for_confirmation(written: str) -> None:
    with pytest.raises(AmountToConfirm) as unclear:
        parse_amount(written)
    assert abs(unclear.value.amount) == Decimal(written.strip("-").replace(",", "").replace(".", ""))
    assert "is this right?" in str(unclear.value)


def test_the_confirmation_names_both_readings() -> None:
    with pytest.raises(AmountToConfirm) as unclear:
        parse_amount("45,000")
    assert str(unclear.value) == (f"R{NBSP}45{NBSP}000,00 — is this right? If you meant R{NBSP}45,00, write 45,00.")


@pytest.mark.parametrize(("written", "sentence"), [
    ("abc", "Enter an amount in rand"), ("", "Enter an amount in rand"), ("R", "Enter an amount in rand"),
    ("4 5000", "Enter an amount in rand"), ("45,00,0", "Enter an amount in rand"), ("1e5", "Enter an amount"),
    ("inf", "Enter an amount"), ("45 000.000", "at most two digits for the cents"),
    ("45000,123", "at most two digits for the cents"), ("1.2.3,45", "Enter an amount"),
    ("1" * 40, "below R 1 000 000 000 000"), ("1 000 000 000 000", "at most 12 digits"),
])
def test_what_is_not_an_amount_gets_a_sentence(written: str, sentence: str) -> None:
    with pytest.raises(ValueError, match=sentence):
        parse_amount(written)


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("45000"), f"R{NBSP}45{NBSP}000,00"), ("45000.00", f"R{NBSP}45{NBSP}000,00"), (0, f"R{NBSP}0,00"),
    (Decimal("-1250.5"), f"-R{NBSP}1{NBSP}250,50"), (0.05, f"R{NBSP}0,05"), ("1234567.891", f"R{NBSP}1{NBSP}234{NBSP}567,89"),
    (None, "—"),
])
def test_amounts_show_in_south_african_government_style(value: object, shown: str) -> None:
    assert money(value) == shown


def test_a_note_writes_its_amounts_as_money_and_keeps_other_names() -> None:
    note = fill_note("We credited R$amount to $reference; balance R ${balance}. R$unknown", {
        "amount": "250.00", "balance": "-12.5", "reference": "MAF-1"})
    assert note == f"We credited R{NBSP}250,00 to MAF-1; balance -R{NBSP}12,50. R$unknown"


def test_dates_read_one_way_per_language() -> None:
    moment = datetime(2026, 12, 8, 12, 5, tzinfo=UTC)
    assert long_date(moment, "en", "Africa/Johannesburg") == "Tuesday 8 December 2026"
    assert date_time(moment, "en", "Africa/Johannesburg") == "Tuesday 8 December 2026, 14:05"
    assert long_date(moment, "af", "Africa/Johannesburg") == "Dinsdag 08 Desember 2026"
    assert "Tshitwe" in long_date(moment, "st", "Africa/Johannesburg")
    # Late at night in UTC is already the next day in the municipality.
    assert long_date(datetime(2026, 12, 8, 23, 0, tzinfo=UTC), "en", "Africa/Johannesburg").startswith("Wednesday 9")


def test_codes_have_names() -> None:
    assert (language_name("st"), language_name("af"), language_name(None)) == ("Sesotho", "Afrikaans", "English")
    assert (channel_name("walk_in"), channel_name("phone"), channel_name("fax_line")) == ("Walk-in", "Phone", "Fax line")
