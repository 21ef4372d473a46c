"""Size guards for diagram code: what `+`, `*`, `<<`, `%`, pow, join, format and friends would build is checked
before it is built, so one line cannot allocate gigabytes (a C call is never interrupted by the CPU budget)."""

from __future__ import annotations

import builtins
import operator
import re
from collections.abc import Callable, Iterable
from numbers import Number
from string import Formatter
from typing import Any

from RestrictedPython.Guards import safer_getattr

from .budget import BudgetExceeded, active_limits

SEQUENCES = (str, bytes, list, tuple)
# Methods whose result can be much longer than the object they are called on.
GROWING = frozenset({"join", "replace", "ljust", "rjust", "center", "zfill", "expandtabs", "format", "format_map",
                     "translate", "extend"})
WIDTH = re.compile(r"\d+")
PERCENT_SPEC = re.compile(r"%[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?")


def _too_long(length: int) -> None:
    limit = active_limits().max_length
    if length > limit:
        raise BudgetExceeded(f"it would build a text or list of {length:,} characters or items "
                             f"(at most {limit:,} are allowed)")


def _too_big(bits: int) -> None:
    limit = active_limits().max_int_bits
    if bits > limit:
        raise BudgetExceeded(f"it would build a number of about {int(bits * 0.30103):,} digits "
                             f"(at most {int(limit * 0.30103):,} are allowed)")


def estimate(value: Any) -> int:
    """Roughly how long str(value) is, counting no further than the length limit (cycles end too)."""
    limit, total, todo = active_limits().max_length, 0, [value]
    while todo and total <= limit:
        item = todo.pop()
        if isinstance(item, str | bytes):
            total += len(item) + 3
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            todo.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        else:
            total += 24
    return total


def _times(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        _too_big(a.bit_length() + b.bit_length())
    elif isinstance(a, SEQUENCES) and isinstance(b, int):
        _too_long(len(a) * b)
    elif isinstance(b, SEQUENCES) and isinstance(a, int):
        _too_long(len(b) * a)
    return a * b


def _plus(a: Any, b: Any) -> Any:
    if isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
        _too_long(len(a) + len(b))
    return a + b


def _shift(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        _too_big(a.bit_length() + b)
    return a << b


def _percent(a: Any, b: Any) -> Any:
    if isinstance(a, str | bytes):
        text = a if isinstance(a, str) else a.decode("latin-1")
        for width, precision in PERCENT_SPEC.findall(text):
            if "*" in (width, precision):
                raise BudgetExceeded("a % format takes its width from data (*), which is not allowed")
            _too_long(max(int(width or 0), int(precision or 0)))
        _too_long(len(a) + estimate(b))
    return a % b


def guarded_pow(base: Any, exp: Any, mod: Any = None) -> Any:
    """pow() that refuses results too big to hold (pow(7, 30000000) would take minutes)."""
    if mod is None and isinstance(base, int) and isinstance(exp, int) and exp > 0 and abs(base) > 1:
        _too_big(base.bit_length() * exp)
    elif mod is not None:
        _too_big(max(abs(int(exp)).bit_length(), abs(int(mod)).bit_length()))
    return builtins.pow(base, exp, mod)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": _plus, "*": _times, "<<": _shift, "%": _percent, "**": guarded_pow,
    "-": operator.sub, "/": operator.truediv, "//": operator.floordiv,
}


def binop(op: str, a: Any, b: Any) -> Any:
    """What the restricted compiler turns `a + b`, `a * b`, `a << b`, `a % b` into."""
    return BINARY[op](a, b)


def _check_spec(spec: str) -> None:
    for number in WIDTH.findall(spec):
        _too_long(int(number))


def formatted(value: Any, conversion: int, spec: str) -> str:
    """One f-string field: f"{value!r:>10}" becomes formatted(value, ord('r'), '>10')."""
    _check_spec(spec)
    if isinstance(value, list | tuple | set | frozenset | dict):
        _too_long(estimate(value))
    if conversion == ord("r"):
        value = repr(value)
    elif conversion == ord("s"):
        value = str(value)
    elif conversion == ord("a"):
        value = ascii(value)
    return format(value, spec)


def guarded_format(value: Any, spec: str = "") -> str:
    return formatted(value, -1, spec)


def guarded_repr(value: Any) -> str:
    _too_long(estimate(value))
    return repr(value)


def guarded_sum(items: Iterable[Any], start: Any = 0) -> Any:
    """sum() of numbers as usual; of lists or tuples one guarded + at a time."""
    if isinstance(start, Number):
        return builtins.sum(items, start)  # type: ignore[call-overload]
    total = start
    for item in items:
        total = _plus(total, item)
    return total


class _StrType(type):
    """Makes `guarded_str` stand for str in isinstance checks and for its methods (str.upper)."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, str)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, str)

    def __getattr__(cls, name: str) -> Any:
        return getattr(str, name)


class guarded_str(metaclass=_StrType):  # noqa: N801 - it stands for the builtin str in diagram code
    """str() that refuses to print a list holding one long text a million times."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
        if len(args) == 1 and isinstance(args[0], list | tuple | set | frozenset | dict):
            _too_long(estimate(args[0]))
        return str(*args, **kwargs)


def _growing_method(obj: Any, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def checked(*args: Any, **kwargs: Any) -> Any:
        if name in ("join", "extend") and args:
            args = (list(args[0]), *args[1:])  # a generator is read once: measure and use the same items
        _too_long(_grown_length(obj, name, args, kwargs))
        return method(*args, **kwargs)

    return checked


def _grown_length(obj: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """An upper bound of the length of obj.name(*args) for the GROWING methods."""
    first = args[0] if args else None
    if name == "join":
        items = first or []
        if all(isinstance(i, str | bytes) for i in items):
            return sum(len(i) for i in items) + len(obj) * max(len(items) - 1, 0)
        return 0  # joining non-strings fails by itself
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str | bytes):
        count = obj.count(args[0]) if args[0] else len(obj) + 1
        return len(obj) + count * max(len(args[1]) - len(args[0]), 0)
    if name in ("ljust", "rjust", "center", "zfill") and isinstance(first, int):
        return max(first, len(obj))
    if name == "expandtabs":
        return len(obj) + obj.count("\t" if isinstance(obj, str) else b"\t") * int(first or kwargs.get("tabsize", 8))
    if name == "translate" and isinstance(first, dict):
        longest = max((len(v) for v in first.values() if isinstance(v, str)), default=1)
        return len(obj) * max(longest, 1)
    if name in ("format", "format_map"):
        for _, _, spec, _ in Formatter().parse(obj):
            _check_spec(spec or "")
        values = list(args) + list(kwargs.values()) + (list(first.values()) if isinstance(first, dict) else [])
        return len(obj) + sum(estimate(v) for v in values)
    if name == "extend":
        return len(obj) + (len(first) if isinstance(first, list | tuple | str | dict | set) else 0)
    return 0


def guarded_getattr(obj: Any, name: str, default: Any = None) -> Any:
    """RestrictedPython's safer_getattr, with the growing methods of texts and lists checked."""
    value = safer_getattr(obj, name, default)
    if name in GROWING and isinstance(obj, str | bytes | list) and callable(value):
        return _growing_method(obj, name, value)
    return value
