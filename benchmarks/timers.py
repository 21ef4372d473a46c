"""Timers at scale: 100 000 waiting instances, 1 000 of them due at the same moment, 2 worker processes.

Usage:
    python -m benchmarks.timers --postgres postgresql+psycopg://postgres@127.0.0.1:5432
    python -m benchmarks.timers --waiting 10000 --due 200          # a quick run (SQLite without --postgres)

The waiting instances are inserted directly: one real instance of a timer diagram is started through the service
layer, and its serialized waiting state is copied into every row, with the due time written into the state and the
`next_timer_at` column. Then `batho worker` runs in 2 processes (polling every second) until every due instance
fired or 120 s passed. Prints how long the last one took, how many fired twice (a TIMER event twice), the lateness
(event time minus due time) p50/p95/max, and the plan of the due-timer query on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from benchmarks.lifecycle import database
from engine import schema
from engine.bpmn.state import pack, unpack
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import CaseEvent, ProcessInstance
from engine.models.enums import EventKind, InstanceStatus
from engine.services import cases, deployment
from tests.fixtures.make import timer_process

KEY = "bench_timer"


def _template(app: Any) -> tuple[int, str, str, datetime]:
    """The version id, the stored state, its serializer version and the due time written in that state."""
    deployment.deploy_sources(app, {"bench_timer.bpmn": timer_process(KEY, '"PT1H"')})
    cases.start_process(app, KEY, {})
    with app.db.transaction() as session:
        row = session.scalars(select(ProcessInstance).order_by(ProcessInstance.id.desc()).limit(1)).one()
        session.delete(row)
        assert row.next_timer_at is not None
        return row.version_id, unpack(row.state), row.serializer_version, row.next_timer_at


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _state_due(state: str, template_due: datetime, due: datetime) -> str:
    """The waiting state with its timer due at `due` (the state keeps the time as ISO text)."""
    old = template_due.astimezone(UTC).isoformat()
    if old not in state:
        old = template_due.isoformat()
    assert old in state, "the timer's due time is not in the state as ISO text"
    return state.replace(old, due.astimezone(UTC).isoformat())


def _fresh_ids(state: str) -> str:
    """The state with new task ids (each instance's task rows are keyed by them)."""
    new: dict[str, str] = {}
    return UUID.sub(lambda m: new.setdefault(m.group(0), str(uuid.uuid4())), state)


def insert_waiting(app: Any, waiting: int, due: int, due_at: datetime) -> float:
    """`waiting` instances, `due` of them due at `due_at` and the rest tomorrow; the seconds it took."""
    started = time.perf_counter()
    version_id, state, serializer_version, template_due = _template(app)
    later = due_at + timedelta(days=1)
    far, near = pack(_state_due(state, template_due, later)), _state_due(state, template_due, due_at)
    now = datetime.now(UTC)
    chunk = 5000
    with app.db.write_engine.begin() as conn:
        for first in range(0, waiting, chunk):
            rows = [{"version_id": version_id, "case_id": None, "status": InstanceStatus.RUNNING,
                     "state": pack(_fresh_ids(near)) if n < due else far, "serializer_version": serializer_version,
                     "lock_version": 1, "next_timer_at": due_at if n < due else later, "created_at": now,
                     "updated_at": now} for n in range(first, min(first + chunk, waiting))]
            conn.execute(insert(ProcessInstance), rows)
    if app.db.write_engine.dialect.name == "postgresql":
        with app.db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE process_instances"))
    return time.perf_counter() - started


def due_plan(app: Any) -> str:
    """The plan of the worker's due-timer query (PostgreSQL), first lines."""
    if app.db.write_engine.dialect.name != "postgresql":
        return "(SQLite: not shown)"
    query = ("EXPLAIN SELECT id FROM process_instances WHERE status = 'running' AND next_timer_at <= now() "
             "ORDER BY next_timer_at LIMIT 1 FOR UPDATE OF process_instances SKIP LOCKED")
    with app.db.write_engine.connect() as conn:
        return " / ".join(r[0].strip() for r in conn.execute(text(query)))[:300]


def _workers(url: str, folder: str, count: int) -> list[subprocess.Popen[bytes]]:
    log = open(Path(folder) / "workers.log", "ab")  # noqa: SIM115  (open while the workers run)
    env = {**os.environ, "BATHO_DATABASE_URL": url, "BATHO_INSTANCE_PATH": folder, "BATHO_WORKER_INTERVAL": "1",
           "BATHO_SECRET_KEY": "bench-secret-bench-secret-bench-secret"}
    env.pop("BATHO_ENV", None)
    return [subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "worker"], env=env,
                             stdout=subprocess.DEVNULL, stderr=log) for _ in range(count)]


def _fired(app: Any) -> list[tuple[int, datetime]]:
    with app.db.reading() as session:
        return list(session.execute(select(CaseEvent.instance_id, CaseEvent.at)
                                    .where(CaseEvent.kind == EventKind.TIMER)).all())  # type: ignore[arg-type]


def measure(url: str, waiting: int = 100_000, due: int = 1_000, workers: int = 2,
            patience: float = 120.0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(folder),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        lead = 15.0  # the workers start and settle before the timers fall due
        due_at = datetime.now(UTC) + timedelta(seconds=lead + 60)
        generated = insert_waiting(app, waiting, due, due_at)
        due_at_wall = time.time() + (due_at - datetime.now(UTC)).total_seconds()
        procs = _workers(url, folder, workers)
        try:
            while time.time() < due_at_wall + patience:
                time.sleep(1.0)
                fired = _fired(app)
                if time.time() > due_at_wall and len({i for i, _ in fired}) >= due:
                    break
            fired = _fired(app)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=60)
            log = (Path(folder) / "workers.log").read_text().splitlines()
            errors = [line for line in log if any(word in line for word in ("Error", "DETAIL", 'File "'))]
        with app.db.reading() as session:
            total = session.scalar(select(func.count()).select_from(ProcessInstance)) or 0
        plan = due_plan(app)
        app.db.dispose()
    per_instance: dict[int, list[datetime]] = {}
    for instance_id, at in fired:
        per_instance.setdefault(instance_id, []).append(at if at.tzinfo else at.replace(tzinfo=UTC))
    lateness = sorted((min(times) - due_at).total_seconds() for times in per_instance.values())
    last = max(lateness) if lateness else float("nan")
    return {"waiting": total, "due": due, "fired": len(per_instance), "twice": sum(len(t) > 1 for t in
                                                                                  per_instance.values()),
            "all_within_s": last, "p50_s": lateness[len(lateness) // 2] if lateness else float("nan"),
            "p95_s": lateness[int(len(lateness) * 0.95)] if lateness else float("nan"), "max_s": last,
            "generated_s": generated, "plan": plan, "worker_errors": errors[-12:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--waiting", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with database(args.postgres) as url:
        r = measure(url, args.waiting, args.due, args.workers)
    print(f"{r['waiting']:,} waiting instances (inserted in {r['generated_s']:.0f} s), {r['due']:,} due at once, "
          f"{args.workers} workers: {r['fired']:,} fired, {r['twice']} twice; the last {r['all_within_s']:.1f} s "
          f"after the due time; lateness p50 {r['p50_s']:.1f} s, p95 {r['p95_s']:.1f} s")
    print(f"due-timer query: {r['plan']}")
    for line in r["worker_errors"]:
        print(f"worker: {line}")


if __name__ == "__main__":
    main()
