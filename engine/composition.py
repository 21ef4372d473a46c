"""The composition root: builds the engine's parts from configuration (tests pass their own)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .bpmn.budget import Limits
from .bpmn.scripting import RestrictedScriptEngine
from .bpmn.specs import SpecCache
from .bpmn.state import StateCodec
from .config import Config
from .db import Database
from .events import Handler, Handlers
from .models.metrics import keep_monitoring_facts
from .models.rollups import MonitoringRollups, offset_of
from .notify.outbox import Outbox
from .workdays import add_working_days


def _now() -> datetime:
    return datetime.now(UTC)


def script_functions(tz: str, clock: Callable[[], datetime]) -> dict[str, Callable[..., Any]]:
    """The only functions a diagram's scripts and expressions may call besides safe builtins."""

    def working_days_after(start: str, days: int) -> str:
        return add_working_days(datetime.fromisoformat(start), int(days), tz).isoformat()

    def now() -> str:
        return clock().isoformat()

    return {"add_working_days": working_days_after, "now": now}


@dataclass
class Batho:
    """Everything a service needs: configuration, database, clock, state codec and spec cache."""

    config: Config
    db: Database
    codec: StateCodec
    specs: SpecCache
    clock: Callable[[], datetime] = _now

    def now(self) -> datetime:
        return self.clock()


def consequences(app: Batho) -> list[Handler]:
    """What follows, in the same transaction, from each case event and task row a service writes: all of it."""
    return [
        MonitoringRollups(offset_of(app.config.timezone)),  # daily figures: first, to see cases before they change
        keep_monitoring_facts,  # acknowledgement times, case officers, survey answers, step spans
        Outbox(app),  # messages to citizens and staff, delivered later by the worker
    ]


def build(config: Config, clock: Callable[[], datetime] = _now,
          handlers: Callable[[Batho], list[Handler]] = consequences) -> Batho:
    """Assemble Batho for `config`; tests may pass their own clock and handlers of new events."""
    for name in ("spiff", "spiff.task", "spiff.workflow", "spiff.metrics"):
        logging.getLogger(name).setLevel(logging.WARNING)
    engine = RestrictedScriptEngine(script_functions(config.timezone, clock),
                                    Limits(seconds=config.script_budget_seconds), timezone=config.timezone)
    app = Batho(config=config, db=Database(config.database_url), codec=StateCodec(engine),
                specs=SpecCache(config.unassigned_task_role),
                clock=clock)
    app.db.handlers = Handlers(handlers(app))
    return app
