"""What notifications need of Batho (its configuration, database and clock), so notify never imports the root."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ..bpmn.specs import SpecCache
from ..config import Config
from ..db import Database


class Context(Protocol):
    """The part of `engine.composition.Batho` that writing and delivering messages uses."""

    config: Config
    db: Database
    specs: SpecCache  # the parsed diagrams: an SMS says the status in the diagram's words

    def now(self) -> datetime: ...
