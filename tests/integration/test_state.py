"""Instance state round-trips through SpiffWorkflow's serializer at every step, without the spec inside."""

from __future__ import annotations

import json

from engine import instances
from engine.models import ProcessInstance
from tests.support.drive import do, instance, lodge, open_tasks


def _roundtrip(batho, reference):
    row = instance(batho, reference)
    with batho.db.transaction() as session:
        running = instances.load(batho, session, row.id)
        again = batho.codec.dump(running.workflow)
    return row.state, again


def test_state_survives_a_round_trip_at_every_step(batho, people):
    reference = lodge(batho)
    steps = [("agent", "Task_triage", {"triage_outcome": "accept"}),
             ("officer", "Task_investigate", {"findings": "f", "corrective_action": "c"}),
             ("supervisor", "Task_approve", {"decision": "reject", "supervisor_comment": "again"}),
             ("officer", "Task_investigate", {"findings": "f", "corrective_action": "c2"})]
    for username, task, values in steps:
        stored, again = _roundtrip(batho, reference)
        assert batho.codec.as_json(stored) == batho.codec.as_json(again)
        do(batho, people[username], reference, task, **values)


def test_the_spec_is_not_stored_in_the_instance(batho):
    state = batho.codec.as_json(instance(batho, lodge(batho)).state)
    assert "spec" not in state and "subprocess_specs" not in state
    assert "complaint_routing" not in json.dumps(state)


def test_state_saved_before_it_named_its_type_and_version_still_loads(batho, people):
    """Rows written before the codec used the serializer's own registry carry no typename or version key."""
    reference = lodge(batho)
    row = instance(batho, reference)
    old = {k: v for k, v in batho.codec.as_json(row.state).items() if k not in ("typename", "serializer_version")}
    with batho.db.transaction() as session:
        session.get(ProcessInstance, row.id).state = json.dumps(old, separators=(",", ":")).encode()
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert batho.codec.as_json(instance(batho, reference).state)["serializer_version"] == batho.codec.version


def test_state_is_stored_compressed_and_plain_json_written_before_still_loads(batho, people):
    reference = lodge(batho)
    row = instance(batho, reference)
    assert isinstance(row.state, bytes) and not row.state.startswith(b"{")
    assert len(row.state) < len(json.dumps(batho.codec.as_json(row.state))) / 4
    with batho.db.transaction() as session:  # as rows were stored before the state was compressed
        session.get(ProcessInstance, row.id).state = json.dumps(batho.codec.as_json(row.state), separators=(",", ":")).encode()
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    assert open_tasks(batho, reference) == ["Task_investigate"]
    assert not instance(batho, reference).state.startswith(b"{")
