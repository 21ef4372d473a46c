"""Two real web processes (waitress; gunicorn with two processes) and two real workers on one PostgreSQL database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from engine.models import Case, CaseEvent, HumanTask, Notification, ScheduledRun
from engine.services import api_tokens, cases, deployment
from tests.fixtures.make import timer_process
from tests.notify.conftest import MailServer, free_port
from tests.support.database import DEMO_PASSWORD

pytestmark = pytest.mark.postgres
LODGED_PER_WEB, TICKS = 8, 6


def call(port: int, path: str, body: dict | None = None, form: dict | None = None,
         token: str | None = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else urllib.parse.urlencode(form).encode() if form else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data else "GET")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_ready(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):
        assert process.poll() is None, process.communicate()[0]
        try:
            if call(port, "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the web process on {port} did not get ready")


@pytest.fixture
def several(batho, tmp_path: Path):
    if batho.db.is_sqlite:
        pytest.skip("several processes share one PostgreSQL database (.ci/run runs this on PostgreSQL)")
    deployment.deploy_sources(batho, {"tick.bpmn": timer_process("tick", "&quot;PT1S&quot;")})
    api_tokens.ensure_demo_key(batho)
    mail = MailServer()
    mail.start()
    today = datetime.now(ZoneInfo(batho.config.timezone)).strftime("%A").lower()
    env = {**os.environ, "BATHO_DATABASE_URL": batho.config.database_url, "BATHO_INSTANCE_PATH": str(tmp_path),
           "BATHO_SECRET_KEY": "several-processes-share-this-secret-key", "BATHO_WORKER_INTERVAL": "0.5",
           "BATHO_SMTP_HOST": "127.0.0.1", "BATHO_SMTP_PORT": str(mail.port), "BATHO_TASK_BATCH_MINUTES": "0",
           "BATHO_SUGGESTION_BOX_DAY": today, "BATHO_SUGGESTION_BOX_TIME": "00:00", "BATHO_POLICY_REVIEW_DATE": "01-01"}
    env.pop("BATHO_ENV", None)
    batho_cli = [sys.executable, "-c", "from web.cli import main; main()"]
    ports = [free_port(), free_port()]
    started = [subprocess.Popen(batho_cli + ["serve"] + extra, env={**env, "PORT": str(port)}, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for port, extra in zip(ports, ([], ["--processes", "2", "--threads", "4"]), strict=True)]
    workers = [subprocess.Popen(batho_cli + ["worker"], env=env, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT) for _ in range(2)]
    try:
        for port, process in zip(ports, started, strict=True):
            wait_ready(port, process)
        yield ports, mail
    finally:
        for process in started + workers:
            process.terminate()
        for process in started + workers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        mail.stop()
        assert all(w.returncode == 0 for w in workers), [w.communicate()[0][-2000:] for w in workers]


def lodge(port: int, n: int) -> int:
    status, _ = call(port, "/open311/v2/requests.json", form={
        "api_key": api_tokens.DEMO_KEY, "service_code": "complaint-water", "email": f"c{port}-{n}@example.org",
        "description": f"No water in street {n}", "address_string": f"{n} Main Street"})
    return status


def test_lodging_and_completing_through_two_webs_with_two_workers(several, batho):
    ports, mail = several
    for _ in range(TICKS):
        cases.lodge(batho, "tick", {}, cases.Contact(), "web")
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda job: lodge(*job), [(p, n) for p in ports for n in range(LODGED_PER_WEB)]))
    assert statuses == [201] * (2 * LODGED_PER_WEB)
    tokens = {}
    for port in ports:
        status, body = call(port, "/api/v1/auth/token", {"username": "agent", "password": DEMO_PASSWORD})
        assert status == 200, body
        tokens[port] = body["token"]
    with batho.db.reading() as session:
        triage = list(session.scalars(select(HumanTask.id).where(HumanTask.task_name == "Task_triage")))
    assert len(triage) == 2 * LODGED_PER_WEB

    def complete(job: tuple[str, int]) -> int:
        task_id, port = job
        return call(port, f"/api/v1/tasks/{task_id}/complete", {"triage_outcome": "accept"}, token=tokens[port])[0]

    # Every triage task completed twice at once, through both web processes: exactly one of each pair counts.
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(complete, [(task_id, port) for task_id in triage for port in ports]))
    assert Counter(outcomes)[200] == len(triage), Counter(outcomes)
    assert set(outcomes) <= {200, 409}, Counter(outcomes)

    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        with batho.db.reading() as session:
            waiting = session.scalar(select(func.count(Notification.id)).where(
                Notification.status.in_(("pending", "sending", "batch")))) or 0
            ticked = session.scalar(select(func.count(HumanTask.id)).where(HumanTask.process_key == "tick")) or 0
            runs = session.scalar(select(func.count(ScheduledRun.id))) or 0
        if not waiting and ticked == TICKS and runs == 2:
            break
        time.sleep(0.5)
    with batho.db.reading() as session:
        investigate = Counter(session.scalars(select(HumanTask.case_id).where(HumanTask.task_name == "Task_investigate")))
        completed = Counter(session.scalars(select(CaseEvent.case_id).where(
            CaseEvent.kind == "completed", CaseEvent.task_name == "Task_triage")))
        timer_events = Counter(session.scalars(select(CaseEvent.case_id).join(Case, Case.id == CaseEvent.case_id)
                                               .where(Case.case_type == "tick", CaseEvent.kind == "timer")))
        ticked = Counter(session.scalars(select(HumanTask.case_id).where(HumanTask.process_key == "tick")))
        runs = Counter(session.scalars(select(ScheduledRun.schedule)))
        sent = session.scalar(select(func.count(Notification.id)).where(Notification.status == "sent")) or 0
        waiting = session.scalar(select(func.count(Notification.id)).where(
            Notification.status.in_(("pending", "sending", "failed"))))
    # No lost update: one investigation and one triage completion per case.
    assert len(investigate) == len(triage) and set(investigate.values()) == {1}
    assert sorted(completed.values()) == [1] * len(triage), completed
    # Every timer fired once, every scheduled run started once.
    assert len(timer_events) == TICKS and set(timer_events.values()) == {1}
    assert len(ticked) == TICKS and set(ticked.values()) == {1}
    assert runs == {"suggestion_box": 1, "policy_review": 1}
    # Every outbox message sent once.
    ids = Counter(m["Message-ID"] for m in mail.inbox.messages)
    assert waiting == 0 and sent >= 2 * LODGED_PER_WEB
    assert len(ids) == sent and set(ids.values()) == {1}
