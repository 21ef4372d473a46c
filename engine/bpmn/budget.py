"""Run-time limits on diagram code: CPU time per engine step, recursion depth and nesting of call activities.

Diagram code runs in the caller's thread (a web request holding the SQLite write lock, or the worker), so a
runaway script would stall everyone. While diagram code runs, a trace hook counts its lines and checks the
thread's CPU clock; sizes of what it builds are checked by the guards in `guards.py`. Signals cannot do this:
waitress serves requests in threads and only the main thread gets signals.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from SpiffWorkflow.exceptions import SpiffWorkflowException

# The file names the restricted compiler gives diagram code; other frames are not traced line by line.
DIAGRAM_FILES = frozenset({"<string>", "<expression>"})
CHECK_EVERY = 64  # lines between two looks at the CPU clock (a clock read costs about a microsecond)


@dataclass(frozen=True)
class Limits:
    """What one engine step's diagram code may use."""

    seconds: float = 1.0  # CPU time of all diagram code run in one engine step
    max_length: int = 1_000_000  # characters of a string, items of a list, built in one operation
    max_int_bits: int = 100_000  # about 30,000 decimal digits
    max_depth: int = 50  # nested calls of functions defined in diagram code
    max_call_depth: int = 10  # nested call activities (a process calling itself, through others too)


class BudgetExceeded(SpiffWorkflowException):
    """Diagram code went over a limit; says which element (once known) and what it exceeded."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
        self.element = ""

    def at(self, task_spec: Any) -> BudgetExceeded:
        """Name the element whose code this was (the first caller to know it wins)."""
        if not self.element and task_spec is not None:
            self.element = element_label(task_spec)
        return self

    def __str__(self) -> str:
        where = self.element or "A step of the diagram"
        return (f"{where} was stopped: {self.what}. Change the diagram so it does less, deploy it, "
                "then retry or cancel this instance.")


def element_label(task_spec: Any) -> str:
    """'Script task "Work it out" (Task_work)', as a process owner sees the element in the modeler."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(task_spec).__name__).capitalize()
    ident = getattr(task_spec, "bpmn_id", None) or getattr(task_spec, "name", "?")
    name = getattr(task_spec, "bpmn_name", None)
    return f'{kind} "{name}" ({ident})' if name else f"{kind} {ident}"


class Meter:
    """The allowance of one engine step in one thread: CPU seconds spent so far, call depth, line count."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.spent = 0.0
        self.deadline = 0.0
        self.depth = 0
        self.lines = 0

    def trace(self, frame: FrameType, event: str, _arg: Any) -> Any:
        """sys.settrace hook: a new frame. Only diagram frames are followed line by line."""
        if frame.f_code.co_filename not in DIAGRAM_FILES:
            return None
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise BudgetExceeded(f"its functions call each other more than {self.limits.max_depth} deep")
        return self.line

    def line(self, _frame: FrameType, event: str, _arg: Any) -> Any:
        if event == "line":
            self.lines += 1
            if not self.lines % CHECK_EVERY:
                self.check_time()
        elif event == "return":
            self.depth -= 1
        return self.line

    def check_time(self) -> None:
        if time.thread_time() > self.deadline:
            raise BudgetExceeded(f"it computed for more than {self.limits.seconds:g} s "
                                 "(the most a step may take)")


_local = threading.local()


def active_limits() -> Limits:
    """The limits of the diagram code running in this thread (the defaults outside any)."""
    meter = getattr(_local, "running", None)
    return meter.limits if meter is not None else Limits()


@contextmanager
def step(limits: Limits) -> Iterator[Meter]:
    """One engine step: every evaluation inside shares `limits.seconds` of CPU time."""
    previous = getattr(_local, "step", None)
    _local.step = meter = Meter(limits)
    try:
        yield meter
    finally:
        _local.step = previous


@contextmanager
def metered(limits: Limits) -> Iterator[None]:
    """Run one evaluation of diagram code under this thread's step allowance (or one of its own)."""
    meter = getattr(_local, "step", None) or Meter(limits)
    started = time.thread_time()
    meter.deadline = started + meter.limits.seconds - meter.spent
    meter.depth = 0
    if meter.deadline <= started:
        raise BudgetExceeded(f"the step computed for more than {meter.limits.seconds:g} s in all")
    outer, previous_trace = getattr(_local, "running", None), sys.gettrace()
    _local.running = meter
    sys.settrace(meter.trace)
    try:
        yield
    finally:
        sys.settrace(previous_trace)
        _local.running = outer
        meter.spent += time.thread_time() - started


def check_call_depth(task: Any) -> None:
    """Refuse to go on in a call activity nested deeper than allowed (a cycle that came in unchecked).

    SpiffWorkflow starts a called process as soon as its call activity is reached, so the first step of the
    too-deep process is where this can be seen; the message names the call activity that started it.
    """
    limit = active_step_limits().max_call_depth
    workflow = task.workflow
    if getattr(workflow, "depth", 0) <= limit:
        return
    caller = workflow.parent_workflow.get_task_from_id(workflow.parent_task_id)
    caller.error()
    raise BudgetExceeded(f"call activities are nested more than {limit} deep; a process probably calls "
                         "itself, directly or through another one").at(caller.task_spec)


def active_step_limits() -> Limits:
    meter = getattr(_local, "step", None)
    return meter.limits if meter is not None else Limits()
