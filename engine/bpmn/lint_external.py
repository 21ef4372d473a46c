"""The lint's rule for external tasks: a service or send task a worker does needs a topic to be fetched by."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .external import TOPIC, TYPE
from .lint_text import Found, label


def external_problems(root: Any) -> Iterator[Found]:
    """External tasks without a topic (no worker could ever fetch them)."""
    for el in root.iter("{*}serviceTask", "{*}sendTask", "{*}businessRuleTask"):
        if el.get(TYPE) != "external":
            continue
        if el.tag.endswith("businessRuleTask"):
            yield Found(el, "external", f"{label(el)} is an external decision task. Batho evaluates decision "
                                        "tables itself: give it a DMN decision (camunda:decisionRef), or make it "
                                        "a service task if a worker decides.")
        elif not (el.get(TOPIC) or "").strip():
            yield Found(el, "external", f"{label(el)} is an external task without a topic, so no worker could "
                                        "fetch it. Give it a topic (Implementation: External, Topic) that your "
                                        "worker asks for.")
