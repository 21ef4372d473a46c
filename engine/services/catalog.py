"""The process catalog: who starts each deployed process and what citizens read about it, from its newest diagram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bpmn import vocabulary as v
from ..bpmn.forms import Field
from ..bpmn.specs import ParsedProcess
from ..composition import Batho
from ..errors import NotFound
from ..models import ProcessVersion


@dataclass(frozen=True)
class CatalogProcess:
    """One process as its newest deployed version declares it (start-event properties, start form)."""

    key: str
    name: str
    version_id: int
    lodge: str
    title: str
    introduction: str
    statuses: dict[str, str] = field(default_factory=dict)
    public_details: bool = False
    open311: bool = True
    contact_required: bool = False
    order: int = v.DEFAULT_ORDER
    start_form: tuple[Field, ...] = ()

    @property
    def citizens_lodge(self) -> bool:
        return self.lodge == "citizen"

    def status_sentence(self, code: str) -> str:
        """What a citizen reads for status `code`; the tidied code where the diagram writes no sentence."""
        return self.statuses.get(code) or code.replace("_", " ").capitalize()


def _flag(properties: dict[str, str], name: str, default: bool) -> bool:
    value = (properties.get(name) or "").strip().lower()
    return default if value not in ("true", "false") else value == "true"


def _order(properties: dict[str, str]) -> int:
    value = (properties.get(v.ORDER) or "").strip()
    return int(value) if value.isdigit() else v.DEFAULT_ORDER


def entry(version_id: int, process: ParsedProcess) -> CatalogProcess:
    """The catalog entry of one parsed process version."""
    props = process.start_properties
    lodge = props.get(v.LODGE) or v.DEFAULT_LODGE
    lodge = lodge if lodge in v.LODGE_VALUES else v.DEFAULT_LODGE
    statuses = {code: text for name, text in props.items() if (code := v.status_code(name)) and text}
    return CatalogProcess(
        key=process.key, name=process.name, version_id=version_id, lodge=lodge,
        title=props.get(v.TITLE) or process.name, introduction=props.get(v.INTRODUCTION) or "",
        statuses=statuses, public_details=_flag(props, v.OPEN_DETAILS, False), open311=_flag(props, v.OPEN311, True),
        contact_required=_flag(props, v.CONTACT_REQUIRED, False), order=_order(props),
        start_form=process.start_form)


def _newest_ids() -> Any:
    return select(func.max(ProcessVersion.id)).group_by(ProcessVersion.key)


def _newest(session: Session) -> list[ProcessVersion]:
    return list(session.scalars(select(ProcessVersion).where(ProcessVersion.id.in_(_newest_ids()))
                                .order_by(ProcessVersion.key)))


def names(session: Session) -> dict[str, str]:
    """Process key -> the name its newest diagram gives it (for reports grouping cases by type; no parse)."""
    rows = session.execute(select(ProcessVersion.key, ProcessVersion.name)
                           .where(ProcessVersion.id.in_(_newest_ids())))
    return {key: name for key, name in rows}


def processes(app: Batho, session: Session | None = None) -> list[CatalogProcess]:
    """Every deployed process, newest version each, by key (specs come from app.specs' per-version cache)."""
    if session is None:
        with app.db.reading() as reading:
            versions = _newest(reading)
    else:
        versions = _newest(session)
    return [entry(version.id, app.specs.get(version)) for version in versions]


def lodgeable(app: Batho) -> list[CatalogProcess]:
    """The processes citizens lodge themselves (lodge=citizen), in the order of the citizen start page."""
    return sorted((p for p in processes(app) if p.citizens_lodge), key=lambda p: (p.order, p.title))


def process(app: Batho, key: str, session: Session | None = None) -> CatalogProcess:
    for candidate in processes(app, session):
        if candidate.key == key:
            return candidate
    raise NotFound(f"No process called {key!r} is deployed.")


def status_sentence(app: Batho, case_type: str, code: str, session: Session | None = None) -> str:
    """The sentence a citizen reads for a case of `case_type` in status `code`."""
    for candidate in processes(app, session):
        if candidate.key == case_type:
            return candidate.status_sentence(code)
    return code.replace("_", " ").capitalize()
