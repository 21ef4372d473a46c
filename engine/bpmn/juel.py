"""Camunda's JUEL expressions (${…} and #{…}) translated into the restricted Python dialect, before they ever run.

A small tokenizer and a recursive-descent parser for the common subset of the Unified Expression Language:
variables and properties (a.b, a['b'], a[0]), comparison and logic in symbols and words (== eq, != ne, < lt,
> gt, <= le, >= ge, && and, || or, ! not), `empty`, arithmetic (+ - * / div % mod), string and number literals,
true/false/null and `c ? a : b`, and Camunda's `dateTime()` with the Joda methods of juel_dates.METHODS
(`${dateTime().plusWeeks(1).toDate()}`), checked here at translation and again when they run. Java is not translated:
a method call on a bean, Camunda Spin (`S(x)`, `x.prop("a")`), or `execution.*` other than `execution.getVariable("x")`
is refused with a sentence naming it. The Python produced calls only the juel_* helpers below, which coerce values
the way EL does (a "5" from a form compares as the number 5; dates compare with dates and ISO 8601 text).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from . import guards, juel_dates


class ExpressionUnsupported(ValueError):
    """The expression is not JUEL Batho can translate; the message names the part and says what to do."""


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "str", "name", "op", "end"
    text: str
    value: Any
    at: int


WORDS = {"and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=",
         "ge": ">=", "div": "/", "mod": "%"}
OPERATORS = ("==", "!=", "<=", ">=", "&&", "||", "+=", "->", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":",
             ".", "[", "]", "(", ")", ",", "=", ";", "{", "}")
NUMBER = re.compile(r"\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?")
NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
REFUSED_OPS = {
    "=": "a single = assigns in EL 3.0; to compare write == (or eq)",
    "+=": "+= joins strings in EL 3.0, which Batho does not run; write the text in a form field or a script",
    "->": "lambda expressions (->) are not supported; use a script task",
    ";": "several expressions separated by ; are not supported; write one expression",
    "{": "set and map literals ({…}) are not supported",
}


def _string(text: str, start: int) -> tuple[str, int]:
    quote, i, out = text[start], start + 1, []
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == quote:
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise ExpressionUnsupported(f"the text starting at {text[start:start + 12]!r} has no closing {quote}")


def tokenize(text: str) -> list[Token]:
    """The tokens of one expression body (what is between ${ and })."""
    tokens, i = [], 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "'\"":
            string, end = _string(text, i)
            tokens.append(Token("str", text[i:end], string, i))
            i = end
        elif (number := NUMBER.match(text, i)) is not None:
            literal = number.group()
            number_value = float(literal) if any(c in literal for c in ".eE") else int(literal)
            tokens.append(Token("num", literal, number_value, i))
            i = number.end()
        elif (name := NAME.match(text, i)) is not None:
            word = name.group()
            kind = "op" if word in WORDS or word in ("empty", "instanceof") else "name"
            tokens.append(Token(kind, word, WORDS.get(word, word), i))
            i = name.end()
        else:
            op = next((o for o in OPERATORS if text.startswith(o, i)), None)
            if op is None:
                raise ExpressionUnsupported(f"the character {char!r} is not part of an expression")
            tokens.append(Token("op", op, op, i))
            i += len(op)
    tokens.append(Token("end", "", None, len(text)))
    return tokens


COMPARISONS = ("<", ">", "<=", ">=")
GIVES_DATE_TIME = juel_dates.GIVES_DATE_TIME
# Camunda Spin's JSON and XML methods: refused with a sentence saying how Batho reads JSON instead.
SPIN_METHODS = frozenset({"prop", "hasProp", "stringValue", "numberValue", "boolValue", "elements", "jsonPath",
                          "isObject", "isArray", "isString", "isNumber", "isBoolean", "isNull", "isValue", "mapTo",
                          "childElement", "childElements", "attr", "textContent", "xPath", "propList"})
RESERVED = ("true", "false", "null")


class _Parser:
    """Recursive descent over EL's precedence, producing Python source text (fully parenthesised)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, *values: str) -> str | None:
        token = self.peek()
        if token.kind == "op" and token.value in values:
            self.i += 1
            return str(token.value)
        return None

    def expect(self, value: str) -> None:
        if self.accept(value) is None:
            raise ExpressionUnsupported(f"{value!r} was expected {self._where()}")

    def _where(self) -> str:
        token = self.peek()
        return "at the end" if token.kind == "end" else f"before {self.text[token.at:token.at + 20]!r}"

    def parse(self) -> str:
        result = self.ternary()
        token = self.peek()
        if token.kind != "end":
            if token.kind == "op" and token.value in REFUSED_OPS:
                raise ExpressionUnsupported(REFUSED_OPS[str(token.value)])
            raise ExpressionUnsupported(f"the expression does not end where expected, {self._where()}")
        return result

    def ternary(self) -> str:
        condition = self.logical_or()
        if self.accept("?") is None:
            return condition
        then = self.ternary()
        self.expect(":")
        otherwise = self.ternary()
        return f"({then} if juel_true({condition}) else {otherwise})"

    def logical_or(self) -> str:
        left = self.logical_and()
        while self.accept("||"):
            left = f"(juel_true({left}) or juel_true({self.logical_and()}))"
        return left

    def logical_and(self) -> str:
        left = self.equality()
        while self.accept("&&"):
            left = f"(juel_true({left}) and juel_true({self.equality()}))"
        return left

    def equality(self) -> str:
        left = self.relational()
        while (op := self.accept("==", "!=")) is not None:
            right = self.relational()
            left = f"juel_eq({left}, {right})" if op == "==" else f"(not juel_eq({left}, {right}))"
        return left

    def relational(self) -> str:
        left = self.additive()
        while (op := self.accept(*COMPARISONS, "instanceof")) is not None:
            if op == "instanceof":
                raise ExpressionUnsupported("instanceof tests Java classes, which Batho does not have")
            left = f"juel_compare({op!r}, {left}, {self.additive()})"
        return left

    def additive(self) -> str:
        left = self.multiplicative()
        while (op := self.accept("+", "-")) is not None:
            left = f"juel_arith({op!r}, {left}, {self.multiplicative()})"
        return left

    def multiplicative(self) -> str:
        left = self.unary()
        while (op := self.accept("*", "/", "%")) is not None:
            left = f"juel_arith({op!r}, {left}, {self.unary()})"
        return left

    def unary(self) -> str:
        if self.accept("-"):
            return f"juel_arith('-', 0, {self.unary()})"
        if self.accept("!"):
            return f"(not juel_true({self.unary()}))"
        if self.accept("empty"):
            return f"juel_empty({self.unary()})"
        return self.value()

    def value(self) -> str:
        first = self.peek()
        result = self.primary()
        path = [first.text] if first.kind == "name" else []
        joda = result == "juel_datetime()"  # a Joda DateTime: its methods of juel_dates.METHODS may follow
        while True:
            if self.accept("."):
                name = self.take()
                if name.kind != "name" and not (name.kind == "op" and NAME.fullmatch(name.text)):
                    raise ExpressionUnsupported(f"a property name was expected after '.' {self._where()}")
                if name.text.startswith("_"):
                    raise ExpressionUnsupported(f"the property {name.text!r} cannot be read")
                calls = self.peek().kind == "op" and self.peek().value == "("
                if joda or (calls and name.text in juel_dates.METHODS):
                    result, joda = self._date_method(result, joda, name.text, calls), name.text in GIVES_DATE_TIME
                    path = []
                    continue
                if calls:
                    if name.text == "equals" and not (path and path[0] == "execution"):
                        # Java's a.equals(b), as Camunda tutorials compare strings: equal values, no conversion.
                        args = self._arguments()
                        if len(args) != 1:
                            raise ExpressionUnsupported(f"equals(…) takes one value to compare with {self._where()}")
                        result, path = f"({result} == {args[0]})", []
                        continue
                    result = self._method(path, name.text)
                    path = []
                    continue
                result = f"juel_property({result}, {name.text!r})"
                path.append(name.text)
            elif self.accept("["):
                key = self.ternary()
                self.expect("]")
                result = f"juel_property({result}, {key})"
                path = []
            else:
                return result

    def _date_method(self, target: str, joda: bool, method: str, calls: bool) -> str:
        """A method of dateTime() (juel_dates.METHODS), called through juel_date_call; on anything else refused."""
        example = "${dateTime().plusDays(2).toDate()}"
        if not joda:
            raise ExpressionUnsupported(f"{method}(…) is a method of Camunda's dateTime(); Batho runs it on "
                                        f"dateTime() only, for example {example}")
        if method not in juel_dates.METHODS:
            known = ", ".join(sorted(juel_dates.METHODS))
            raise ExpressionUnsupported(f"dateTime().{method} is not supported; dateTime() has these methods in "
                                        f"Batho: {known}")
        if not calls:
            raise ExpressionUnsupported(f"dateTime().{method} needs its brackets: {method}(…)")
        args = self._arguments()
        arity = juel_dates.METHODS[method][0]
        if len(args) != arity:
            raise ExpressionUnsupported(f"{method}(…) takes {arity} value{'s' if arity != 1 else ''}, not "
                                        f"{len(args)}, for example {example}")
        return f"juel_date_call({', '.join([target, repr(method), *args])})"

    def _method(self, path: list[str], method: str) -> str:
        """`execution.getVariable("x")` is the variable x; every other method call is Java and refused."""
        target = ".".join(path)
        if method in SPIN_METHODS:
            raise ExpressionUnsupported(self._spin(target, method))
        args = self._arguments()
        if target == "execution" and method == "getVariable" and len(args) == 1:
            token = self.tokens[self.i - 2]
            if token.kind == "str" and _usable_name(token.value):
                return str(token.value)
            raise ExpressionUnsupported('execution.getVariable needs the variable\'s name in quotes, '
                                        'for example execution.getVariable("amount")')
        if path and path[0] == "execution":
            raise ExpressionUnsupported(
                f"execution.{method}(…) uses Camunda's Java execution object; only execution.getVariable(\"name\") "
                "can be translated. Name the variable itself instead")
        shown = f"{target}.{method}(…)" if target else f"….{method}(…)"
        raise ExpressionUnsupported(
            f"{shown} calls a method on a Java bean, which Batho cannot run. Compute the value in a "
            "Python script task and use the variable here")

    def _spin(self, target: str, method: str) -> str:
        """Camunda Spin's JSON reading (`customer.prop("age").numberValue()`), said with what to write instead."""
        key = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        shown = f"{target or '…'}.{method}(…)"
        if method == "prop" and key is not None and key.kind == "str" and target:
            plain = f"{target}.{key.value}" if _usable_name(key.value) else f"{target}[{str(key.value)!r}]"
            shown = f"{target}.prop({key.text})"
        else:
            plain = f"{target or 'customer'}.age"
        return (f"{shown} reads JSON through Camunda Spin, which Batho does not support. Batho "
                f"keeps JSON as plain maps and lists, so write {plain} instead (no .prop(…), .numberValue() or "
                ".stringValue() needed)")

    def _arguments(self) -> list[str]:
        self.expect("(")
        args: list[str] = []
        if self.accept(")"):
            return args
        while True:
            args.append(self.ternary())
            if self.accept(")"):
                return args
            self.expect(",")

    def primary(self) -> str:
        token = self.take()
        if token.kind == "num":
            return repr(token.value)
        if token.kind == "str":
            return repr(token.value)
        if token.kind == "name":
            return self._name(token)
        if token.kind == "op" and token.value == "(":
            inner = self.ternary()
            self.expect(")")
            return f"({inner})"
        if token.kind == "end":
            raise ExpressionUnsupported("the expression is empty or ends too soon")
        if token.kind == "op" and token.value in REFUSED_OPS:
            raise ExpressionUnsupported(REFUSED_OPS[str(token.value)])
        if token.kind == "op" and token.value == "[":
            raise ExpressionUnsupported("list literals ([…]) are not supported; keep the list in a variable")
        raise ExpressionUnsupported(f"{token.text!r} cannot start a value (at position {token.at + 1})")

    def _name(self, token: Token) -> str:
        word = token.text
        if word in RESERVED:
            return {"true": "True", "false": "False", "null": "None"}[word]
        if word == "execution" and not self._get_variable_follows():
            raise ExpressionUnsupported("execution is Camunda's Java execution object; only "
                                        'execution.getVariable("name") can be translated. Name the variable instead')
        if self.peek().kind == "op" and self.peek().value == ":" and self._is_function_prefix():
            raise ExpressionUnsupported(f"EL functions with a prefix ({word}:…) are not supported")
        if self.peek().kind == "op" and self.peek().value == "(":
            return self._function(word)
        if not _usable_name(word):
            raise ExpressionUnsupported(f"the variable name {word!r} cannot be used (it starts with _ or $, or is a "
                                        "Python word); rename the variable")
        return word

    def _get_variable_follows(self) -> bool:
        ahead = self.tokens[self.i:self.i + 3]
        return [t.text for t in ahead] == [".", "getVariable", "("]

    def _is_function_prefix(self) -> bool:
        after = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        following = self.tokens[self.i + 2] if self.i + 2 < len(self.tokens) else None
        return bool(after and after.kind == "name" and following and following.value == "(")

    def _function(self, word: str) -> str:
        if word == "dateTime":
            if self._arguments():
                raise ExpressionUnsupported("dateTime() takes no values; it is the date and time of now")
            return "juel_datetime()"
        if word in ("S", "JSON", "XML"):
            raise ExpressionUnsupported(f"{word}(…) is Camunda Spin, which Batho does not support. Batho keeps JSON as "
                                        "plain maps and lists: read the value directly, for example customer.age")
        if word in ("currentUser", "currentUserGroups"):
            raise ExpressionUnsupported(f"{word}() is a Camunda Java function, which Batho does not have; use now(), "
                                        "dateTime() or a variable")
        if not _usable_name(word):
            raise ExpressionUnsupported(f"the function name {word!r} cannot be used")
        args = self._arguments()
        return f"{word}({', '.join(args)})"


def _usable_name(name: Any) -> bool:
    return (isinstance(name, str) and NAME.fullmatch(name) is not None and not name.startswith(("_", "$"))
            and "$" not in name and not keyword.iskeyword(name) and not name.startswith("juel_"))


EL_PART = re.compile(r"[$#]\{")


def is_el(text: str | None) -> bool:
    """True when `text` is written in EL (contains ${…} or #{…} and is not a quoted Python string)."""
    stripped = (text or "").strip()
    return bool(EL_PART.search(stripped)) and not stripped.startswith(("'", '"'))


def _closing(text: str, start: int) -> int:
    """The index of the } that ends the expression body starting at `start` (braces in quotes do not count)."""
    j, quote = start, ""
    while j < len(text):
        char = text[j]
        if quote and char == "\\":
            j += 1
        elif quote and char == quote:
            quote = ""
        elif not quote and char in "'\"":
            quote = char
        elif not quote and char == "}":
            return j
        j += 1
    raise ExpressionUnsupported(f"{text[start - 2:start + 18]!r} has no closing }}")


def parts(text: str) -> list[tuple[bool, str]]:
    """Literal text and expression bodies, in order."""
    parts: list[tuple[bool, str]] = []
    i = 0
    while (found := EL_PART.search(text, i)) is not None:
        if found.start() > i:
            parts.append((False, text[i:found.start()]))
        end = _closing(text, found.end())
        parts.append((True, text[found.end():end]))
        i = end + 1
    if i < len(text):
        parts.append((False, text[i:]))
    return parts


@lru_cache(maxsize=4096)
def to_python(text: str) -> str:
    """The Python expression for an EL text; a text with words around ${…} becomes the joined string."""
    pieces_of = parts(text.strip())
    if len(pieces_of) == 1 and pieces_of[0][0]:
        return _Parser(pieces_of[0][1]).parse()
    pieces = [f"juel_text({_Parser(body).parse()})" if is_expr else repr(body) for is_expr, body in pieces_of]
    return "(" + " + ".join(pieces) + ")" if pieces else "''"


def problem(text: str) -> str | None:
    """Why `text` cannot be translated, as a sentence fragment, or None."""
    try:
        to_python(text)
    except ExpressionUnsupported as exc:
        return f"the expression {text.strip()} cannot be translated: {exc}."
    return None


# Run time: the helpers the translated Python calls, with EL's coercions.

def juel_true(value: Any) -> bool:
    """EL's coercion to boolean: null and "" are false, a string is true only when it says "true"."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is not None and bool(value)


def _number(value: Any) -> Any:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise TypeError("a true/false value is not a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            return float(text)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{type(value).__name__} is not a number") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) or type(value).__name__ == "Decimal"


def _comparable(a: Any, b: Any) -> tuple[Any, Any]:
    if _is_number(a) or _is_number(b):
        try:
            return _number(a), _number(b)
        except (TypeError, ValueError):
            return a, b
    if isinstance(a, bool) or isinstance(b, bool):
        return juel_true(a), juel_true(b)
    return a, b


def _dates(a: Any, b: Any) -> tuple[Any, Any] | None:
    """Two moments when one side is a date (dateTime(), toDate()) and the other a date or ISO text, else None."""
    if not any(isinstance(v, juel_dates.JodaDateTime | datetime) for v in (a, b)):
        return None
    zone = next((m.tzinfo for m in (juel_dates.as_moment(v) for v in (a, b)
                                    if isinstance(v, juel_dates.JodaDateTime | datetime)) if m is not None), None)
    x, y = juel_dates.as_moment(a, zone), juel_dates.as_moment(b, zone)
    return (x, y) if x is not None and y is not None else None


def juel_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    moments = _dates(a, b)
    if moments is not None:
        return moments[0] == moments[1]
    x, y = _comparable(a, b)
    return bool(x == y)


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda x, y: x < y, ">": lambda x, y: x > y, "<=": lambda x, y: x <= y, ">=": lambda x, y: x >= y}


def juel_compare(op: str, a: Any, b: Any) -> bool:
    """<, >, <=, >= as EL does them: numbers with numbers (a numeric string counts), null is never ordered."""
    if a is None or b is None:
        return False
    x, y = _dates(a, b) or _comparable(a, b)
    return COMPARE[op](x, y)


def juel_arith(op: str, a: Any, b: Any) -> Any:
    """EL arithmetic: operands become numbers (null is 0, "5" is 5); / is always a true division."""
    x, y = _number(a), _number(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return guards.binop("*", x, y)
    if op == "/":
        return x / y
    if isinstance(x, int) and isinstance(y, int):  # Java's remainder keeps the dividend's sign
        rest = abs(x) % abs(y)
        return rest if x >= 0 else -rest
    return math.fmod(x, y)


def juel_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str | Sequence | Mapping | set | frozenset):
        return len(value) == 0
    return False


def juel_property(target: Any, key: Any) -> Any:
    """a.b and a[b]: a map's entry (missing is null), a list's item, null on null; never a _private name."""
    if target is None:
        return None
    if isinstance(key, str) and key.startswith("_"):
        raise ExpressionUnsupported(f"the property {key!r} cannot be read")
    if isinstance(target, Mapping):
        return target.get(key, target.get(str(key)) if not isinstance(key, str) else None)
    if isinstance(target, list | tuple | str):
        try:
            index = int(_number(key))
        except (TypeError, ValueError):
            if key in ("size", "length"):
                return len(target)
            raise ExpressionUnsupported(f"a list has no property {key!r}") from None
        return target[index] if -len(target) <= index < len(target) else None
    return guards.guarded_getattr(target, str(key))


def juel_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()  # toDate() in a text: ISO 8601, as Batho writes dates
    return guards.guarded_str(value)


HELPERS: dict[str, Any] = {
    "juel_true": juel_true, "juel_eq": juel_eq, "juel_compare": juel_compare, "juel_arith": juel_arith,
    "juel_empty": juel_empty, "juel_property": juel_property, "juel_text": juel_text,
    "juel_date_call": juel_dates.call,
    # The system clock in Batho's default zone; the script engine puts its own clock and zone in its place.
    "juel_datetime": juel_dates.now_function(None, "Africa/Johannesburg"),
}
