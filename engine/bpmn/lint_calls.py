"""The lint's rule for call activities that call back the process they are in, directly or through others.

A deployment bundles every process its call activities call (a calledElement outside the files is refused), so
the cycles that can run are all within the files of one deployment; the run-time nesting cap in `budget.py`
covers diagrams stored some other way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .lint_text import Found, label

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _calls(root: Any) -> Iterator[tuple[str, Any, str]]:
    """(calling process id, call activity element, called process id) for each call activity of a document."""
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        for call in process.iter(f"{{{BPMN_NS}}}callActivity"):
            called = (call.get("calledElement") or "").strip()
            if process.get("id") and called:
                yield process.get("id"), call, called


def _path(graph: Mapping[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The processes from `start` to `goal` along calls, or None when `goal` cannot be reached."""
    todo, came_from = [start], {start: ""}
    while todo:
        current = todo.pop()
        if current == goal:
            path = [current]
            while came_from[path[-1]]:
                path.append(came_from[path[-1]])
            return path[::-1]
        for following in sorted(graph.get(current, ())):
            if following not in came_from:
                came_from[following] = current
                todo.append(following)
    return None


def call_cycles(roots: Mapping[str, Any]) -> list[tuple[str, Found]]:
    """(file, problem) for every call activity whose called process leads back to its own process."""
    graph: dict[str, set[str]] = {}
    calls = [(file, caller, call, called) for file, root in roots.items() for caller, call, called in _calls(root)]
    for _, caller, _, called in calls:
        graph.setdefault(caller, set()).add(called)
    found = []
    for file, caller, call, called in calls:
        path = _path(graph, called, caller)
        if path is None:
            continue
        if path == [caller]:
            how = f'calls its own process "{caller}"'
        else:
            how = f'calls process "{called}", which leads back to "{caller}" ({" → ".join([caller, *path])})'
        found.append((file, Found(call, "call-cycle", f"{label(call)} {how}: every case would nest calls without "
                                                      "end. Remove the call or call a process that does not call "
                                                      "back.")))
    return found
