"""The Open311 service list, derived from the start forms of the deployed processes (the process catalog).

A process whose start form has a `category` choice offers one service per category (code
`<process>-<category>`); any other process with a start form is one service (code = process key).
The start event property `open311` = `false` keeps a process out of the list. Start-form fields
other than category, description and location are the service's attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..bpmn.forms import Field
from ..composition import Batho
from ..errors import NotFound
from . import catalog

MAPPED_FIELDS = ("category", "description", "location")
DATATYPES = {"long": "number", "decimal": "number", "date": "datetime", "enum": "singlevaluelist",
             "boolean": "singlevaluelist"}
STOP_WORDS = {"and", "by", "an", "a", "of", "the", "else", "not", "was", "something", "other"}


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]
    process_key: str
    category: str | None
    attributes: tuple[Attribute, ...]
    # True only where the diagram's start event says openDetails=true: the public lists then show the
    # description and address. By default they show the status and fixed-wording notes only (POPIA).
    public_details: bool = False
    # The diagram's sentence for each status, published in place of notes that fill in typed values.
    statuses: tuple[tuple[str, str], ...] = ()

    @property
    def metadata(self) -> bool:
        return bool(self.attributes)


def _attribute(f: Field, order: int) -> Attribute:
    datatype = DATATYPES.get(f.type, "text" if f.multiline else "string")
    values = tuple((o.id, o.name) for o in f.options)
    if f.type == "boolean":
        values = (("true", "Yes"), ("false", "No"))
    described = {"number": "A number", "datetime": "A date, YYYY-MM-DD"}.get(datatype, "")
    if f.maxlength:
        described = f"At most {f.maxlength} characters"
    return Attribute(code=f.id, datatype=datatype, required=f.required, datatype_description=described,
                     order=order, description=f.help or f.label, values=values)


def _keywords(*texts: str) -> tuple[str, ...]:
    words = [w for t in texts for w in re.findall(r"[a-z]+", t.lower()) if w not in STOP_WORDS and len(w) > 2]
    return tuple(dict.fromkeys(words))


PUBLISHED = (" The description and address are published in the public list of requests;"
             " the name and contact details are not.")


def _services_of(entry: catalog.CatalogProcess) -> list[Service]:
    key, name, fields, public = entry.key, entry.name, entry.start_form, entry.public_details
    statuses = tuple(entry.statuses.items())
    attributes = tuple(_attribute(f, i) for i, f in enumerate(
        [f for f in fields if f.id not in MAPPED_FIELDS and not f.readonly], start=1))
    told = PUBLISHED if public else ""  # Open311 clients show the description to the citizen before submitting
    category = next((f for f in fields if f.id == "category" and f.type == "enum"), None)
    if category is None:
        return [Service(key, name, name + told, name, _keywords(name), key, None, attributes, public, statuses)]
    return [Service(f"{key}-{o.id}", o.name, f"{name}: {o.name}{told}", name, _keywords(o.name, o.id), key, o.id,
                    attributes, public, statuses) for o in category.options]


def services(app: Batho) -> list[Service]:
    """Every Open311 service of the newest version of each deployed process (the process catalog)."""
    found = []
    for entry in catalog.processes(app):
        if entry.open311 and entry.start_form:
            found.extend(_services_of(entry))
    return found


def service(app: Batho, code: str) -> Service:
    for candidate in services(app):
        if candidate.code == code:
            return candidate
    raise NotFound(f"There is no service with service_code {code!r}. GET services for the list.")


def service_of_case(catalog: list[Service], case_type: str, category: str | None) -> Service | None:
    for candidate in catalog:
        if candidate.process_key == case_type and candidate.category in (None, category):
            return candidate
    return None
