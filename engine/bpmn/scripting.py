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
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, safer_getattr
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment


class ScriptRejected(SyntaxError):
    """The restricted compiler refused the text (an import, a dunder name, exec...)."""


_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod,
}


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
    return allowed


RESTRICTED_GLOBALS: dict[str, Any] = {
    "__builtins__": _builtins(),
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
}


def _raise_rejected(errors: Sequence[str], text: str) -> None:
    error = ScriptRejected("; ".join(errors))
    # Spiff's error formatting needs a line number; RestrictedPython leaves it None.
    error.lineno = 1
    error.text = text
    raise error


def _refuse_unbounded(text: str, mode: str) -> None:
    """Nothing limits a script's CPU time, so refuse the two ways to spin for ever: `while` loops and `**`
    (10 ** 10 ** 10). Loops over data and range() (capped by RestrictedPython) stay allowed."""
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError:
        return  # the restricted compiler reports it with its own message
    for node in ast.walk(tree):
        if isinstance(node, ast.While):
            _raise_rejected([f"Line {node.lineno}: while loops are not allowed; loop over a list instead."], text)
        if isinstance(node, ast.Pow) or (isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Pow)):
            _raise_rejected(["The ** operator is not allowed; multiply instead."], text)


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> Any:
    """Compile an expression in the restricted dialect, or raise ScriptRejected."""
    _refuse_unbounded(text.strip(), "eval")
    result = compile_restricted_eval(text.strip(), "<expression>")
    if result.errors:
        _raise_rejected(result.errors, text)
    return result.code


@lru_cache(maxsize=1024)
def compile_script(text: str) -> Any:
    """Compile a script in the restricted dialect, or raise ScriptRejected."""
    _refuse_unbounded(text, "exec")
    result = compile_restricted_exec(text, "<string>")
    if result.errors:
        _raise_rejected(result.errors, text)
    return result.code


class RestrictedEnvironment(TaskDataEnvironment):
    """Evaluates and executes with RESTRICTED_GLOBALS plus the safe functions given."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None) -> None:
        super().__init__(dict(functions or {}))

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        scope = dict(RESTRICTED_GLOBALS)
        scope.update(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        return eval(compile_expression(expression), scope)  # noqa: S307 - restricted bytecode

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        scope = dict(RESTRICTED_GLOBALS)
        scope.update(self.globals)
        scope.update(external_context or {})
        scope.update(context)
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

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None) -> None:
        super().__init__(environment=RestrictedEnvironment(functions))

    def validate(self, expression: str) -> None:
        ast.parse(expression)
        compile_expression(expression)
