"""A complaint from an Open311 POST to closure, driven only through /open311/v2 and /api/v1."""

from __future__ import annotations

from tests.api.test_open311 import POTHOLE


def work(client, headers, reference, task_name, **values):
    """Find the task in the caller's list, claim it and complete it, all over HTTP."""
    tasks = client.get("/api/v1/tasks", headers=headers).get_json()["tasks"]
    [task] = [t for t in tasks if t["case_reference"] == reference and t["name"] == task_name]
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=headers).status_code == 200
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", json=values, headers=headers)
    assert done.status_code == 200, done.get_data(as_text=True)
    return done.get_json()["case"]


def test_a_pothole_reported_through_open311_is_worked_and_closed_through_the_staff_api(client, demo_key, bearer):
    posted = client.post("/open311/v2/requests.json", data={**POTHOLE, "api_key": demo_key})
    assert posted.status_code == 201
    reference = posted.get_json()[0]["service_request_id"]
    agent, officer, supervisor = bearer("agent"), bearer("officer"), bearer("supervisor")

    assert work(client, agent, reference, "Task_triage", triage_outcome="accept")["status"] == "investigating"
    work(client, officer, reference, "Task_investigate", findings="A 30 cm pothole", corrective_action="Patch it")
    assert work(client, supervisor, reference, "Task_approve", decision="approve")["status"] == "action_scheduled"
    work(client, officer, reference, "Task_implement", implementation_outcome="Patched with asphalt",
         completed_on="2026-11-27")
    responded = work(client, agent, reference, "Task_respond", explanation="Heavy rain broke the surface.",
                     remedy="We patched the road.")
    assert responded["status"] == "responded"
    closed = work(client, agent, reference, "Task_satisfaction", satisfaction="satisfied")
    assert closed["status"] == "closed" and closed["closed_at"] and closed["tasks"] == []

    [public] = client.get(f"/open311/v2/requests/{reference}.json").get_json()
    assert public["status"] == "closed"
    # What staff wrote to the citizen stays with the citizen: the public list says where the case stands.
    assert public["status_notes"] == "We have responded; we will ask whether you are satisfied."
    assert "patched" not in str(public)
    assert public["notes"][-1]["type"] == "closed"
    assert reference in [r["service_request_id"] for r in
                         client.get("/open311/v2/requests.json?status=closed").get_json()]
    case = client.get(f"/api/v1/cases/{reference}", headers=agent).get_json()
    assert case["closed_at"] and [e["kind"] for e in case["events"]].count("completed") == 6
