"""A fingerprint of a task's form, so a form opened before the diagram changed is caught on submit."""

from __future__ import annotations

import hashlib

from ..bpmn.forms import Field
from ..errors import Conflict


class FormChanged(Conflict):
    """The task's form is no longer the one the user filled in."""


def form_signature(fields: tuple[Field, ...]) -> str:
    """Short hash of the fields' ids, types, options and constraints."""
    parts = [f"{f.id}:{f.type}:{f.required}:{','.join(o.id for o in f.options)}:{sorted(f.constraints.items())}"
             for f in fields]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def check_signature(fields: tuple[Field, ...], expected: str | None) -> None:
    """Raise FormChanged when `expected` (sent with the form) differs from the current form."""
    if expected and expected != form_signature(fields):
        raise FormChanged("The form of this task changed since you opened it (the process diagram was updated). "
                          "Your answers are kept below: check them against the new form and submit again.")
