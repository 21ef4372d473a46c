"""The lint's rules for forms: camunda:formData constraints Batho checks, and form keys it can show.

Batho checks required, readonly, minlength, maxlength, min and max (and its own required_if) on the server; a
custom validator runs Java in Camunda, so it is refused rather than silently skipped. A field without a type is a
text field, as Camunda 7 takes it (said as a warning); a type of a Java plug-in is refused, as Camunda 7 without the
plug-in refuses it. A form key may point at a Camunda Form (.form) deployed with the diagram; an HTML form inside a
Java web application cannot be shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .dialect import CAMUNDA_NS
from .lint_text import Found, label

KNOWN = {"required", "readonly", "minlength", "maxlength", "min", "max", "required_if"}
WHOLE = re.compile(r"^\d{1,9}$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
INTEGER = re.compile(r"^[+-]?\d{1,15}$")
CHECKED = "Batho checks required, readonly, minlength, maxlength, min and max"
CAMUNDA_FORM = "camunda-forms:deployment:"
CAMUNDA_TYPES = ("string", "long", "boolean", "date", "enum")  # Camunda 7's own; Batho adds decimal and textarea


def unknown_type(kind: str) -> str:
    """What to say of a form field whose type Batho cannot show (the sentence after 'form field "…"')."""
    return (f'has type "{kind}", which Batho cannot show: it is not one of Camunda 7\'s form field types but '
            "one that a Java plug-in adds to a Camunda server (without it Camunda refuses the diagram too). In the "
            f"panel, choose the Type {', '.join(CAMUNDA_TYPES[:-1])} or {CAMUNDA_TYPES[-1]} (or Batho's decimal or "
            "textarea).")


def _constraint_problem(kind: str, name: str, config: str) -> str | None:
    if name == "validator":
        return (f'uses a custom validator ("{config[:60]}"), which runs in Camunda\'s Java engine. {CHECKED}: '
                "use those, or check the value in a script task after the form.")
    if name not in KNOWN:
        return f'has the constraint "{name}", which Batho does not know. {CHECKED}.'
    if name in ("minlength", "maxlength") and not WHOLE.match(config.strip()):
        return f'has {name} "{config}", which is not a whole number of characters.'
    if name in ("min", "max"):
        if kind not in ("long", "decimal"):
            return f"has {name} on a {kind or 'untyped'} field; min and max apply to numbers (use minlength and " \
                   "maxlength for text)."
        if not (INTEGER if kind == "long" else NUMBER).match(config.strip()):
            return f'has {name} "{config}", which is not a {"whole " if kind == "long" else ""}number.'
    return None


def _constraints(root: Any) -> Iterator[Found]:
    for form_field in root.iter(f"{{{CAMUNDA_NS}}}formField"):
        owner = form_field.getparent().getparent().getparent()
        shown = form_field.get("label") or form_field.get("id") or "(no label)"
        nested = [v for v in form_field.iter(f"{{{CAMUNDA_NS}}}value") if v.getparent() is not form_field]
        if form_field.get("type") == "enum" and nested:
            yield Found(owner, "form", f'{label(owner)}: the choice field "{shown}" has values inside another '
                                       "element (such as its properties), where neither Camunda 7 nor Batho looks "
                                       "for them, so it offers nothing to choose. Add the values in the panel's "
                                       "Values list of the field.", severity="warning")
        if not (form_field.get("type") or "").strip():
            yield Found(owner, "form", f'{label(owner)}: form field "{shown}" has no type, so Batho shows it as a '
                                       "text field (string), as Camunda 7 takes it. Choose its Type in the panel if "
                                       "it is a number, a date, yes or no, or a choice.", severity="warning")
        for constraint in form_field.iter(f"{{{CAMUNDA_NS}}}constraint"):
            problem = _constraint_problem(form_field.get("type") or "", constraint.get("name") or "",
                                          constraint.get("config") or "")
            if problem:
                yield Found(owner, "form", f'{label(owner)}: form field "{shown}" {problem}')


def _is_location(key: str) -> bool:
    """A key that says where a form lives (embedded:, app:, deployment:, a URL, an HTML file), not only a name."""
    lower = key.lower()
    return ":" in lower or lower.endswith((".html", ".htm", ".form")) or "/" in lower


def form_key_problem(key: str, forms: set[str], has_fields: bool = False) -> str | None:
    """Why a camunda:formKey cannot be shown (None: it names a Camunda Form among `forms`, the deployed files, or it
    is only a name beside form fields, as SpiffWorkflow's modeler writes it)."""
    if not _is_location(key):
        if has_fields:
            return None
        return (f"Form key '{key}' names a form Batho does not have. Use Form fields (camunda:formData) or a "
                "Camunda Form (.form).")
    if key.startswith(CAMUNDA_FORM):
        name = key[len(CAMUNDA_FORM):]
        if name in forms:
            return None
        return (f"Form key '{key}' points at the Camunda Form {name}, which is not among the files. Deploy the "
                ".form file with the diagram.")
    return (f"Form key '{key}' points at an HTML form inside a Java web application, which Batho cannot show. "
            "Use Form fields (camunda:formData) or a Camunda Form (.form).")


def form_problems(root: Any, forms: dict[str, str] | None = None) -> Iterator[Found]:
    """Constraints Batho cannot check, and form keys and references it cannot show (`forms`: deployed .form file
    names to their form ids)."""
    forms = forms or {}
    yield from _constraints(root)
    for el in root.iter("{*}userTask", "{*}startEvent"):
        key = (el.get(f"{{{CAMUNDA_NS}}}formKey") or "").strip()
        ref = (el.get(f"{{{CAMUNDA_NS}}}formRef") or "").strip()
        if key:
            has_fields = bool(list(el.iter(f"{{{CAMUNDA_NS}}}formField")))
            problem = form_key_problem(key, set(forms), has_fields)
            if problem:
                yield Found(el, "form", f"{label(el)}: {problem}")
        if ref and ref not in forms.values():
            have = ", ".join(sorted(forms.values())) or "none"
            yield Found(el, "form", f"{label(el)}: it uses the Camunda Form '{ref}' (camunda:formRef), which is "
                                    f"not among the files (form ids here: {have}). Deploy its .form file with the "
                                    "diagram.")
