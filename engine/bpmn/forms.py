"""Form fields from the diagram (camunda:formData) and the checking and conversion of submitted values."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ValidationFailed
from .money import AmountToConfirm, parse_amount

SUPPORTED_TYPES = {"string", "long", "boolean", "date", "enum", "decimal", "textarea"}
MAX_TEXT = 4000
MAX_DECIMAL_DIGITS = 12
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", re.ASCII)


@dataclass(frozen=True)
class Option:
    id: str
    name: str


@dataclass(frozen=True)
class Field:
    """One form field as the UI and the validator need it."""

    id: str
    label: str
    type: str
    required: bool = False
    readonly: bool = False
    multiline: bool = False
    options: tuple[Option, ...] = ()
    default: str | None = None
    min: str | None = None
    max: str | None = None
    minlength: int | None = None
    maxlength: int | None = None
    help: str | None = None
    money: bool = False  # a decimal in rand: read as people write amounts, shown as R 45 000,00
    constraints: dict[str, str | None] = field(default_factory=dict)
    case_reference: str | None = None  # the caseReference property: which other cases the value may name

    @property
    def input_type(self) -> str:
        """The kind of HTML control: text, textarea, number, checkbox, date or select."""
        if self.type == "enum":
            return "select"
        if self.type == "boolean":
            return "checkbox"
        if self.type == "decimal" and self.money:
            return "text"  # a number control refuses `R45 000` and `45 000,00`
        if self.type in ("long", "decimal"):
            return "number"
        if self.type == "date":
            return "date"
        return "textarea" if self.multiline else "text"


def fields_of(form: Any) -> tuple[Field, ...]:
    """The Field list of a parsed SpiffWorkflow form (or () when the node has none)."""
    if form is None:
        return ()
    return tuple(_field(f) for f in form.fields)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _field(spiff_field: Any) -> Field:
    constraints = {v.name: v.config for v in spiff_field.validation}
    props = {p.id: p.value for p in spiff_field.properties}
    kind = spiff_field.type or "string"  # Camunda 7 takes a field without a type as it is sent: text
    multiline = kind == "textarea" or props.get("multiline") == "true"
    return Field(
        id=spiff_field.id,
        label=spiff_field.label or spiff_field.id,
        type="string" if kind == "textarea" else kind,
        required="required" in constraints,
        readonly="readonly" in constraints,
        multiline=multiline,
        options=tuple(Option(o.id, o.name) for o in getattr(spiff_field, "options", [])),
        default=spiff_field.default_value,
        min=constraints.get("min"),
        max=constraints.get("max"),
        minlength=_int_or_none(constraints.get("minlength")),
        maxlength=_int_or_none(constraints.get("maxlength")),
        help=props.get("help"),
        money=kind == "decimal" and props.get("money") == "true",
        constraints=constraints,
        case_reference=props.get("caseReference"),
    )


def _to_boolean(field: Field, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None:  # an unticked checkbox is not sent at all
        return False
    text = str(raw).strip().lower()
    if text in ("true", "on", "yes", "1"):
        return True
    if text in ("false", "off", "no", "0", ""):
        return False
    raise ValueError("Choose yes or no.")


def _to_long(field: Field, raw: Any) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not re.fullmatch(r"[+-]?\d{1,15}", text):
        raise ValueError("Enter a whole number, for example 12.")
    return int(_bounded(field, int(text)))


def _to_decimal(field: Field, raw: Any) -> str:
    text = str(raw).strip()
    if isinstance(raw, bool):
        raise ValueError("Enter a number, for example 125.50.")
    if field.money:
        return _checked_decimal(field, parse_amount(text))
    # Plain digits only: Decimal alone would take inf, nan, 1_000 and exponents too large to compare or round.
    if not DECIMAL.fullmatch(text):
        raise ValueError("Enter a number, for example 125.50.")
    return _checked_decimal(field, Decimal(text))


def _checked_decimal(field: Field, number: Decimal) -> str:
    # Amounts are stored as NUMERIC(14, 2): at most twelve digits before the decimal point.
    if number and number.adjusted() >= MAX_DECIMAL_DIGITS:
        raise ValueError("Enter a number below 1 000 000 000 000 (at most 12 digits before the decimal point).")
    # JSON-safe: a string keeps cents exact; scripts convert with float() where they compute.
    return str(_bounded(field, number).quantize(Decimal("0.01")))


def _to_date(field: Field, raw: Any) -> str:
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise ValueError("Enter a date as YYYY-MM-DD.") from None


def _to_option(field: Field, raw: Any) -> str:
    text = str(raw).strip()
    if text not in [o.id for o in field.options]:
        raise ValueError("Choose one of: " + ", ".join(o.name for o in field.options) + ".")
    return text


def _to_text(field: Field, raw: Any) -> str:
    return _checked_text(field, str(raw).strip())


CONVERTERS = {"boolean": _to_boolean, "long": _to_long, "decimal": _to_decimal, "date": _to_date,
              "enum": _to_option}


def _convert(field: Field, raw: Any) -> Any:
    """One submitted value as a JSON-safe Python value, or ValueError with a sentence."""
    return CONVERTERS.get(field.type, _to_text)(field, raw)


def _bounded(field: Field, number: Any) -> Any:
    if field.min is not None and number < type(number)(field.min):
        raise ValueError(f"Enter a value of at least {field.min}.")
    if field.max is not None and number > type(number)(field.max):
        raise ValueError(f"Enter a value of at most {field.max}.")
    return number


def _checked_text(field: Field, text: str) -> str:
    limit = field.maxlength or MAX_TEXT
    if len(text) > limit:
        # Refused with the limit named, never cut: the person decides what to leave out.
        raise ValueError(f"at most {limit} characters; you typed {len(text)}.")
    if field.minlength and len(text) < field.minlength:
        raise ValueError(f"Write at least {field.minlength} characters.")
    return text


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def applies(field: Field, submitted: dict[str, Any]) -> bool:
    """Whether the field's answer counts: a field `required_if` another answer counts only when that answer is given."""
    return "required_if" not in field.constraints or _required_by_other(field, submitted)


def _required_by_other(field: Field, submitted: dict[str, Any]) -> bool:
    """The `required_if` constraint: "other_field=value1|value2" makes this field required."""
    rule = field.constraints.get("required_if")
    if not rule or "=" not in rule:
        return False
    other, _, wanted = rule.partition("=")
    return str(submitted.get(other.strip(), "")).strip() in wanted.split("|")


def validate(fields: tuple[Field, ...], submitted: dict[str, Any]) -> dict[str, Any]:
    """Check and convert every field; raise ValidationFailed naming each wrong field in a sentence."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    confirm: dict[str, str] = {}
    for f in fields:
        if f.readonly:
            continue
        # An absent field (an API call, an old form) takes the diagram's default; a blank one does not.
        raw = submitted.get(f.id, f.default)
        if f.type != "boolean" and _is_blank(raw):
            if f.required or _required_by_other(f, submitted):
                errors[f.id] = f"{f.label} is required."
            else:
                values[f.id] = None
            continue
        _convert_into(f, raw, values, errors, confirm)
    if errors:
        raise ValidationFailed(errors, confirm=confirm)
    return values


def _convert_into(f: Field, raw: Any, values: dict[str, Any], errors: dict[str, str], confirm: dict[str, str]) -> None:
    """One field's value into `values`, or its sentence into `errors` (and an unclear amount's reading into
    `confirm`, which the form sends back once the person says it is right)."""
    try:
        values[f.id] = _convert(f, raw)
    except AmountToConfirm as unclear:
        try:
            confirm[f.id] = _checked_decimal(f, unclear.amount)
        except ValueError as exc:
            errors[f.id] = f"{f.label}: {exc}"
        else:
            errors[f.id] = f"{f.label}: {unclear}"
    except ValueError as exc:
        errors[f.id] = f"{f.label}: {exc}"


def defaults_in(fields: tuple[Field, ...], language: str | None, catalogs: Path) -> dict[str, str]:
    """The text fields' diagram defaults in the citizen's language (the apology a complaint's answer starts with),
    from the same catalogs that translate the status page; a default without a translation stays as written."""
    catalog = gettext.translation("messages", localedir=str(catalogs), languages=[language or "en"], fallback=True)
    return {f.id: catalog.gettext(f.default) for f in fields
            if f.default and f.type == "string" and not f.readonly}
