"""Task list pages with many open tasks: milliseconds per page for each list, filter, sort and page depth.

Usage:
    python -m benchmarks.tasklist                        # 20,000 open tasks in a throw-away SQLite file
    python -m benchmarks.tasklist --tasks 50000
    python -m benchmarks.tasklist --postgres postgresql+psycopg://postgres@127.0.0.1:5432

Rows are written straight into the read model (cases, instances, human_tasks) as the engine would leave them,
so the figures measure the list queries alone. On PostgreSQL it creates and drops its own database.

    python -m benchmarks.tasklist --url postgresql+psycopg://postgres@127.0.0.1:5432/batho_bench --tasks 100000

adds the open tasks to an existing database (e.g. the million cases of benchmarks.generate_cases) and prints the
p95 of the task list's first page and of the staff case search beside issue 14's targets (50 ms / 100 ms).

For `python -m benchmarks`: `run(url, count=100_000, existing=True) -> list[dict]` returns
`{"name": str, "value": float (p95 ms), "unit": "ms", "target": float (at most, ms)}` per page measured.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

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


def fill(app, count: int, first: int = 0) -> None:
    """`count` open cases (ids after `first`), each with one open task, a tenth of them claimed, some overdue."""
    rng = random.Random(4)
    now = app.now()
    with app.db.transaction() as session:
        version_id = session.scalar(select(ProcessVersion.id).where(ProcessVersion.key == "complaint"))
        users = list(range(1, 15))
        for start in range(first, first + count, 2000):
            batch = range(start, min(first + count, start + 2000))
            year = 2026 if not first else 2027  # after the generator's references
            cases = [{"id": n + 1, "reference": f"MAF-{year}-{n + 1:06d}", "case_type": "complaint", "channel": "web",
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


def run_pages(url: str, count: int) -> None:
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


def _p95(name: str, call, target: float, repeat: int = 20) -> dict:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    value = round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1)
    print(f"{name:<58} p95 {value:8.1f} ms   target <= {target:.0f} ms", flush=True)
    return {"name": name, "value": value, "unit": "ms", "target": target}


def run_figures(app, first_reference: str, password: str = "bench") -> list[dict]:
    """p95 of the task list's first pages and of the staff case search (issue 14's targets)."""
    from engine.services import search

    agent, officer = authenticate(app, "agent", password), authenticate(app, "officer", password)
    manager = authenticate(app, "manager", password)
    assert agent and officer and manager
    q = worklist.TaskQuery
    return [
        _p95("task list: agent, unassigned, page 1", lambda: worklist.task_page(app, agent, q(view="unassigned")), 50),
        _p95("task list: agent, my groups, page 1", lambda: worklist.task_page(app, agent, q(view="groups")), 50),
        _p95("task list: officer (technical), my groups, page 1",
             lambda: worklist.task_page(app, officer, q(view="groups")), 50),
        _p95("task list: officer, my tasks, page 1", lambda: worklist.task_page(app, officer, q(view="mine")), 50),
        _p95("case search: a reference", lambda: search.search_cases(
            app, manager, search.CaseSearch(text=first_reference)), 100),
        _p95("case search: a reference prefix", lambda: search.search_cases(
            app, manager, search.CaseSearch(text=first_reference[:-2])), 100),
        _p95("case search: a citizen's name", lambda: search.search_cases(
            app, manager, search.CaseSearch(text="citizen 4242")), 100),
        _p95("case search: a word of the summary", lambda: search.search_cases(
            app, manager, search.CaseSearch(text="benchmark")), 100),
    ]


def run(url: str, count: int = 100_000, existing: bool = True) -> list[dict]:
    """Add `count` open tasks to the database at `url` (migrated and seeded already when `existing`) and measure."""
    from sqlalchemy import func

    with tempfile.TemporaryDirectory() as instance:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(instance),
                           workflows_path=PROJECT_ROOT / "workflows"))
        if not existing:
            schema.upgrade(app.db)
            identity.seed_demo(app, "bench")
            deployment.deploy_directory(app, app.config.workflows_path)
        with app.db.transaction() as session:
            first = session.scalar(select(func.max(Case.id))) or 0
            tasks = session.scalar(select(func.count()).select_from(HumanTask)) or 0
        if tasks < count:
            started = time.perf_counter()
            fill(app, count - tasks, first)
            print(f"{count - tasks} open tasks added in {time.perf_counter() - started:.1f} s")
            with app.db.transaction() as session:  # the rows bypassed the planner's statistics: ANALYZE
                session.execute(text("ANALYZE"))
        with app.db.reading() as session:
            cases = session.scalar(select(func.count()).select_from(Case))
            tasks = session.scalar(select(func.count()).select_from(HumanTask))
            reference = session.scalar(select(Case.reference).order_by(Case.id.desc()).limit(1))
        print(f"database: {url.split('@')[-1]}  cases: {cases:,}  open tasks: {tasks:,}")
        # benchmarks.generate_cases seeds the demo users with the password "demo"
        figures = run_figures(app, reference or "MAF-2026-000777", "demo" if existing else "bench")
        app.db.dispose()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--url", help="an existing database to add the tasks to (the p95 figures and targets)")
    args = parser.parse_args()
    if args.url:
        run(args.url, args.tasks)
        return
    with database(args.postgres) as url:
        run_pages(url, args.tasks)


if __name__ == "__main__":
    main()
