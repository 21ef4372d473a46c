"""A diagram drawn outside Batho (Camunda Modeler, SpiffWorkflow's lane-example style) deploys, runs, and each
of its tasks reaches the people of its lane and nobody else."""

from __future__ import annotations

from pathlib import Path

from engine.services import cases, modeling, tasks
from tests.support.drive import do, instance, open_tasks

DIAGRAM = Path(__file__).parent / "data" / "street_light_request.bpmn"


def titles(batho, who, reference: str) -> list[str]:
    return sorted(t.title for t in tasks.available_tasks(batho, who) if t.case_reference == reference)


def test_an_outside_diagram_deploys_runs_and_reaches_the_right_lists(batho, people):
    [deployed] = modeling.deploy(batho, people["owner"], {DIAGRAM.name: DIAGRAM.read_text(encoding="utf-8")})
    assert (deployed.key, deployed.created) == ("street_light_request", True)
    reference = cases.start_process(batho, "street_light_request", {"description": "Dark corner"}, "walk_in",
                                    people["agent"].id)

    assert titles(batho, people["agent"], reference) == ["Record the request"]
    assert titles(batho, people["officer"], reference) == []
    do(batho, people["agent"], reference, "Activity_0request", street="Church Street")

    assert titles(batho, people["officer"], reference) == ["Anything unclear?"]
    assert titles(batho, people["officer_finance"], reference) == ["Anything unclear?"]  # no department named
    assert titles(batho, people["agent"], reference) == []
    do(batho, people["officer"], reference, "Activity_0questions", need_clarification="on")

    assert titles(batho, people["agent"], reference) == ["Clarify the request"]
    do(batho, people["agent"], reference, "Activity_1clarify", clarification="Near the taxi rank")

    assert titles(batho, people["officer"], reference) == ["Install the light"]
    do(batho, people["officer"], reference, "Activity_1install")

    assert titles(batho, people["supervisor"], reference) == ["Accept the contractor's work"]
    assert titles(batho, people["officer"], reference) == []
    do(batho, people["supervisor"], reference, "Activity_0handover")
    assert titles(batho, people["supervisor"], reference) == ["Switch on and check at night"]
    do(batho, people["supervisor"], reference, "Activity_1switchon")

    assert open_tasks(batho, reference) == []
    assert instance(batho, reference).status == "completed"


def test_the_default_path_skips_the_clarification(batho, people):
    modeling.deploy(batho, people["owner"], {DIAGRAM.name: DIAGRAM.read_text(encoding="utf-8")})
    reference = cases.start_process(batho, "street_light_request", {}, "walk_in")
    do(batho, people["agent"], reference, "Activity_0request", street="Voortrekker Street")
    do(batho, people["officer"], reference, "Activity_0questions")  # the box left unticked: No
    assert open_tasks(batho, reference) == ["Activity_1install"]
