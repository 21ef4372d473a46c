"""Operations: /readyz (database, migrations at head, specs), /metrics behind its token, JSON log lines."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from engine import schema
from engine.composition import build
from engine.config import Config
from engine.services import deployment
from tests.support.drive import do, lodge
from tests.support.web import Browser
from web import create_app
from web.logs import JsonLines

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def ops_app(batho) -> Flask:
    batho.config = replace(batho.config, metrics_token=TOKEN, metrics_allow=("10.9.0.0/16",))
    deployment.warm_spec_cache(batho)
    return create_app(batho, {"TESTING": True})


def sample(page: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", page, re.M)
    assert found, f"no {name} {labels} in the metrics"
    return float(found.group(1))


def test_readyz_is_ready_on_a_migrated_database_with_specs(ops_app):
    response = ops_app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ready", "database": True, "migrations": True, "specs": True,
                                   "problems": []}


def test_readyz_is_not_ready_while_migrations_are_behind(tmp_path: Path):
    app = build(Config(database_url=f"sqlite:///{tmp_path / 'behind.sqlite3'}", secret_key="x",
                       instance_path=tmp_path))
    schema.upgrade(app.db, "0009_case_search")
    response = create_app(app, {"TESTING": True}).test_client().get("/readyz")
    app.db.dispose()
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] is True and body["migrations"] is False
    assert any("0009_case_search" in p and "batho db upgrade" in p for p in body["problems"])


def test_metrics_need_the_token_or_an_allowed_address(ops_app):
    client = ops_app.test_client()
    refused = client.get("/metrics")
    assert refused.status_code == 403 and "BATHO_METRICS_TOKEN" in refused.get_json()["error"]
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.9.3.4"}).status_code == 200


def test_metrics_after_a_known_burst(ops_app, batho, people):
    references = [lodge(batho, email=f"c{n}@example.org") for n in range(5)]
    for reference in references[:2]:
        do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept")
    client = ops_app.test_client()
    for _ in range(3):
        client.get("/")
    page = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    assert sample(page, "batho_cases") == 5
    assert sample(page, "batho_open_tasks", process="complaint", step="Task_triage") == 3
    assert sample(page, "batho_open_tasks", process="complaint", step="Task_investigate") == 2
    assert sample(page, "batho_instances_in_error") == 0
    assert sample(page, "batho_timers_late") == 0
    backlog = sum(float(v) for v in re.findall(r'^batho_outbox_messages\{status="(?:pending|sending)"\} (\S+)$',
                                               page, re.M))
    assert backlog == 7  # five acknowledgements and two "accepted" notes wait for the worker
    assert sample(page, "batho_outbox_messages", status="batch") == 7  # new-task notices for staff, to batch
    assert sample(page, "batho_request_seconds_count", method="GET", route="/") >= 3


def test_json_log_lines_carry_a_request_id_and_no_contact_or_message_text(ops_app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        citizen = Browser(ops_app.test_client())
        form = {"category": "water", "description": "Secret leak behind house 7", "location": "12 Main St",
                "email": "thabo@example.org", "phone": "082 555 1234"}
        response = citizen.post("/lodge/complaint", form, page="/lodge/complaint",
                                headers={"X-Request-ID": "req-abc123"})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        logging.getLogger("batho.test").info("contact thabo@example.org or 082 555 1234")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    posted = [line for line in lines if line.get("method") == "POST" and line.get("route") == "/lodge/<process_key>"]
    assert posted and posted[0]["request_id"] == "req-abc123" and posted[0]["status"] == 302
    text = stream.getvalue()
    assert "thabo@example.org" not in text and "555 1234" not in text and "Secret leak" not in text
    assert "[email]" in text and "[phone]" in text
    assert response.headers["X-Request-ID"] == "req-abc123"
