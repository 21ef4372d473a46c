"""Timers at scale: 100 000 waiting instances, 1 000 of them due at the same moment, 2 worker processes.

Usage:
    python -m benchmarks.timers --postgres postgresql+psycopg://postgres@127.0.0.1:5432
    python -m benchmarks.timers --waiting 10000 --due 200          # a quick run (SQLite without --postgres)
    python -m benchmarks.timers --profile --due 200 [--cprofile]   # one timer pass in this process: statements

The waiting instances are inserted directly: one real instance of a timer diagram is started through the service
layer, and its serialized waiting state is copied into every row, with the due time written into the state and the
`next_timer_at` column (the instances have no case: the timer, a script and a new user task, not a complaint's
escalation). Then `batho worker` runs in 2 processes with the default poll interval (BATHO_WORKER_INTERVAL, 5 s;
`--interval` to change) until every due instance fired or 120 s passed.

Lateness is measured two ways from the due time: to the TIMER event's time (stamped when the worker ran the timer,
before its transaction commits), and to when a reader first saw that event committed (this script looks every
0.2 s, so that one is up to 0.2 s late itself). The figures given as the lateness (p50, p95, the last) are the
committed ones, the later of the two. Also printed: how many fired twice (a TIMER event twice), the load average,
and the plan of the worker's own due-timer query on PostgreSQL.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select, text

from benchmarks.lifecycle import database
from engine import schema
from engine.bpmn.state import pack, unpack
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import CaseEvent, ProcessInstance
from engine.models.enums import EventKind, InstanceStatus
from engine.services import cases, deployment, timers
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
    """The plan of the worker's own due-timer query (PostgreSQL, its first batch), first lines."""
    if app.db.write_engine.dialect.name != "postgresql":
        return "(SQLite: not shown)"
    due_query = getattr(timers, "due_query", None)
    if due_query is None:  # a tree from before the query was one function
        query = ("SELECT id FROM process_instances WHERE status = 'running' AND next_timer_at <= now() "
                 "ORDER BY next_timer_at LIMIT 20 FOR UPDATE OF process_instances SKIP LOCKED")
    else:
        query = str(due_query(datetime.now(UTC), timers.BATCH).compile(
            dialect=app.db.write_engine.dialect, compile_kwargs={"literal_binds": True}))
    next_due = ("SELECT min(next_timer_at) FROM process_instances WHERE status = 'running'")
    with app.db.write_engine.connect() as conn:
        claim = " / ".join(r[0].strip() for r in conn.execute(text("EXPLAIN " + query)))[:600]
        wake = " / ".join(r[0].strip() for r in conn.execute(text("EXPLAIN " + next_due)))[:300]
    return f"{claim}\nnext due time (the worker's wake-up): {wake}"


def _workers(url: str, folder: str, count: int, interval: float | None) -> list[subprocess.Popen[bytes]]:
    log = open(Path(folder) / "workers.log", "ab")  # noqa: SIM115  (open while the workers run)
    env = {**os.environ, "BATHO_DATABASE_URL": url, "BATHO_INSTANCE_PATH": folder,
           "BATHO_SECRET_KEY": "bench-secret-bench-secret-bench-secret"}
    env.pop("BATHO_WORKER_INTERVAL", None)
    if interval is not None:
        env["BATHO_WORKER_INTERVAL"] = str(interval)
    env.pop("BATHO_ENV", None)
    return [subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "worker"], env=env,
                             stdout=subprocess.DEVNULL, stderr=log) for _ in range(count)]


def _fired(app: Any) -> list[tuple[int, datetime]]:
    with app.db.reading() as session:
        return list(session.execute(select(CaseEvent.instance_id, CaseEvent.at)
                                    .where(CaseEvent.kind == EventKind.TIMER)).all())  # type: ignore[arg-type]


class Watcher(threading.Thread):
    """Notes when each instance's TIMER event is first seen committed, looking every `every` seconds."""

    def __init__(self, app: Any, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.app, self.every = app, every
        self.seen: dict[int, datetime] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            looked = datetime.now(UTC)
            for instance_id, _ in _fired(self.app):
                self.seen.setdefault(instance_id, looked)
            self.done.wait(self.every)


def _percentiles(lateness: list[float]) -> dict[str, float]:
    lateness = sorted(lateness)
    if not lateness:
        return {"first": float("nan"), "p50": float("nan"), "p95": float("nan"), "max": float("nan")}
    return {"first": lateness[0], "p50": lateness[len(lateness) // 2], "p95": lateness[int(len(lateness) * 0.95)],
            "max": lateness[-1]}


def measure(url: str, waiting: int = 100_000, due: int = 1_000, workers: int = 2,
            patience: float = 120.0, interval: float | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(folder),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        lead = 15.0  # the workers start and settle before the timers fall due
        due_at = datetime.now(UTC) + timedelta(seconds=lead + 60)
        generated = insert_waiting(app, waiting, due, due_at)
        due_at_wall = time.time() + (due_at - datetime.now(UTC)).total_seconds()
        procs = _workers(url, folder, workers, interval)
        watcher = Watcher(app)
        watcher.start()
        load_before = os.getloadavg()[0]
        try:
            while time.time() < due_at_wall + patience:
                time.sleep(0.5)
                if time.time() > due_at_wall and len(watcher.seen) >= due:
                    break
            watcher.done.set()
            watcher.join()
            fired = _fired(app)
            load_after = os.getloadavg()[0]
        finally:
            watcher.done.set()
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
    stamped = _percentiles([(min(times) - due_at).total_seconds() for times in per_instance.values()])
    # An event seen before the due time would be a timer fired early: it counts as it is (negative), never hidden.
    committed = _percentiles([(at - due_at).total_seconds() for at in watcher.seen.values()])
    return {"waiting": total, "due": due, "fired": len(per_instance), "twice": sum(len(t) > 1 for t in
                                                                                  per_instance.values()),
            "all_within_s": committed["max"], "p50_s": committed["p50"], "p95_s": committed["p95"],
            "max_s": committed["max"], "event_p50_s": stamped["p50"], "event_p95_s": stamped["p95"],
            "event_max_s": stamped["max"], "first_s": committed["first"], "event_first_s": stamped["first"],
            "early": sum(min(t) < due_at for t in per_instance.values()),
            "generated_s": generated, "plan": plan, "worker_errors": errors[-12:],
            "load": (load_before, load_after), "interval": interval}


def profile_pass(url: str, waiting: int, due: int, cprofile: bool = False, sampled: bool = False,
                 batch: int | None = None) -> str:
    """One timer pass over `due` due instances in this process: statements per fired timer by kind, commits, the
    pass's wall and CPU time, and with `cprofile` the functions it spent most in (`sampled`: pyinstrument's
    call tree instead, when it is installed)."""
    with tempfile.TemporaryDirectory() as folder:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(folder),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        insert_waiting(app, waiting, due, datetime.now(UTC) + timedelta(seconds=1))
        time.sleep(1.5)  # until they are due
        statements: Counter[str] = Counter()
        commits = [0]
        event.listen(app.db.write_engine, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: statements.update([" ".join(statement.split())[:70]]))
        event.listen(app.db.write_engine, "commit", lambda _c: commits.__setitem__(0, commits[0] + 1))
        profiler = cProfile.Profile() if cprofile else None
        sampler = None
        if sampled:
            from pyinstrument import Profiler  # not a dependency: `pip install pyinstrument`

            sampler = Profiler(interval=0.0005)
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        if sampler:
            sampler.start()
        fired = timers.fire_due_timers(app, limit=due, **({"batch": batch} if batch else {}))
        if sampler:
            sampler.stop()
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        app.db.dispose()
    lines = [f"{fired} fired in {wall:.2f} s ({fired / wall:.0f}/s, {cpu / max(fired, 1) * 1000:.1f} ms CPU each in "
             f"this process), {sum(statements.values()) / max(fired, 1):.2f} statements and "
             f"{commits[0] / max(fired, 1):.2f} commits per fired timer; load average {os.getloadavg()[0]:.1f}"]
    lines += [f"  {count / max(fired, 1):5.2f}  {statement}" for statement, count in statements.most_common()]
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        lines.append(out.getvalue())
    if sampler:
        lines.append(sampler.output_text(show_all=False))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--waiting", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, help="BATHO_WORKER_INTERVAL of the workers (default: theirs, 5 s)")
    parser.add_argument("--profile", action="store_true", help="one timer pass in this process: statements")
    parser.add_argument("--cprofile", action="store_true", help="with --profile: where its time goes")
    parser.add_argument("--pyinstrument", action="store_true", help="with --profile: its call tree, sampled")
    parser.add_argument("--batch", type=int, help="with --profile: instances per transaction (default: the worker's)")
    args = parser.parse_args()
    if args.profile:
        with database(args.postgres) as url:
            print(profile_pass(url, min(args.waiting, 5_000), args.due, args.cprofile, args.pyinstrument,
                               args.batch))
        return
    with database(args.postgres) as url:
        r = measure(url, args.waiting, args.due, args.workers, interval=args.interval)
    print(f"{r['waiting']:,} waiting instances (inserted in {r['generated_s']:.0f} s), {r['due']:,} due at once, "
          f"{args.workers} workers (poll interval {r['interval'] or 'default'}): {r['fired']:,} fired, "
          f"{r['twice']} twice, {r['early']} early; committed: the first {r['first_s']:.1f} s, the last "
          f"{r['all_within_s']:.1f} s after the due time, lateness p50 {r['p50_s']:.1f} s, p95 {r['p95_s']:.1f} s; "
          f"event times: the first {r['event_first_s']:.2f} s, p50 {r['event_p50_s']:.1f} s, "
          f"p95 {r['event_p95_s']:.1f} s, the last {r['event_max_s']:.1f} s; load average {r['load'][0]:.1f} "
          f"before, {r['load'][1]:.1f} after")
    print(f"due-timer query: {r['plan']}")
    for line in r["worker_errors"]:
        print(f"worker: {line}")


if __name__ == "__main__":
    main()
