"""Form values are checked against the diagram's fields and converted to JSON-safe types at the boundary."""

from __future__ import annotations

import json

import pytest

from engine.bpmn.forms import Field, Option, validate
from engine.errors import ValidationFailed

FIELDS = (
    Field("count", "Number of meters", "long", required=True, min="0", max="50"),
    Field("amount", "Amount", "decimal", min="0"),
    Field("urgent", "Urgent", "boolean"),
    Field("visit", "Visit date", "date"),
    Field("kind", "Kind", "enum", required=True, options=(Option("a", "Alpha"), Option("b", "Beta"))),
    Field("note", "Note", "string", maxlength=10),
)


def test_good_values_come_back_converted_and_json_safe():
    values = validate(FIELDS, {"count": "3", "amount": "120.5", "urgent": "on", "visit": "2026-03-21",
                               "kind": "b", "note": " hi "})
    assert values == {"count": 3, "amount": "120.50", "urgent": True, "visit": "2026-03-21", "kind": "b",
                      "note": "hi"}
    assert json.loads(json.dumps(values)) == values


@pytest.mark.parametrize("field, raw, message", [
    ("count", "three", "whole number"),
    ("count", "51", "at most 50"),
    ("count", "-1", "at least 0"),
    ("amount", "-5", "at least 0"),
    ("amount", "NaN", "Enter a number"),
    ("amount", "12,50", "Enter a number"),
    ("visit", "21/03/2026", "YYYY-MM-DD"),
    ("kind", "c", "Alpha, Beta"),
    ("note", "x" * 11, "at most 10"),
    ("urgent", "maybe", "yes or no"),
])
def test_each_wrong_value_gets_a_sentence_naming_the_field(field, raw, message):
    submitted = {"count": "1", "kind": "a", field: raw}
    with pytest.raises(ValidationFailed) as failure:
        validate(FIELDS, submitted)
    assert set(failure.value.errors) == {field}
    assert message in failure.value.errors[field]


def test_missing_required_fields_are_all_listed():
    with pytest.raises(ValidationFailed) as failure:
        validate(FIELDS, {})
    assert failure.value.errors == {"count": "Number of meters is required.", "kind": "Kind is required."}


def test_required_if_depends_on_another_answer():
    fields = (Field("decision", "Decision", "enum", options=(Option("approve", "A"), Option("reject", "R"))),
              Field("comment", "Comment", "string", constraints={"required_if": "decision=reject"}))
    assert validate(fields, {"decision": "approve"})["comment"] is None
    with pytest.raises(ValidationFailed):
        validate(fields, {"decision": "reject", "comment": "  "})


def test_an_absent_field_takes_the_diagram_default_but_a_blank_one_does_not():
    fields = (Field("apology", "Apology", "string", default="We apologise."),)
    assert validate(fields, {}) == {"apology": "We apologise."}
    assert validate(fields, {"apology": ""}) == {"apology": None}


def test_unknown_submitted_keys_are_ignored():
    assert "evil" not in validate(FIELDS, {"count": "1", "kind": "a", "evil": "__import__('os')"})
