"""Bare SpiffWorkflow 3.2 on the benchmark's three-task diagram: the engine's own speed, for the API's ratio.

Usage:
    python -m benchmarks.bare_spiff --instances 300

As SpiffWorkflow's own examples use it: the Camunda parser, the library's JSON serializer (spec included, as its
default does), and a full serialise/deserialise round trip around every task completion. One thread, one core.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState

DIAGRAM = Path(__file__).parent / "diagrams" / "three_tasks.bpmn"
PROCESS = "bench_three"


def measure(instances: int = 300) -> float:
    """Task completions per second, three per instance."""
    parser = CamundaParser()
    parser.add_bpmn_file(str(DIAGRAM))
    spec, subprocesses = parser.get_spec(PROCESS), parser.get_subprocess_specs(PROCESS)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))
    completions = 0
    started = time.perf_counter()
    for n in range(instances):
        workflow = BpmnWorkflow(spec, subprocesses)
        workflow.do_engine_steps()
        state = serializer.serialize_json(workflow)
        while True:
            workflow = serializer.deserialize_json(state)
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                break
            ready[0].set_data(outcome=f"done {n}")
            ready[0].run()
            workflow.do_engine_steps()
            state = serializer.serialize_json(workflow)
            completions += 1
        assert workflow.completed
    return completions / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=300)
    args = parser.parse_args()
    print(f"bare SpiffWorkflow, three-task diagram: {measure(args.instances):.0f} completions/s")


if __name__ == "__main__":
    main()
