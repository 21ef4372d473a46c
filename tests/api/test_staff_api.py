"""The staff JSON API: tokens, tasks, cases, processes, health; and a complaint driven only through the APIs."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from engine.models import User
from engine.services import api_tokens, identity
from tests.fixtures.make import script_process
from tests.support.database import DEMO_PASSWORD, make_batho
from tests.support.drive import case, lodge, open_task
from web import create_app

WATER = {"category": "water", "description": "No water since Monday", "location": "12 Main St"}


def test_a_token_is_issued_for_a_correct_password_only(client):
    assert client.post("/api/v1/auth/token", json={"username": "agent", "password": "wrong"}).status_code == 401
    bad = client.post("/api/v1/auth/token", data="not json", content_type="text/plain")
    assert bad.status_code == 400 and "body" in bad.get_json()["errors"]
    good = client.post("/api/v1/auth/token", json={"username": "agent", "password": DEMO_PASSWORD})
    assert good.status_code == 200 and len(good.get_json()["token"]) > 30


def test_calls_without_a_live_token_are_401(client, batho, bearer):
    assert client.get("/api/v1/tasks").status_code == 401
    assert client.get("/api/v1/tasks", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    headers = bearer("agent")
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    revoked = client.get("/api/v1/tasks", headers=headers)
    assert revoked.status_code == 401 and "revoked" in revoked.get_json()["error"]
    assert revoked.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_expire(client, batho):
    issued = api_tokens.issue_token(batho, "agent", DEMO_PASSWORD, lifetime=timedelta(seconds=-1))
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {issued.token}"}).status_code == 401


def test_an_administrator_revokes_all_tokens_of_a_user(client, batho, bearer, people):
    headers = bearer("officer")
    assert api_tokens.revoke_tokens_of(batho, people["admin"], "officer") == 1
    assert client.get("/api/v1/tasks", headers=headers).status_code == 401


def test_task_list_and_detail_with_the_form(client, batho, bearer):
    reference = lodge(batho, dict(WATER))
    tasks = client.get("/api/v1/tasks", headers=bearer("agent")).get_json()["tasks"]
    [task] = [t for t in tasks if t["case_reference"] == reference]
    assert set(task) == {"id", "name", "title", "process", "case_reference", "lane", "assignee", "due_at",
                         "priority", "follow_up_at"}
    assert (task["name"], task["process"], task["assignee"]) == ("Task_triage", "complaint", None)
    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=bearer("agent")).get_json()
    fields = {f["id"]: f for f in detail["form"]["fields"]}
    assert fields["triage_outcome"]["required"] is True
    assert {"id": "accept", "name": "Accept: the department investigates"} in fields["triage_outcome"]["options"]
    assert detail["case"]["reference"] == reference
    assert client.get("/api/v1/tasks", headers=bearer("officer")).get_json()["tasks"] == []


def test_claim_unclaim_complete_and_their_errors(client, batho, bearer):
    reference = lodge(batho, dict(WATER))
    task_id = open_task(batho, reference, "Task_triage").id
    url = f"/api/v1/tasks/{task_id}"
    assert client.post(f"{url}/claim", headers=bearer("officer")).status_code == 403
    claimed = client.post(f"{url}/claim", headers=bearer("agent"))
    assert claimed.status_code == 200 and claimed.get_json()["assignee"] == "Thandi Mokoena"
    assert client.post(f"{url}/unclaim", headers=bearer("manager")).status_code == 403
    assert client.post(f"{url}/unclaim", headers=bearer("agent")).get_json()["assignee"] is None
    client.post(f"{url}/claim", headers=bearer("agent"))
    invalid = client.post(f"{url}/complete", json={"triage_outcome": "maybe"}, headers=bearer("agent"))
    assert invalid.status_code == 400 and "triage_outcome" in invalid.get_json()["errors"]
    done = client.post(f"{url}/complete", json={"triage_outcome": "accept"}, headers=bearer("agent"))
    assert done.status_code == 200
    assert done.get_json()["case"]["status"] == "investigating"
    assert [t["name"] for t in done.get_json()["case"]["tasks"]] == ["Task_investigate"]
    again = client.post(f"{url}/complete", json={"triage_outcome": "accept"}, headers=bearer("agent"))
    assert again.status_code == 409 and "no longer open" in again.get_json()["error"]


def test_a_task_claimed_by_someone_else_is_409(client, batho, bearer):
    with batho.db.transaction() as session:  # a second agent (users outlive the per-test cleanup)
        if session.scalars(select(User).where(User.username == "agent_two")).first() is None:
            identity.create_user(session, "agent_two", "Second Agent", DEMO_PASSWORD, ["customer_care_agent"],
                                 ["customer_care"])
    reference = lodge(batho, dict(WATER))
    task_id = open_task(batho, reference, "Task_triage").id
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=bearer("agent")).status_code == 200
    taken = client.post(f"/api/v1/tasks/{task_id}/claim", headers=bearer("agent_two"))
    assert taken.status_code == 409 and "claimed" in taken.get_json()["error"]
    held = client.post(f"/api/v1/tasks/{task_id}/complete", json={"triage_outcome": "accept"},
                       headers=bearer("agent_two"))
    assert held.status_code == 409 and "holds this task" in held.get_json()["error"]


def test_staff_capture_a_case_and_read_it(client, batho, bearer):
    created = client.post("/api/v1/cases", headers=bearer("agent"), json={
        "process": "complaint", "channel": "phone", "data": dict(WATER),
        "contact": {"name": "Jane", "phone": "058 813 9700", "language": "af"}})
    assert created.status_code == 201
    reference = created.get_json()["case_reference"]
    stored = case(batho, reference)
    assert (stored.channel, stored.citizen_language) == ("phone", "af")
    detail = client.get(f"/api/v1/cases/{reference}", headers=bearer("agent")).get_json()
    assert {"reference", "type", "status", "category", "department", "opened_at", "due_at", "closed_at", "events",
            "tasks"} <= set(detail)
    assert detail["department"] == "technical" and detail["events"][0]["kind"] == "started"
    assert "058 813 9700" not in str(detail), "contact details stay off the API"
    assert client.get(f"/api/v1/cases/{reference}", headers=bearer("owner")).status_code == 403
    assert client.get("/api/v1/cases/MAF-1999-000001", headers=bearer("agent")).status_code == 404
    bad = client.post("/api/v1/cases", headers=bearer("agent"), json={"data": {"category": "water"}})
    assert bad.status_code == 400 and "description" in bad.get_json()["errors"]
    assert client.post("/api/v1/cases", headers=bearer("agent"), json={"process": "nope"}).status_code == 404


def test_case_list_filters_and_pages(client, batho, bearer):
    water = [lodge(batho, dict(WATER)) for _ in range(3)]
    roads = lodge(batho, {**WATER, "category": "roads"})
    headers = bearer("manager")
    page = client.get("/api/v1/cases?category=water&per_page=2", headers=headers).get_json()
    assert (page["total"], page["page"], page["per_page"]) == (3, 1, 2)
    assert [c["reference"] for c in page["cases"]] == [water[2], water[1]]
    second = client.get("/api/v1/cases?category=water&per_page=2&page=2", headers=headers).get_json()
    assert [c["reference"] for c in second["cases"]] == [water[0]]
    assert [c["reference"] for c in client.get("/api/v1/cases?type=complaint&department=technical&status=registered"
                                               "&channel=web", headers=headers).get_json()["cases"]][0] == roads
    assert client.get("/api/v1/cases?per_page=500", headers=headers).status_code == 400
    assert client.get("/api/v1/cases?opened_from=yesterday", headers=headers).status_code == 400
    # Year 1 with a positive offset cannot be converted to UTC: it means "from the beginning", not a 500.
    early = client.get("/api/v1/cases?opened_from=0001-01-01T00%3A00%3A01%2B06%3A00", headers=headers)
    assert early.status_code == 200
    assert client.get("/api/v1/cases?opened_to=0001-01-01T00%3A00%3A01%2B06%3A00", headers=headers).status_code == 200


def test_process_owners_deploy_and_others_may_not(client, batho, bearer):
    files = {"file": [(io.BytesIO(script_process("api_demo", "x = 1").encode()), "api_demo.bpmn")]}
    assert client.post("/api/v1/processes", data=files, headers=bearer("agent")).status_code == 403
    files = {"file": [(io.BytesIO(script_process("api_demo", "x = 1").encode()), "api_demo.bpmn")]}
    deployed = client.post("/api/v1/processes", data=files, headers=bearer("owner"))
    assert deployed.status_code == 201 and deployed.get_json()["key"] == "api_demo"
    assert deployed.get_json()["version"] == 1
    processes = client.get("/api/v1/processes", headers=bearer("agent")).get_json()["processes"]
    assert {"api_demo", "complaint"} <= {p["key"] for p in processes}
    broken = {"file": [(io.BytesIO(b"<bpmn:definitions"), "broken.bpmn")]}
    refused = client.post("/api/v1/processes", data=broken, headers=bearer("owner"))
    assert refused.status_code == 400
    [problem] = refused.get_json()["errors"]
    assert set(problem) == {"file", "element_id", "rule", "message"} and "not well-formed" in problem["message"]
    wrong_kind = {"file": [(io.BytesIO(b"hello"), "notes.txt")]}
    assert client.post("/api/v1/processes", data=wrong_kind, headers=bearer("owner")).status_code == 400


def test_starting_a_case_on_the_newest_version(client, batho, bearer):
    started = client.post("/api/v1/processes/complaint/instances", headers=bearer("agent"),
                          json={"data": dict(WATER)})
    assert started.status_code == 201
    assert case(batho, started.get_json()["case_reference"]).channel == "api"
    assert client.post("/api/v1/processes/nope/instances", headers=bearer("agent"), json={}).status_code == 404


def test_healthz_reports_the_database(client, tmp_path):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "reachable"}
    unreachable = make_batho(f"sqlite:///{tmp_path}/missing/dir/batho.sqlite3", tmp_path)
    down = create_app(unreachable, {"TESTING": True}).test_client().get("/healthz")
    assert down.status_code == 503 and down.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_repeated_wrong_passwords_lock_the_account_out_of_the_api_for_a_while(client, batho):
    with batho.db.transaction() as session:  # an account of its own, so no other test meets the lockout
        if session.scalars(select(User).where(User.username == "api_guessed")).first() is None:
            identity.create_user(session, "api_guessed", "Guessed Password", DEMO_PASSWORD, ["meter_reader"], [])
    for _ in range(5):
        wrong = client.post("/api/v1/auth/token", json={"username": "api_guessed", "password": "guess"})
        assert wrong.status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": "api_guessed", "password": DEMO_PASSWORD})
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.get_json()["error"]
    assert int(locked.headers["Retry-After"]) > 0


def test_text_with_nul_characters_is_refused_with_a_sentence(client, bearer):
    no_such_name = client.post("/api/v1/auth/token", json={"username": "a\u0000b", "password": "x"})
    assert no_such_name.status_code == 401
    for response in (client.get("/api/v1/cases?status=a%00b", headers=bearer("agent")),
                     client.get("/api/v1/tasks/a%00b", headers=bearer("agent"))):
        assert response.status_code == 400 and "NUL" in response.get_json()["errors"]["body"]
    nul = client.post("/open311/v2/requests.json", data={"api_key": "x", "description": "a\u0000b"})
    assert nul.status_code == 400 and "NUL" in nul.get_json()[0]["description"]
