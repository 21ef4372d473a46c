"""The restricted environment's run-time budget: time, sizes and depth, while ordinary diagram code runs as before."""

from __future__ import annotations

import threading
import time

import pytest

from engine.bpmn.budget import BudgetExceeded, Limits, step
from engine.bpmn.scripting import RestrictedEnvironment

QUICK = Limits(seconds=0.2)


@pytest.fixture
def env() -> RestrictedEnvironment:
    return RestrictedEnvironment(limits=QUICK)


@pytest.mark.parametrize(("script", "words"), [
    ("x = sum(1 for a in range(999) for b in range(999) for c in range(999))", "computed for more than 0.2 s"),
    ("def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nx = f(40)", "computed for more than"),
    ("def f(n):\n    return f(n + 1)\nf(0)", "call each other more than 50 deep"),
    ("x = pow(7, 30000000)", "would build a number"),
    ("x = 1 << 10000000000", "would build a number"),
    ("x = 10\nfor i in range(100):\n    x = x * x", "would build a number"),
    ("x = 'a' * 1000000000", "would build a text or list"),
    ("s = 'ab'\nfor i in range(100):\n    s = s + s", "would build a text or list"),
    ("s = [1]\nfor i in range(100):\n    s += s", "would build a text or list"),
    ("s = [1]\nfor i in range(100):\n    s.extend(s)", "would build a text or list"),
    ("s = 'a' * 1000\nfor i in range(30):\n    s = s.replace('a', 'aa')", "would build a text or list"),
    ("x = '-'.join(['a' * 1000] * 1001)", "would build a text or list"),
    ("x = str(['a' * 100000] * 1000)", "would build a text or list"),
    ("x = repr(['a' * 100000] * 1000)", "would build a text or list"),
    ("l = ['a' * 100000] * 1000\nx = f'{l}'", "would build a text or list"),
    ("x = f'{1:>2000000000}'", "would build a text or list"),
    ("x = '%2000000000d' % 1", "would build a text or list"),
    ("x = 'a'.ljust(2000000000)", "would build a text or list"),
    ("x = sum([['a'] * 1000] * 2000, [])", "would build a text or list"),
])
def test_a_runaway_script_is_stopped_saying_what_it_exceeded(env, script, words):
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match=words):
        env.execute(script, {})
    assert time.monotonic() - started < 5


def test_an_expression_is_stopped_too(env):
    with pytest.raises(BudgetExceeded, match="computed for more than"):
        env.evaluate("sum(1 for a in range(999) for b in range(999) for c in range(999))", {})


def test_ordinary_scripts_still_run(env):
    data = {"items": [3, 1, 2], "name": "Thandi", "amount": 1500}
    env.execute("total = sum(items)\nordered = sorted(items)\nhello = 'Dear ' + name + ','\n"
                "line = f'{name!r:>10} owes R{amount:,.2f}'\nlevel = 'high' if amount * 2 > 2000 else 'low'\n"
                "text = str(amount) + '/' + repr(items)\nis_text = isinstance(name, str)\nupper = str.upper(name)\n"
                "joined = ', '.join(str(i) for i in items)\nsquare = pow(amount, 2)\nmsg = '%s: %d' % (name, amount)",
                data)
    assert data["total"] == 6 and data["ordered"] == [1, 2, 3] and data["hello"] == "Dear Thandi,"
    assert data["line"] == "  'Thandi' owes R1,500.00" and data["level"] == "high"
    assert data["text"] == "1500/[3, 1, 2]" and data["is_text"] is True and data["upper"] == "THANDI"
    assert data["joined"] == "3, 1, 2" and data["square"] == 2250000 and data["msg"] == "Thandi: 1500"


def test_evaluations_of_one_step_share_its_budget(env):
    spin = "len([1 for a in range(999) for b in range(200)])"
    with step(QUICK):
        env.evaluate(spin, {})  # well under 0.2 s on its own
        with pytest.raises(BudgetExceeded, match="more than 0.2 s"):
            for _ in range(200):
                env.evaluate(spin, {})


def test_the_budget_holds_in_a_thread_other_than_the_main_one(env):
    caught: list[BaseException] = []

    def run() -> None:
        try:
            env.execute("x = sum(1 for a in range(999) for b in range(999) for c in range(999))", {})
        except BudgetExceeded as exc:
            caught.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and len(caught) == 1


def test_tracing_is_off_again_after_diagram_code(env):
    import sys

    before = sys.gettrace()
    with pytest.raises(BudgetExceeded):
        env.execute("x = 'a' * 1000000000", {})
    env.execute("x = 1", {})
    assert sys.gettrace() is before
