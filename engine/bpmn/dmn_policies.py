"""Hit policies of a decision table, as Camunda 7 applies them to the rules that matched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

SINGLE = ("UNIQUE", "FIRST", "PRIORITY", "ANY")
MULTIPLE = ("COLLECT", "RULE ORDER", "OUTPUT ORDER")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")


@dataclass(frozen=True)
class Row:
    """A rule that matched: its row number in the table and its outputs by name."""

    number: int
    outputs: dict[str, Any]


class PolicyError(Exception):
    """The matched rules break the table's hit policy (two Unique rules, disagreeing Any rules)."""


def check_policy(policy: str, aggregation: str | None, outputs: list[str],
                 priorities: list[list[Any]]) -> Iterator[str]:
    """Sentences (after the decision's name) for a hit policy that cannot be run as written."""
    if policy not in SINGLE + MULTIPLE:
        yield (f'uses the hit policy "{policy}", which Camunda 7 does not define. Use Unique, First, Priority, Any, '
               "Collect, Rule order or Output order.")
        return
    if aggregation and (policy != "COLLECT" or aggregation not in AGGREGATIONS):
        yield (f"aggregates with {aggregation}; only Collect aggregates, with sum, min, max or count.")
    if aggregation and aggregation != "COUNT" and len(outputs) != 1:
        yield f"aggregates {len(outputs)} outputs with {aggregation}; an aggregation needs exactly one output."
    if policy in ("PRIORITY", "OUTPUT ORDER") and not any(priorities):
        yield (f"uses the hit policy {policy.title()} but no output lists its values in order of priority. Give the "
               'output its values, for example "high","medium","low".')


def _rank(row: Row, outputs: list[str], priorities: list[list[Any]]) -> tuple[int, ...]:
    ranks = []
    for name, allowed in zip(outputs, priorities, strict=True):
        value = row.outputs.get(name)
        ranks.append(allowed.index(value) if value in allowed else len(allowed))
    return tuple(ranks)


def _numbers(name: str, values: list[Any], aggregation: str) -> list[Any]:
    found = [v for v in values if v is not None]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in found):
        if aggregation in ("MIN", "MAX") and all(isinstance(v, str) for v in found):
            return found
        raise PolicyError(f'Output "{name}" has values that are not numbers ({found!r}): {aggregation.lower()} '
                          "needs numbers.")
    return found


def _aggregate(decision: str, aggregation: str, outputs: list[str], rows: list[Row]) -> list[dict[str, Any]]:
    if aggregation == "COUNT":
        return [{name: len(rows) for name in outputs}]
    name = outputs[0]
    values = _numbers(name, [row.outputs.get(name) for row in rows], aggregation)
    if not values:
        return [{name: None}]
    combine: dict[str, Callable[[list[Any]], Any]] = {"SUM": sum, "MIN": min, "MAX": max}
    total = combine[aggregation](values)
    return [{name: total}]


def _rules(rows: list[Row]) -> str:
    numbers = [str(row.number) for row in rows]
    return ", ".join(numbers[:-1]) + f" and {numbers[-1]}"


def apply_policy(decision: str, policy: str, aggregation: str | None, outputs: list[str],
                 priorities: list[list[Any]], rows: list[Row]) -> list[dict[str, Any]]:
    """The decision's results (one dict of outputs each) from the rules that matched, in table order."""
    if policy == "UNIQUE" and len(rows) > 1:
        raise PolicyError(f'Decision "{decision}" has the hit policy Unique, but rules {_rules(rows)} all match '
                          "these inputs. Make the rules exclusive, or choose the hit policy First or Collect.")
    if policy == "ANY" and len({repr(sorted(row.outputs.items())) for row in rows}) > 1:
        raise PolicyError(f'Decision "{decision}" has the hit policy Any, but rules {_rules(rows)} match these '
                          "inputs with different results. Give them the same result, or use another hit policy.")
    if policy in ("PRIORITY", "OUTPUT ORDER"):
        rows = sorted(rows, key=lambda row: _rank(row, outputs, priorities))  # stable: table order breaks ties
    if policy in SINGLE:
        return [dict(rows[0].outputs)] if rows else []
    if aggregation:
        return _aggregate(decision, aggregation, outputs, rows)
    return [dict(row.outputs) for row in rows]
