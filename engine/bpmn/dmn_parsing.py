"""Batho's decision tables inside SpiffWorkflow's parser: every decision of every DMN file, by id."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .call_binding import LateDecision
from .dmn import DecisionEngine, Table, engine_for, read_decisions
from .tolerance import tolerate_dmn


def missing_requirements(tables: dict[str, Table], decision_id: str) -> list[str]:
    """Decisions that `decision_id` requires, directly or not, that none of the files define."""
    missing, seen, todo = [], set(), [decision_id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in tables:
            missing.append(current)
            continue
        todo.extend(tables[current].requires)
    return missing


class DecisionParsing:
    """Mixed into the BPMN/DMN parser: DMN files hold several decisions; business rule tasks get Batho's engine."""

    decision_tables: dict[str, Table]

    def add_dmn_xml(self, node: Any, filename: str | None = None) -> None:
        tolerate_dmn(node)
        super().add_dmn_xml(node, filename)  # type: ignore[misc]  # the schema check, and Spiff's own register
        if not hasattr(self, "decision_tables"):
            self.decision_tables = {}
        tables, _ = read_decisions(node)  # the lint reports what cannot run; the parser takes what it can
        self.decision_tables.update(tables)
        first = self.dmn_parsers.get(next(iter(tables), ""))  # type: ignore[attr-defined]
        for decision_id in tables:  # SpiffWorkflow looks decisions up here
            if first is not None:
                self.dmn_parsers.setdefault(decision_id, first)  # type: ignore[attr-defined]

    def get_engine(self, decision_ref: str, node: Any) -> DecisionEngine:
        tables = getattr(self, "decision_tables", {})
        missing = missing_requirements(tables, decision_ref)
        if missing == [decision_ref]:  # deployed nowhere: looked for when a case reaches the task
            return LateDecision(decision_ref, node)
        if missing:
            have = ", ".join(sorted(tables)) or "none"
            what = ("is not in the files" if decision_ref in missing
                    else f"requires {', '.join(missing)}, not in the files")
            raise ValidationException(f'Decision "{decision_ref}" {what} (decisions here: {have}).', node=node,
                                      file_name="")
        return engine_for(tables, decision_ref, node)
