"""Decision tables as Camunda 7 runs them: every hit policy, decisions that require decisions, FEEL cells, and
decision tables uploaded on their own."""

from __future__ import annotations

import io

import pytest
from SpiffWorkflow.exceptions import WorkflowException
from sqlalchemy import select

from engine.errors import DeploymentError
from engine.models import ProcessVersion
from engine.services import deployment
from tests.modeler.camunda_diagrams import decide, dmn, final_data, run, table

SIZES = [["< 10", '"small"'], ["[10..100]", '"medium"'], ["> 50", '"large"']]


def decided(batho, tables: str, data: dict, extra: str = "") -> dict:
    return final_data(run(batho, {"p.bpmn": decide("p", "size", extra)}, {"size.dmn": tables}, data))


def size_table(policy: str, rules=None, **kwargs) -> str:
    return dmn(table("size", policy, ["amount"], ["size"], rules or SIZES, **kwargs))


def test_unique_gives_the_one_matching_rule(batho):
    assert decided(batho, size_table("UNIQUE"), {"amount": 5})["size"] == "small"


def test_unique_with_two_matching_rules_is_an_error_naming_them(batho):
    with pytest.raises(WorkflowException) as failed:
        decided(batho, size_table("UNIQUE"), {"amount": 70})
    assert "rules 2 and 3 all match" in str(failed.value)


def test_unique_with_no_matching_rule_adds_nothing(batho):
    assert "size" not in decided(batho, size_table("UNIQUE", [["< 10", '"small"']]), {"amount": 50})


def test_first_gives_the_first_matching_rule(batho):
    assert decided(batho, size_table("FIRST"), {"amount": 70})["size"] == "medium"


def test_priority_gives_the_match_whose_output_comes_first_in_the_outputs_values(batho):
    tables = size_table("PRIORITY", output_values={"size": '"large","medium","small"'})
    assert decided(batho, tables, {"amount": 70})["size"] == "large"


def test_any_gives_the_result_all_matching_rules_agree_on(batho):
    rules = [["> 1", '"yes"'], ["> 2", '"yes"'], ["< 0", '"no"']]
    assert decided(batho, size_table("ANY", rules), {"amount": 5})["size"] == "yes"


def test_any_with_matching_rules_that_disagree_is_an_error(batho):
    with pytest.raises(WorkflowException) as failed:
        decided(batho, size_table("ANY"), {"amount": 70})
    assert "different results" in str(failed.value)


def test_collect_lists_every_matching_output(batho):
    assert decided(batho, size_table("COLLECT"), {"amount": 70})["size"] == ["medium", "large"]


@pytest.mark.parametrize(("aggregation", "expected"), [("SUM", 30), ("MIN", 10), ("MAX", 20), ("COUNT", 2)])
def test_collect_aggregates_with_sum_min_max_and_count(batho, aggregation, expected):
    rules = [["> 1", "10"], ["> 2", "20"], ["< 0", "40"]]
    tables = size_table("COLLECT", rules, aggregation=aggregation)
    assert decided(batho, tables, {"amount": 5})["size"] == expected


def test_rule_order_lists_the_matches_in_the_order_of_the_rules(batho):
    assert decided(batho, size_table("RULE ORDER"), {"amount": 70})["size"] == ["medium", "large"]


def test_output_order_lists_the_matches_in_the_order_of_the_outputs_values(batho):
    tables = size_table("OUTPUT ORDER", output_values={"size": '"large","medium","small"'})
    assert decided(batho, tables, {"amount": 70})["size"] == ["large", "medium"]


def test_the_result_variable_holds_the_mapped_result(batho):
    one = decided(batho, size_table("FIRST"), {"amount": 5},
                  ' camunda:resultVariable="chosen" camunda:mapDecisionResult="singleEntry"')
    many = decided(batho, size_table("COLLECT"), {"amount": 70},
                   ' camunda:resultVariable="chosen" camunda:mapDecisionResult="collectEntries"')
    assert (one["chosen"], many["chosen"]) == ("small", ["medium", "large"])


def test_feel_lists_negations_and_python_cells_all_run(batho):
    rules = [['"Travel Expenses","Misc"', '"ok"'], ['not("Software")', '"other"'], ["? == 'Software'", '"soft"']]
    tables = dmn(table("size", "FIRST", ["category"], ["size"], rules))
    assert [decided(batho, tables, {"category": c})["size"] for c in ("Misc", "Food", "Software")] == \
        ["ok", "other", "soft"]


def test_a_decision_uses_the_output_of_the_decisions_it_requires(batho):
    classify = table("classify", "UNIQUE", ["amount", "category"], ["classification"], [
        ["< 250", '"Misc"', '"day-to-day expense"'], ["[250..1000]", '"Misc"', '"budget"'],
        ["> 1000", "-", '"exceptional"']])
    approver = table("approver", "COLLECT", ["classification"], ["group"], [
        ['"day-to-day expense"', '"accounting"'], ['"budget", "exceptional"', '"management"'],
        ['"exceptional"', '"sales"']], requires=("classify",))
    files = {"invoice.dmn": dmn(classify, approver)}
    data = final_data(run(batho, {"p.bpmn": decide("p", "approver")}, files, {"amount": 1200, "category": "Misc"}))
    assert data["group"] == ["management", "sales"]


def deployed(batho, key: str) -> ProcessVersion:
    with batho.db.reading() as session:
        row = session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                              .order_by(ProcessVersion.version.desc()).limit(1)).one()
        session.expunge(row)
        return row


def decision_of(batho, key: str, amount: int) -> object:
    workflow = batho.codec.new(batho.specs.get(deployed(batho, key)))
    workflow.seed({"amount": amount})
    workflow.run(lambda step: None, lambda step: None)
    return final_data(workflow)["size"]


def test_a_dmn_only_upload_updates_the_processes_that_call_its_decisions(batho, client, bearer):
    deployment.deploy_sources(batho, {"calls_size.bpmn": decide("calls_size", "size"),
                                      "size.dmn": size_table("FIRST")})
    newer = size_table("FIRST", [["< 10", '"tiny"'], ["-", '"big"']])
    answer = client.post("/api/v1/processes", data={"file": [(io.BytesIO(newer.encode()), "size.dmn11.xml")]},
                         headers=bearer("owner"))
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.get_json()["deployed"] == [{"key": "calls_size", "version": 2, "created": True}]
    assert decision_of(batho, "calls_size", 5) == "tiny"


def test_a_diagram_deployed_later_calls_a_decision_deployed_before(batho):
    deployment.deploy_sources(batho, {"first.bpmn": decide("first", "size"), "size.dmn": size_table("FIRST")})
    deployment.deploy_sources(batho, {"later.bpmn": decide("later", "size")})
    assert decision_of(batho, "later", 70) == "medium" and "size.dmn" in deployed(batho, "later").dmn_files


def test_a_dmn_only_upload_no_process_calls_deploys_its_decision_alone(batho):
    made = deployment.deploy_sources(batho, {"unused.dmn": dmn(table("unused", "FIRST", ["a"], ["b"], [["-", "1"]]))},
                                     with_decisions=True)
    assert [(d.kind, d.key, d.version, d.created) for d in made] == [("decision", "unused", 1, True)]


@pytest.mark.parametrize(("tables", "words"), [
    (size_table("PRIORITY"), "no output lists its values in order of priority"),
    (size_table("COLLECT", aggregation="AVERAGE"), "only Collect aggregates, with sum, min, max or count"),
    (size_table("FIRST", [["[1..", '"x"']]), 'the test "[1.." is neither a FEEL test Batho reads'),
    (dmn('<decision id="size" name="Size"><literalExpression id="le"><text>1</text></literalExpression></decision>'),
     "is not a decision table"),
    (dmn(table("size", "FIRST", ["amount"], ["size"], [["-", '"a"']], requires=("size",))), "requires itself"),
])
def test_a_decision_batho_cannot_run_is_refused_at_deploy_naming_file_and_decision(batho, tables, words):
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(batho, {"calls.bpmn": decide("calls", "size"), "size.dmn": tables})
    problems = [p for p in refused.value.problems if words in p["message"]]
    assert problems and problems[0]["file"] == "size.dmn", refused.value.problems
