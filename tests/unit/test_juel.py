"""Camunda's ${…} expressions run in the restricted environment, translated; Java in them is refused by name."""

from __future__ import annotations

import pytest

from engine.bpmn import juel
from engine.bpmn.scripting import RestrictedEnvironment, ScriptRejected, compile_expression

DATA = {"amount": 1500, "approved": True, "rejected": False, "decision": "yes", "count": "5", "note": "",
        "items": [3, 4], "customer": {"name": "Thabo", "address": {"city": "Bloemfontein"}}, "nothing": None,
        "level": 2.5, "name": "Lerato", "flag": "true"}


def run(text: str, **extra: object) -> object:
    return RestrictedEnvironment().evaluate(text, {**DATA, **extra})


@pytest.mark.parametrize(("text", "expected"), [
    ("${amount > 1000}", True),
    ("${amount gt 2000}", False),
    ("${amount >= 1500 && approved}", True),
    ("${amount ge 1500 and rejected}", False),
    ("${rejected || approved}", True),
    ("${rejected or rejected}", False),
    ("${!rejected}", True),
    ("${not approved}", False),
    ("${decision == 'yes'}", True),
    ("${decision.equals('yes')}", True),  # Java's String.equals, as Camunda tutorials write it
    ('${!customer.name.equals("Sipho")}', True),
    ("${count.equals(5)}", False),  # equals converts nothing: the text "5" is not the number 5
    ('${decision eq "yes"}', True),
    ("${decision != 'no'}", True),
    ("${decision ne 'yes'}", False),
    ("${amount < 10}", False),
    ("${amount lt 10}", False),
    ("${amount <= 1500}", True),
    ("${amount le 1499}", False),
    ("${count == 5}", True),  # a number from a form compares as a number, as in EL
    ("${count > 4}", True),
    ("${empty note}", True),
    ("${empty items}", False),
    ("${not empty customer}", True),
    ("${empty nothing}", True),
    ("${customer.name}", "Thabo"),
    ("${customer.address.city == 'Bloemfontein'}", True),
    ("${customer['name']}", "Thabo"),
    ("${customer.phone}", None),  # a missing map entry is null, not an error
    ("${nothing.anything}", None),
    ("${items[1]}", 4),
    ("${items[5]}", None),
    ("${amount + 500}", 2000),
    ("${amount - 500 * 2}", 500),
    ("${amount / 4}", 375.0),
    ("${amount div 1000}", 1.5),
    ("${amount % 7}", 2),
    ("${amount mod 7}", 2),
    ("${-7 mod 3}", -1),  # Java's remainder keeps the dividend's sign
    ("${-level}", -2.5),
    ("${(amount + 500) * 2}", 4000),
    ("${count + 1}", 6),
    ("${1.5e2}", 150.0),
    ("${approved ? 'fast' : 'slow'}", "fast"),
    ("${rejected ? 'a' : amount > 1000 ? 'big' : 'small'}", "big"),
    ("${true}", True),
    ("${false == rejected}", True),
    ("${null == nothing}", True),
    ("${nothing == 0}", False),
    ("${nothing > 1}", False),
    ("${flag}", "true"),
    ("${flag && approved}", True),
    ("#{amount > 1000}", True),  # deferred syntax means the same here
    ('${execution.getVariable("amount") > 1000}', True),
    ("${'a\\'b'}", "a'b"),
    ("Dear ${name}, your amount is ${amount}", "Dear Lerato, your amount is 1500"),
    ("${approved} ", True),
])
def test_juel_expressions_run_as_camunda_runs_them(text, expected):
    assert run(text) == expected


def test_plain_python_conditions_keep_working():
    assert run('decision == "yes" and amount > 1000') is True
    assert run("len(items) == 2") is True
    assert not juel.is_el('"${not an expression}"')  # a quoted Python string stays Python


@pytest.mark.parametrize(("text", "words"), [
    ("${myBean.check(amount)}", "myBean.check(…) calls a method on a Java bean"),
    ("${customer.name.toUpperCase()}", "customer.name.toUpperCase(…) calls a method on a Java bean"),
    ("${execution.getProcessInstanceId()}", "execution is Camunda's Java execution object"),
    ("${execution.processBusinessKey}", 'only execution.getVariable("name") can be translated'),
    ("${execution.getVariable(name)}", "needs the variable's name in quotes"),
    ("${currentUser()}", "currentUser() is a Camunda Java function"),
    ("${amount = 5}", "to compare write == (or eq)"),
    ("${amount > }", "ends too soon"),
    ("${x instanceof y}", "instanceof tests Java classes"),
    ("${fn:contains(a, b)}", "EL functions with a prefix"),
    ("${(x) -> x + 1}", "lambda expressions"),
    ("${a; b}", "several expressions"),
    ("${[1, 2]}", "list literals"),
    ("${{1, 2}}", "set and map literals"),
    ("${__class__}", "cannot be used"),
    ("${import}", "cannot be used"),
    ("${class}", "cannot be used"),
    ("${'open}", "has no closing"),
    ("${amount > 1", "has no closing }"),
    ("${amount @ 2}", "'@' is not part of an expression"),
    ("${a +}", "ends too soon"),
    ("${(a}", "')' was expected"),
    ("${a ? b}", "':' was expected"),
    ("${}", "empty"),
    ("${a b}", "does not end where expected"),
    ("${customer._secret}", "the property '_secret' cannot be read"),
])
def test_what_cannot_be_translated_is_refused_with_the_part_named(text, words):
    message = juel.problem(text)
    assert message is not None and words in message, message
    assert message.startswith(f"the expression {text.strip()} cannot be translated")
    with pytest.raises(ScriptRejected, match="cannot be translated"):
        compile_expression(text)


def test_a_private_attribute_is_refused_at_run_time_too():
    with pytest.raises(Exception, match="cannot be read"):
        run("${customer[key]}", key="__class__")


def test_the_translation_is_python_calling_only_the_juel_helpers():
    assert juel.to_python("${amount > 1000 && !rejected}") == (
        "(juel_true(juel_compare('>', amount, 1000)) and juel_true((not juel_true(rejected))))")
    assert juel.to_python("${customer.address.city}") == (
        "juel_property(juel_property(customer, 'address'), 'city')")


def test_an_unknown_variable_fails_when_evaluated_as_in_camunda():
    with pytest.raises(NameError):
        run("${missing > 1}")
