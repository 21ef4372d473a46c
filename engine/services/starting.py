"""Staff starting a process by hand (the staff API): whom the diagram lets start it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..authz import may_start
from ..bpmn.specs import ParsedProcess
from ..composition import Batho
from ..errors import Forbidden, NotFound
from ..tasklist import role_for_lane
from .cases import Contact, lodge_in
from .deployment import latest_version
from .identity import Identity
from .staff_api import require_staff


def require_starter(session: Session, who: Identity, process: ParsedProcess) -> None:
    """Forbidden unless `who` may start `process`: system-only processes nobody; declared starters as declared;
    a process that declares none, any staff member who works cases."""
    if process.system_only:
        raise Forbidden(f"{process.name} is started by Batho itself on its schedule; nobody may start it by hand.")
    if not process.starters.declared:
        require_staff(who)
        return
    if not may_start(who, process.starters, {role_for_lane(session, g) for g in process.starters.groups}):
        named = ", ".join([*process.starters.groups, *process.starters.users]) or "nobody"
        raise Forbidden(f"You may not start {process.name}: its diagram lets only these start it: {named}.")


def lodge_as(app: Batho, who: Identity, process_key: str, submitted: dict[str, Any], contact: Contact,
             channel: str) -> str:
    """A case of `process_key` captured or started by a staff member who may start it; its reference."""
    with app.db.transaction() as session:
        version = latest_version(session, process_key)
        if version is None:
            raise NotFound(f"No process called {process_key!r} is deployed.")
        require_starter(session, who, app.specs.get(version))
        return lodge_in(app, session, process_key, submitted, contact, channel, who.id).reference
