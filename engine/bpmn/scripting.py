"""A restricted environment for scripts, conditions, DMN cells and timer expressions in diagrams.

Diagrams are data edited by process owners, not code: they get RestrictedPython with guarded
attribute, item and iteration access, no imports and no dunder names. SpiffWorkflow does not
serialize the script engine, so `attach` must be called after every load.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, limited_builtins, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector
from RestrictedPython.transformer import RestrictingNodeTransformer
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment

from . import guards, juel, juel_dates, timers
from .budget import BudgetExceeded, Limits, metered


class ScriptRejected(SyntaxError):
    """The restricted compiler refused the text (an import, a dunder name, exec...)."""


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": guards.BINARY["+"], "-=": operator.isub, "*=": guards.BINARY["*"], "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": guards.BINARY["%"], "<<=": guards.BINARY["<<"],
}
# Operators whose result can be far bigger than their operands: the compiler routes them through guards.binop.
_GUARDED_OPS = {ast.Add: "+", ast.Mult: "*", ast.LShift: "<<", ast.Mod: "%", ast.Pow: "**"}


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    if op not in _INPLACE:
        raise ScriptRejected(f"Operator {op} is not allowed.")
    return _INPLACE[op](x, y)


def _builtins() -> dict[str, Any]:
    allowed = dict(safe_builtins)
    allowed.update(limited_builtins)
    for name in ("min", "max", "sum", "any", "all", "sorted", "enumerate", "dict", "list", "set", "map",
                 "filter", "reversed"):
        allowed[name] = __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    allowed.update(pow=guards.guarded_pow, sum=guards.guarded_sum, repr=guards.guarded_repr, str=guards.guarded_str,
                   format=guards.guarded_format)
    return allowed


RESTRICTED_GLOBALS: dict[str, Any] = {
    "__builtins__": _builtins(),
    "_getattr_": guards.guarded_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    # `a, (b, c) = ...` in a diagram script (found running the Camunda 7 corpus: NameError before)
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
    "_binop_": guards.binop,
    "_format_": guards.formatted,
    # print() in a diagram script (SpiffWorkflow's examples use it): collected in the script's own `printed`,
    # never written to the server's output or logs
    "_print_": PrintCollector,
    **juel.HELPERS,  # what translated ${…} expressions call (engine/bpmn/juel.py)
}


def _located(new: Any, old: ast.AST) -> Any:
    """Give generated nodes the position of the node they replace (compile needs one on every node)."""
    for node in ast.walk(new):
        if "lineno" in node._attributes and not hasattr(node, "lineno"):
            ast.copy_location(node, old)
    return new


class BudgetedTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy, plus: growing operators and f-string fields go through the size guards."""

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = self.node_contents_visit(node)
        op = _GUARDED_OPS.get(type(node.op))
        if op is None:
            return node
        call = ast.Call(func=ast.Name("_binop_", ast.Load()), args=[ast.Constant(op), node.left, node.right],
                        keywords=[])
        return _located(call, node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        node = self.node_contents_visit(node)
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        call = ast.Call(func=ast.Name("_format_", ast.Load()), args=[node.value, ast.Constant(node.conversion), spec],
                        keywords=[])
        return _located(ast.FormattedValue(value=call, conversion=-1, format_spec=None), node)


def _raise_rejected(errors: Sequence[str], text: str) -> None:
    error = ScriptRejected("; ".join(errors))
    # Spiff's error formatting needs a line number; RestrictedPython leaves it None.
    error.lineno = 1
    error.text = text
    raise error


def _refuse_unbounded(text: str, mode: str) -> None:
    """Refuse the two ways to spin for ever, `while` loops and `**` (10 ** 10 ** 10), which the run-time budget
    would stop anyway, and `try`, with which a script could swallow that stop and carry on."""
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError:
        return  # the restricted compiler reports it with its own message
    for node in ast.walk(tree):
        if isinstance(node, ast.While):
            _raise_rejected([f"Line {node.lineno}: while loops are not allowed; loop over a list instead."], text)
        if isinstance(node, ast.Pow) or (isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Pow)):
            _raise_rejected(["The ** operator is not allowed; multiply instead."], text)
        if isinstance(node, ast.Try | ast.TryStar):
            _raise_rejected([f"Line {node.lineno}: try blocks are not allowed; an error must stop the step so "
                             "it can be seen and retried."], text)


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> Any:
    """Compile an expression in the restricted dialect (JUEL ${…} is translated first), or raise ScriptRejected."""
    if juel.is_el(text):
        try:
            text = juel.to_python(text)
        except juel.ExpressionUnsupported as exc:
            _raise_rejected([f"the expression {text.strip()} cannot be translated: {exc}."], text)
    _refuse_unbounded(text.strip(), "eval")
    result = compile_restricted_eval(text.strip(), "<expression>", policy=BudgetedTransformer)
    if result.errors:
        _raise_rejected(result.errors, text)
    return result.code


@lru_cache(maxsize=1024)
def compile_script(text: str) -> Any:
    """Compile a script in the restricted dialect, or raise ScriptRejected."""
    _refuse_unbounded(text, "exec")
    result = compile_restricted_exec(text, "<string>", policy=BudgetedTransformer)
    if result.errors:
        _raise_rejected(result.errors, text)
    return result.code


class RestrictedEnvironment(TaskDataEnvironment):
    """Evaluates and executes with RESTRICTED_GLOBALS plus the safe functions given, within `limits`."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None,
                 limits: Limits | None = None) -> None:
        super().__init__(dict(functions or {}))
        self.limits = limits or Limits()

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        code = compile_expression(expression)
        scope = dict(RESTRICTED_GLOBALS)
        scope.update(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        with metered(self.limits):
            return eval(code, scope)  # noqa: S307 - restricted bytecode

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        scope = dict(RESTRICTED_GLOBALS)
        scope.update(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        with metered(self.limits):
            exec(code, scope)  # noqa: S102 - restricted bytecode
        for key in list(context):
            if key not in scope:
                del context[key]
        for key, value in scope.items():
            if key in RESTRICTED_GLOBALS or key in self.globals or callable(value):
                continue
            if external_context and key in external_context:
                continue
            context[key] = value
        return True


class RestrictedScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose every script and expression goes through RestrictedEnvironment."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None,
                 limits: Limits | None = None, timezone: str = timers.DEFAULT_ZONE) -> None:
        self.limits = limits or Limits()
        self.timezone = timezone  # cron cycles fire in local time, as Camunda's do in the server's zone
        super().__init__(environment=RestrictedEnvironment(functions, self.limits))
        # JUEL's dateTime() on the engine's clock (the `now` function given) in the municipality's zone
        self.environment.globals["juel_datetime"] = juel_dates.now_function((functions or {}).get("now"), timezone)

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        try:
            if timers.is_timer_text(task, expression):  # bare P5D, cron, ${…} or quoted Python
                return timers.text_value(expression, lambda text: super(RestrictedScriptEngine, self).evaluate(
                    task, text, external_context))
            return super().evaluate(task, expression, external_context)
        except BudgetExceeded as exc:
            raise exc.at(task.task_spec) from None

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        try:
            return bool(super().execute(task, script, external_context))
        except BudgetExceeded as exc:
            raise exc.at(task.task_spec) from None

    def validate(self, expression: str) -> None:
        if not juel.is_el(expression):
            ast.parse(expression)
        compile_expression(expression)
