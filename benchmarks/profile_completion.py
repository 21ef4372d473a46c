"""Profile task completions through the staff HTTP API in one process (pyinstrument), and count statements.

Usage (pyinstrument is not a dependency: `.venv/bin/pip install pyinstrument`):
    python -m benchmarks.profile_completion --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --cases 100
    python -m benchmarks.profile_completion --diagram three --statements --no-profile

Runs POST /api/v1/tasks/<id>/complete through the Flask app (no network), prints the statements per completion
and the profile of the whole batch as text (slow frames first). `--diagram complaint` completes the complaint's
triage (the default), `--diagram three` the first step of the HTTP benchmark's three-task diagram;
`--statements` lists the statements of the last completion, one line each (STATEMENT_CHARS=2000 for whole ones);
PROFILE_ALL=1 shows every frame.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.default import CACHE_HIT

from benchmarks.http_completions import PASSWORD, STEPS, _prepare_three, _ready, prepare
from benchmarks.lifecycle import database
from engine.composition import build
from engine.config import PROJECT_ROOT, Config


def _tasks(url: str, count: int, folder: Path, diagram: str) -> tuple[list[str], dict[str, Any]]:
    """The ids of the tasks to complete and the form each is completed with."""
    if diagram == "three":
        app = _prepare_three(url, count, folder)
        ids = _ready(app, STEPS[0])
        app.db.dispose()
        return ids, {"outcome": "done"}
    return prepare(url, count, folder), {"triage_outcome": "accept"}


def run(url: str, count: int, profile: bool = True, diagram: str = "complaint",
        listing: bool = False) -> dict[str, float]:
    from web import create_app

    with tempfile.TemporaryDirectory() as folder:
        task_ids, form = _tasks(url, count, Path(folder), diagram)
        batho = build(Config(database_url=url, secret_key="bench-secret-bench-secret-bench", instance_path=Path(folder),
                             workflows_path=PROJECT_ROOT / "workflows"))
        app = create_app(batho)
        client = app.test_client()
        token = (client.post("/api/v1/auth/token", json={"username": "agent", "password": PASSWORD}).get_json()
                 or {})["token"]
        headers = {"Authorization": f"Bearer {token}", "Prefer": "return=minimal"}
        client.post(f"/api/v1/tasks/{task_ids.pop()}/complete", json=form, headers=headers)
        statements = 0
        last: list[str] = []

        def count_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            nonlocal statements
            statements += 1
            last.append(" ".join(statement.split())[:int(os.environ.get("STATEMENT_CHARS", "160"))])

        waited, uncached = 0.0, 0

        def started(conn: Any, *_args: Any) -> None:
            conn.info["bench_t0"] = time.perf_counter()

        def ended(conn: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any, _many: bool) -> None:
            nonlocal waited, uncached
            waited += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())
            uncached += int(context.compiled is not None and context.cache_hit is not CACHE_HIT)
            if context.compiled is not None and context.cache_hit is not CACHE_HIT and listing:
                print("compiled afresh:", context._get_cache_stats(), " ".join(_statement.split())[:200])

        event.listen(batho.db.write_engine, "before_cursor_execute", count_statement)
        event.listen(batho.db.write_engine, "before_cursor_execute", started)
        event.listen(batho.db.write_engine, "after_cursor_execute", ended)
        profiler: Any = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        times = []
        for task_id in task_ids:
            last.clear()
            t0 = time.perf_counter()
            answer = client.post(f"/api/v1/tasks/{task_id}/complete", json=form, headers=headers)
            times.append(time.perf_counter() - t0)
            assert answer.status_code == 200, answer.json
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
        if listing:
            print("\n".join(f"{n:3} {s}" for n, s in enumerate(last, 1)))
        batho.db.dispose()
    times.sort()
    return {"statements": statements / len(task_ids), "p50_ms": times[len(times) // 2] * 1000,
            "p95_ms": times[int(len(times) * 0.95)] * 1000, "driver_ms": waited * 1000 / len(task_ids),
            "uncached": uncached / len(task_ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--diagram", choices=("complaint", "three"), default="complaint")
    parser.add_argument("--statements", action="store_true", help="list the statements of the last completion")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    with database(args.postgres) as url:
        result = run(url, args.cases, not args.no_profile, args.diagram, args.statements)
    print(f"statements per completion: {result['statements']:.1f}; in-process time p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms; of a completion's time, {result['driver_ms']:.1f} ms (mean) in the database "
          f"driver (round trips included); statements compiled afresh per completion {result['uncached']:.1f}")


if __name__ == "__main__":
    main()
