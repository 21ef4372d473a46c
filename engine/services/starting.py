"""Staff starting a process by hand (the staff API): whom the diagram lets start it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..authz import Identity, require_starter
from ..bpmn.forms import Field
from ..bpmn.specs import ParsedProcess
from ..composition import Batho
from ..lodging import newest_version_in
from ..models import Case
from ..tasklist import role_for_lane
from .cases import Contact, lodge_in


def _group_roles(session: Session, process: ParsedProcess) -> set[str | None]:
    """The process's candidate starter groups as role keys, read as lanes are read."""
    return {role_for_lane(session, group) for group in process.starters.groups}


def lodge_as(app: Batho, who: Identity, process_key: str, submitted: dict[str, Any], contact: Contact,
             channel: str) -> str:
    """A case of `process_key` captured or started by a staff member who may start it; its reference."""
    with app.db.transaction() as session:
        return lodge_as_in(app, session, who, process_key, submitted, contact, channel).reference


def lodge_as_in(app: Batho, session: Session, who: Identity, process_key: str, submitted: dict[str, Any],
                contact: Contact, channel: str) -> Case:
    """`lodge_as` in the caller's transaction (an API call kept with its Idempotency-Key)."""
    process = app.specs.get(newest_version_in(session, process_key))
    require_starter(who, process, _group_roles(session, process))
    return lodge_in(app, session, process_key, submitted, contact, channel, who.id)


def start_form(app: Batho, who: Identity, process_key: str) -> tuple[ParsedProcess, int, tuple[Field, ...]]:
    """The start form of the newest version of `process_key` (its fields, constraints and defaults), for a staff
    member who may start it: the process, its version number and the fields."""
    with app.db.reading() as session:
        version = newest_version_in(session, process_key)
        process = app.specs.get(version)
        require_starter(who, process, _group_roles(session, process))
        return process, version.version, process.start_form
