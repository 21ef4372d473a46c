"""The corpus benchmark's form filler picks values that take each path a condition guards."""

from __future__ import annotations

from benchmarks.corpus_filler import attempts, candidates, chosen, value_for
from engine.bpmn.forms import Field, Option
from tests.fixtures.make import process

GATEWAY = process("filler", """
    <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="gw" />
    <bpmn:endEvent id="big" /><bpmn:endEvent id="small" /><bpmn:endEvent id="other" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="f1" sourceRef="gw" targetRef="big">
      <bpmn:conditionExpression>${amount &gt; 1000 &amp;&amp; decision == "accept"}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="small">
      <bpmn:conditionExpression>${!approved}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="other">
      <bpmn:conditionExpression>${invoiceId != null}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
""")


def test_each_comparison_gives_a_value_that_takes_the_path_and_one_that_does_not():
    found = candidates([GATEWAY])
    assert found == {"amount": [1001, 1000], "decision": ["accept", "accept (other)"], "approved": [False, True],
                     "invoiceId": ["x", None]}
    assert attempts(found) == 2
    assert chosen(found, 0) == {"amount": 1001, "decision": "accept", "approved": False, "invoiceId": "x"}
    assert chosen(found, 1)["amount"] == 1000


def test_form_fields_take_the_condition_value_in_their_own_type_or_a_valid_one():
    variables = {"amount": 1001, "approved": False, "decision": "accept"}
    assert value_for(Field("amount", "Amount", "long"), variables) == "1001"
    assert value_for(Field("approved", "Approved", "boolean"), variables) == "false"
    choice = Field("decision", "Decision", "enum", options=(Option("reject", "Reject"), Option("accept", "Accept")))
    assert value_for(choice, variables) == "accept"
    assert value_for(Field("when", "When", "date", default="10/01/2013"), {}) != "10/01/2013"  # not ISO: today
    assert value_for(Field("note", "Note", "string", minlength=3), {}) == "xxx"
