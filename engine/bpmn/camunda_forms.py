"""Camunda Forms (.form JSON from Camunda Modeler's form editor) read as the form fields Batho checks on the server.

A task whose camunda:formRef (the form's id) or camunda:formKey="camunda-forms:deployment:NAME.form" names a
deployed form gets that form's inputs as its fields: required, minLength, maxLength, min, max, read-only, defaults
and select or radio values are checked as camunda:formData's are, and the schema itself is kept for form-js to draw.
What form-js would evaluate (FEEL conditions and expressions, patterns, email checks) Batho cannot check, so a form
that uses it is refused at deploy instead of being half honoured.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.camunda.specs.user_task import EnumFormField, Form, FormField

FORM_KEY = "camunda-forms:deployment:"
INPUTS = {"textfield": "string", "textarea": "textarea", "number": "decimal", "checkbox": "boolean",
          "select": "enum", "radio": "enum", "datetime": "date"}
SHOWN_ONLY = {"text", "spacer", "separator", "image", "group", "default"}
CHECKED = {"required", "minLength", "maxLength", "min", "max"}
MAX_BYTES = 500_000


class FormRefused(ValueError):
    """A .form file Batho cannot read or honour; the message is a sentence for the process owner."""


@dataclass(frozen=True)
class CamundaForm:
    """One deployed .form file: its file name, its id (what camunda:formRef names) and its schema."""

    file: str
    id: str
    schema: dict[str, Any]


def read_form(file: str, text: str) -> CamundaForm:
    """The form in a .form file; FormRefused when it is not a Camunda Form."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise FormRefused(f"{file} is larger than {MAX_BYTES // 1000} kB.")
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormRefused(f"{file} is not a Camunda Form: it is not JSON ({exc.msg} at character {exc.pos}).") from None
    if not isinstance(schema, dict) or schema.get("type") != "default" or not isinstance(schema.get("components"),
                                                                                           list):
        raise FormRefused(f"{file} is not a Camunda Form: save it from Camunda Modeler's form editor (a JSON "
                          "object with type \"default\" and components).")
    form_id = schema.get("id")
    if not isinstance(form_id, str) or not form_id.strip():
        raise FormRefused(f"{file} has no form id; give the form an id in Camunda Modeler (camunda:formRef names "
                          "it).")
    return CamundaForm(file, form_id.strip(), schema)


def _components(components: list[Any]) -> Iterator[dict[str, Any]]:
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        yield from _components(component.get("components") or [])


def _component_problem(component: dict[str, Any]) -> str | None:
    kind = str(component.get("type", ""))
    shown = component.get("label") or component.get("key") or kind
    if kind not in INPUTS and kind not in SHOWN_ONLY:
        return f'the {kind} component "{shown}" is not one Batho can check; use text fields, text areas, ' \
               "numbers, checkboxes, selects, radio buttons or dates."
    if kind == "datetime" and component.get("subtype", "date") != "date":
        return f'the date and time component "{shown}" asks for a time; Batho takes dates only (subtype date).'
    if any(isinstance(v, str) and v.startswith("=") for v in component.values()) or component.get("conditional"):
        return f'the component "{shown}" uses a FEEL expression or condition, which Batho does not evaluate.'
    unchecked = sorted(set(component.get("validate") or {}) - CHECKED)
    if unchecked:
        return f'the component "{shown}" asks for {", ".join(unchecked)} checks; Batho checks required, ' \
               "minLength, maxLength, min and max."
    if kind in INPUTS and not str(component.get("key") or "").isidentifier():
        return f'the component "{shown}" has the key "{component.get("key")}"; a key is a variable name ' \
               "(letters, digits and _)."
    if kind in ("select", "radio") and not isinstance(component.get("values"), list):
        return f'the component "{shown}" takes its options from {component.get("valuesKey") or "an expression"}; ' \
               "list its values in the form instead."
    return None


def form_problems(form: CamundaForm) -> list[str]:
    """What in the form Batho cannot honour, one sentence each."""
    return [f"{form.file}: {problem}" for c in _components(form.schema["components"])
            if (problem := _component_problem(c)) is not None]


def _field(component: dict[str, Any]) -> FormField:
    kind = INPUTS[str(component["type"])]
    validate = component.get("validate") or {}
    field: FormField
    if kind == "enum":
        field = EnumFormField()
        for value in component.get("values") or []:
            field.add_option(str(value.get("value")), str(value.get("label") or value.get("value")))
    else:
        field = FormField()
    if kind == "decimal" and component.get("decimalDigits") == 0:
        kind = "long"
    field.id, field.type = str(component["key"]), kind
    field.label = str(component.get("label") or component["key"])
    default = component.get("defaultValue")
    field.default_value = None if default is None else str(default).lower() if isinstance(default, bool) \
        else str(default)
    names = {"required": "required", "minLength": "minlength", "maxLength": "maxlength", "min": "min", "max": "max"}
    for name, ours in names.items():
        value = validate.get(name)
        if value is True:
            field.add_validation(ours, None)
        elif value not in (None, False, ""):
            field.add_validation(ours, str(value))
    if component.get("readonly") is True or component.get("disabled") is True:
        field.add_validation("readonly", None)
    return field


def as_form(form: CamundaForm) -> Form:
    """The form's inputs as SpiffWorkflow form fields (what Batho's forms read), in the order they are drawn."""
    out = Form()
    out.key = f"{FORM_KEY}{form.file}"
    for component in _components(form.schema["components"]):
        if str(component.get("type")) in INPUTS:
            out.add_field(_field(component))
    return out


def referenced(key: str, ref: str, forms: list[CamundaForm]) -> CamundaForm | None:
    """The form a task's camunda:formKey or camunda:formRef names, among the deployed ones."""
    for form in forms:
        if (ref and form.id == ref) or (key and key == f"{FORM_KEY}{form.file}"):
            return form
    return None
