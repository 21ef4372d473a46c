"""Task list pages with many open tasks: milliseconds per page for each list, filter, sort and page depth.

Usage:
    python -m benchmarks.tasklist                        # 20,000 open tasks in a throw-away SQLite file
    python -m benchmarks.tasklist --tasks 50000
    python -m benchmarks.tasklist --postgres postgresql+psycopg://postgres@127.0.0.1:5432

Rows are written straight into the read model (cases, instances, human_tasks) as the engine would leave them,
so the figures measure the list queries alone. On PostgreSQL it creates and drops its own database.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks.lifecycle import database
from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import Case, HumanTask, ProcessInstance, ProcessVersion
from engine.services import deployment, identity, worklist
from engine.services.identity import authenticate

TASKS = [("Task_triage", "Triage complaint", "customer_care_agent", None),
         ("Task_investigate", "Investigate and propose corrective action", "department_officer", "dept"),
         ("Task_approve", "Approve corrective action", "supervisor", "dept")]
DEPARTMENTS = ["technical", "community", "finance", "customer_care"]
CATEGORIES = ["water", "electricity", "roads", "refuse", "billing", "other"]


def fill(app, count: int) -> None:
    """`count` open cases, each with one open task, a tenth of them claimed, some overdue."""
    rng = random.Random(4)
    now = app.now()
    with app.db.transaction() as session:
        version_id = session.scalar(select(ProcessVersion.id).where(ProcessVersion.key == "complaint"))
        users = list(range(1, 15))
        for start in range(0, count, 2000):
            batch = range(start, min(count, start + 2000))
            cases = [{"id": n + 1, "reference": f"MAF-2026-{n + 1:06d}", "case_type": "complaint", "channel": "web",
                      "status": rng.choice(["registered", "investigating"]), "category": rng.choice(CATEGORIES),
                      "department_code": rng.choice(DEPARTMENTS), "summary": "Benchmark case",
                      "citizen_name": f"Citizen {n}", "citizen_language": "en",
                      "opened_at": now - timedelta(hours=n % 900), "due_at": now + timedelta(hours=rng.randint(-200,
                                                                                                                 400))}
                     for n in batch]
            session.execute(insert(Case), cases)
            session.execute(insert(ProcessInstance), [
                {"id": c["id"], "version_id": version_id, "case_id": c["id"], "status": "running", "state": "{}",
                 "serializer_version": "1.4", "lock_version": 1, "created_at": now, "updated_at": now}
                for c in cases])
            rows = []
            for c in cases:
                name, title, role, dept = rng.choice(TASKS)
                rows.append({"id": str(uuid.uuid4()), "instance_id": c["id"], "case_id": c["id"],
                             "process_key": "complaint", "task_name": name, "title": title, "candidate_role": role,
                             "candidate_department": c["department_code"] if dept else None,
                             "assignee_id": rng.choice(users) if rng.random() < 0.1 else None,
                             "created_at": c["opened_at"], "due_at": c["due_at"]})
            session.execute(insert(HumanTask), rows)


def timed(label: str, call, repeat: int = 5) -> None:
    call()  # warm the caches once
    started = time.perf_counter()
    for _ in range(repeat):
        page = call()
    elapsed = (time.perf_counter() - started) / repeat * 1000
    print(f"{label:<58} {elapsed:8.1f} ms   ({page.total} matching, {len(page.rows)} shown)")


def run(url: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(instance),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        identity.seed_demo(app, "bench")
        deployment.deploy_directory(app, app.config.workflows_path)
        started = time.perf_counter()
        fill(app, count)
        print(f"{count} open tasks written in {time.perf_counter() - started:.1f} s on {url.split(':')[0]}")
        agent, officer = authenticate(app, "agent", "bench"), authenticate(app, "officer", "bench")
        assert agent and officer
        q = worklist.TaskQuery
        last = max(1, -(-count // 4 // worklist.PAGE_SIZE))
        timed("agent: unassigned, by due time, page 1", lambda: worklist.task_page(app, agent, q(view="unassigned")))
        timed("agent: my groups' tasks, by age, page 1", lambda: worklist.task_page(app, agent, q(view="groups",
                                                                                                sort="age")))
        timed(f"agent: my groups' tasks, page {last}",
              lambda: worklist.task_page(app, agent, q(view="groups", page=last)))
        timed("agent: overdue, department technical", lambda: worklist.task_page(
            app, agent, q(view="groups", overdue=True, department="technical")))
        timed("agent: search by reference", lambda: worklist.task_page(app, agent, q(view="groups",
                                                                                   search="MAF-2026-000777")))
        timed("agent: search by citizen name", lambda: worklist.task_page(app, agent, q(view="groups",
                                                                                      search="citizen 4242")))
        timed("officer (technical): my groups' tasks", lambda: worklist.task_page(app, officer, q(view="groups")))
        timed("officer: my tasks", lambda: worklist.task_page(app, officer, q(view="mine")))
        app.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--postgres", help="server URL without a database name")
    args = parser.parse_args()
    with database(args.postgres) as url:
        run(url, args.tasks)


if __name__ == "__main__":
    main()
