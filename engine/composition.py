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


def build(config: Config, clock: Callable[[], datetime] = _now) -> Batho:
    """Assemble Batho for `config`."""
    for name in ("spiff", "spiff.task", "spiff.workflow", "spiff.metrics"):
        logging.getLogger(name).setLevel(logging.WARNING)
    engine = RestrictedScriptEngine(script_functions(config.timezone, clock),
                                    Limits(seconds=config.script_budget_seconds))
    app = Batho(config=config, db=Database(config.database_url), codec=StateCodec(engine), specs=SpecCache(),
                clock=clock)
    from .notify.outbox import install as install_outbox

    install_outbox(app)  # notifications are written in the same transaction as the change causing them
    return app
