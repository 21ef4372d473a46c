"""Complaint lifecycles and task completions per second through the service layer, and bytes per closed case.

Usage:
    python -m benchmarks.lifecycle                       # a throw-away SQLite file
    python -m benchmarks.lifecycle --postgres postgresql+psycopg://postgres@127.0.0.1:5432
    python -m benchmarks.lifecycle --cases 500

On PostgreSQL it creates and drops its own database (batho_bench_<pid>) on the server given.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import Case, CaseEvent, ProcessInstance
from engine.services import cases, deployment, identity, tasks

STEPS = [
    ("agent", "Task_triage", {"triage_outcome": "accept"}),
    ("officer", "Task_investigate", {"findings": "Burst pipe", "corrective_action": "Replace the pipe"}),
    ("supervisor", "Task_approve", {"decision": "approve", "supervisor_comment": "Go ahead"}),
    ("officer", "Task_implement", {"implementation_outcome": "Replaced", "completed_on": "2026-11-27"}),
    ("agent", "Task_respond", {"explanation": "A pipe burst.", "remedy": "We replaced it."}),
    ("agent", "Task_satisfaction", {"satisfaction": "satisfied"}),
]


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    name = f"batho_bench_{os.getpid()}"
    admin = create_engine(f"{postgres.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield f"{postgres.rstrip('/')}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def run(url: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(instance),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        identity.seed_demo(app, "bench")
        deployment.deploy_directory(app, app.config.workflows_path)
        people = {u: identity.authenticate(app, u, "bench") for u in ("agent", "officer", "supervisor")}
        with app.db.reading() as session:
            baseline = _database_bytes(session, url)
        lodge_time = complete_time = 0.0
        completions = 0
        started = time.perf_counter()
        for n in range(count):
            t0 = time.perf_counter()
            reference = cases.lodge(app, "complaint", {"category": "water", "description": f"No water {n}",
                                                        "location": "12 Main St"},
                                    cases.Contact(name="Jane", email="jane@example.org"), "web")
            lodge_time += time.perf_counter() - t0
            for username, task_name, values in STEPS:
                who = people[username]
                assert who is not None
                task = next(t for t in tasks.available_tasks(app, who, limit=50)
                            if t.case_reference == reference and t.task_name == task_name)
                t1 = time.perf_counter()
                tasks.complete(app, who, task.id, values)
                complete_time += time.perf_counter() - t1
                completions += 1
        total = time.perf_counter() - started
        with app.db.reading() as session:
            closed = session.scalar(select(func.count()).select_from(Case).where(Case.status == "closed")) or 0
            state_bytes = session.scalar(select(func.sum(func.length(ProcessInstance.state)))) or 0
            events = session.scalar(select(func.count()).select_from(CaseEvent)) or 0
            db_bytes = _database_bytes(session, url) - baseline
        print(f"database: {app.db.write_engine.dialect.name}; cases: {count}; closed: {closed}")
        print(f"complaint lifecycles per second (lodge + 6 task completions, incl. task-list queries): "
              f"{count / total:.1f}")
        print(f"lodgings per second: {count / lodge_time:.1f}")
        print(f"task completions per second: {completions / complete_time:.1f}")
        print(f"instance state bytes per closed case: {state_bytes / max(closed, 1):,.0f}")
        print(f"audit events per closed case: {events / max(closed, 1):.1f}")
        print(f"database growth per closed case (all tables and indexes): {db_bytes / max(closed, 1):,.0f}")
        app.db.dispose()


def _database_bytes(session, url: str) -> int:  # type: ignore[no-untyped-def]
    if url.startswith("sqlite"):
        pages = session.scalar(text("PRAGMA page_count"))
        return int(pages) * int(session.scalar(text("PRAGMA page_size")))
    return int(session.scalar(text("SELECT pg_database_size(current_database())")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--postgres", help="server URL without a database name")
    args = parser.parse_args()
    with database(args.postgres) as url:
        run(url, args.cases)


if __name__ == "__main__":
    main()
