"""Database growth per closed complaint, table by table (all tables and their indexes).

Usage:
    python -m benchmarks.storage                         # a throw-away SQLite file
    python -m benchmarks.storage --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --cases 200

Each complaint is lodged and taken through triage, investigation, approval, implementation, response and
satisfaction with the service layer (benchmarks/lifecycle.py's steps). On PostgreSQL the growth is the sum of
pg_total_relation_size over every table (heap, TOAST and indexes) after a VACUUM, so dead row versions left by
updates are counted only as far as they keep pages; on SQLite it is the file's page count.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text

from benchmarks.lifecycle import STEPS, database
from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import Case, ProcessInstance
from engine.services import cases, deployment, identity, tasks


def table_sizes(app: Any) -> dict[str, int]:
    """Bytes per table with its indexes (PostgreSQL), or one total for the SQLite file."""
    engine = app.db.write_engine
    if engine.dialect.name != "postgresql":
        with engine.connect() as conn:
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()
            size = conn.execute(text("PRAGMA page_size")).scalar_one()
        return {"(sqlite file)": int(pages) * int(size)}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM"))
        names = inspect(conn).get_table_names()
        return {name: int(conn.execute(text("SELECT pg_total_relation_size(:t)"), {"t": name}).scalar_one())
                for name in names}


def close_complaints(app: Any, count: int) -> None:
    people = {u: identity.authenticate(app, u, "bench") for u in ("agent", "officer", "supervisor")}
    for n in range(count):
        reference = cases.lodge(app, "complaint", {"category": "water", "description": f"No water at number {n}",
                                                    "location": f"{n} Main St"},
                                cases.Contact(name="Jane", email="jane@example.org"), "web")
        for username, task_name, values in STEPS:
            who = people[username]
            assert who is not None
            task = next(t for t in tasks.available_tasks(app, who, limit=500)
                        if t.case_reference == reference and t.task_name == task_name)
            tasks.complete(app, who, task.id, values)


def measure(url: str, count: int) -> dict[str, Any]:
    """Growth per closed complaint in bytes (`per_case`), by table (`tables`), and instance state bytes."""
    with tempfile.TemporaryDirectory() as instance:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(instance),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        identity.seed_demo(app, "bench")
        deployment.deploy_directory(app, app.config.workflows_path)
        before = table_sizes(app)
        close_complaints(app, count)
        after = table_sizes(app)
        with app.db.reading() as session:
            closed = session.scalar(select(func.count()).select_from(Case).where(Case.closed_at.is_not(None))) or 0
            state = session.scalar(select(func.sum(func.length(ProcessInstance.state)))) or 0
        app.db.dispose()
    grown = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    per = max(closed, 1)
    return {"closed": closed, "per_case": sum(grown.values()) / per, "state_per_case": state / per,
            "tables": {k: v / per for k, v in sorted(grown.items(), key=lambda kv: -kv[1]) if v}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--postgres", help="server URL without a database name")
    args = parser.parse_args()
    with database(args.postgres) as url:
        result = measure(url, args.cases)
    print(f"closed complaints: {result['closed']}")
    print(f"database growth per closed complaint: {result['per_case']:,.0f} bytes")
    print(f"instance state per closed complaint: {result['state_per_case']:,.0f} bytes (as stored)")
    for name, size in result["tables"].items():
        print(f"  {name:32} {size:10,.0f}")


if __name__ == "__main__":
    main()
