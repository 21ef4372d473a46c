"""FEEL as Camunda decision tables write it: unary tests in input cells, literals in output cells."""

from __future__ import annotations

import pytest

from engine.bpmn.feel import NotFeel, literal, literal_list, unary_test


def matches(text: str, value: object, **context: object) -> bool:
    return unary_test(text)(value, context)


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("[250..1000]", 250, True), ("[250..1000]", 1000, True), ("[250..1000]", 1001, False),
    ("(1..5]", 1, False), ("(1..5]", 5, True), ("]1..5[", 3, True), ("]1..5[", 5, False),
    ("[1..5)", 4.5, True),
    ('"a","b"', "b", True), ('"a","b"', "c", False), ('"Travel Expenses"', "Travel Expenses", True),
    ('not("x")', "y", True), ('not("x")', "x", False), ('not("a", "b")', "b", False),
    ("< 10", 9, True), ("< 10", 10, False), (">= 3", 3, True), ("> 1000", 999.5, False), ("!= 2", 3, True),
    ("-", "anything", True), ("", None, True), ("-", None, True),
    ("true", True, True), ("true", 1, False), ("false", False, True), ("null", None, True), ("null", 0, False),
    ("5", 5, True), ("5", 5.0, True), ("-2", -2, True), ("< -1", -3, True),
    ('date("2026-01-31")', "2026-01-31", True), ('< date("2026-01-31")', "2026-01-30", True),
    ('[date("2026-01-01")..date("2026-12-31")]', "2027-01-01", False),
    ('date and time("2026-01-31T08:00:00")', "2026-01-31T08:00:00", True),
    ('"say \\"hi\\""', 'say "hi"', True),
])
def test_unary_tests_match_as_camunda_matches_them(text, value, expected):
    assert matches(text, value) is expected


def test_numbers_typed_into_a_form_arrive_as_text_and_still_compare():
    assert matches("[250..1000]", "600") and not matches("< 10", "12")


def test_a_missing_input_matches_no_comparison():
    assert not matches("< 10", None) and not matches("[1..5]", None) and not matches('"a"', None)


def test_values_of_different_kinds_do_not_match_and_do_not_fail():
    assert not matches("< 10", "ten") and not matches('"a"', 1)


def test_an_end_point_may_name_a_variable():
    assert matches("< limit", 5, limit=10) and not matches("< limit", 15, limit=10)
    assert matches("[low..high]", 3, low=1, high=3) and matches("> customer.threshold", 6, customer={"threshold": 5})


@pytest.mark.parametrize("text", ["? > 5", "4 < ? < 6", "x + 1", "'single quotes'", "[1..", '"a" "b"', "in(1)",
                                  "not(1", 'date("31 Jan")'])
def test_anything_else_is_not_feel_batho_reads(text):
    with pytest.raises(NotFeel):
        unary_test(text)


@pytest.mark.parametrize(("text", "value"), [
    ('"high"', "high"), ("25.00", 25.0), ("10", 10), ("-3", -3), ("true", True), ("false", False), ("null", None),
    ("", None), ('date("2026-02-01")', "2026-02-01"), ('"Pinot Noir"', "Pinot Noir"),
])
def test_output_literals_give_their_values(text, value):
    found = literal(text)
    assert found == value and type(found) is type(value)


@pytest.mark.parametrize("text", ["amount * 2", "approved", '"a","b"', "[1..2]"])
def test_an_output_that_is_not_a_literal_is_not_feel(text):
    with pytest.raises(NotFeel):
        literal(text)


def test_an_outputs_values_keep_their_order():
    assert literal_list('"high", "medium","low"') == ["high", "medium", "low"] and literal_list("") == []
