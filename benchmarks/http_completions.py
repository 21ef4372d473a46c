"""Task completions per second through the staff HTTP API (`batho serve`, 1 process versus N), beside bare
SpiffWorkflow on the same three-task diagram, and the time of one completion when requests come one at a time.

Usage:
    python -m benchmarks.http_completions --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --processes 2
    python -m benchmarks.http_completions --instances 100 --clients 4

Each instance of benchmarks/diagrams/three_tasks.bpmn has three agent tasks, one after the other; client threads
complete every first task, then every second, then every third, through POST /api/v1/tasks/<id>/complete with
`Prefer: return=minimal` (the client works through ids it has; a server that ignores the preference sends the case).
The single-request time is the median of one client completing tasks one after the other (loopback included);
the server's own time of each completion is read from its `Server-Timing: app;dur=` header (p50 alone and under load).
On PostgreSQL it creates and drops its own database, as benchmarks/lifecycle.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks import bare_spiff
from benchmarks.lifecycle import database
from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import HumanTask
from engine.services import cases, deployment, identity
from tests.notify.conftest import free_port

PASSWORD = "bench-password"
STEPS = ("Task_one", "Task_two", "Task_three")


def _server_ms(header: str | None) -> float:
    """The `app;dur=` of a Server-Timing header, in ms (NaN when the server sent none)."""
    for metric in (header or "").split(","):
        name, _, duration = metric.strip().partition(";dur=")
        if name == "app":
            return float(duration)
    return float("nan")


def _post(port: int, path: str, body: dict[str, Any], token: str | None = None,
          timings: list[float] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Prefer": "return=minimal"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        if timings is not None:
            timings.append(_server_ms(response.headers.get("Server-Timing")))
        return json.loads(response.read())  # type: ignore[no-any-return]


def _app(url: str, instance: Path) -> Any:
    return build(Config(database_url=url, secret_key="bench", instance_path=instance,
                        workflows_path=PROJECT_ROOT / "workflows"))


def prepare(url: str, count: int, instance: Path) -> list[str]:
    """A migrated database with the workflows, the demo staff and `count` complaints; their triage task ids."""
    app = _app(url, instance)
    schema.upgrade(app.db)
    deployment.deploy_directory(app, app.config.workflows_path)
    identity.seed_demo(app, PASSWORD)
    for n in range(count):
        cases.lodge(app, "complaint", {"category": "water", "description": f"No water {n}", "location": "Main St"},
                    cases.Contact(), "web")
    ids = _ready(app, "Task_triage")
    app.db.dispose()
    return ids


def _ready(app: Any, task_name: str) -> list[str]:
    with app.db.reading() as session:
        return list(session.scalars(select(HumanTask.id).where(HumanTask.task_name == task_name)
                                    .order_by(HumanTask.created_at)))


def _prepare_three(url: str, count: int, instance: Path) -> Any:
    app = _app(url, instance)
    schema.upgrade(app.db)
    deployment.deploy_sources(app, {"three_tasks.bpmn": bare_spiff.DIAGRAM.read_text()})
    identity.seed_demo(app, PASSWORD)
    for n in range(count):
        cases.start_process(app, bare_spiff.PROCESS, {"description": f"Benchmark {n}"})
    return app


@contextmanager
def served(url: str, folder: str, processes: int) -> Iterator[int]:
    """`batho serve --processes N` on a free port, until the block ends; yields the port once /readyz answers."""
    port = free_port()
    env = {**os.environ, "BATHO_DATABASE_URL": url, "BATHO_INSTANCE_PATH": folder, "PORT": str(port),
           "BATHO_SECRET_KEY": "bench-secret-bench-secret-bench-secret"}
    env.pop("BATHO_ENV", None)
    server = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "serve", "--processes",
                               str(processes)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        # /readyz answers as soon as one process is up; the others are still importing and parsing, which takes
        # the CPU the measurement needs on a small machine: let them finish first.
        time.sleep(10.0 * (processes - 1))
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")


def measure(url: str, processes: int, count: int, clients: int) -> dict[str, float]:
    """Completions/s with `clients` threads, the median time of one completion (ms) sent alone, and the server's
    median time of a completion alone and under load."""
    with tempfile.TemporaryDirectory() as folder:
        app = _prepare_three(url, count, Path(folder))
        with served(url, folder, processes) as port:
            token = _post(port, "/api/v1/auth/token", {"username": "agent", "password": PASSWORD})["token"]
            alone = count // 5  # the first instances go one request at a time, the rest with every client
            single: list[float] = []
            server_alone: list[float] = []
            server_loaded: list[float] = []
            for task_id in _ready(app, STEPS[0])[:alone]:
                started = time.perf_counter()
                _post(port, f"/api/v1/tasks/{task_id}/complete", {"outcome": "done"}, token, server_alone)
                single.append(time.perf_counter() - started)
            spent, done = 0.0, 0
            for step in STEPS:
                ids = _ready(app, step)  # the first step's, less those completed alone (they moved on)
                started = time.perf_counter()
                with ThreadPoolExecutor(clients) as pool:
                    list(pool.map(lambda task_id: _post(port, f"/api/v1/tasks/{task_id}/complete",
                                                        {"outcome": "done"}, token, server_loaded), ids))
                spent += time.perf_counter() - started
                done += len(ids)
        app.db.dispose()
    return {"rate": done / spent, "single_ms": _median(single) * 1000, "server_ms": _median(server_alone),
            "server_loaded_ms": _median(server_loaded)}


def run(url_server: str | None, processes: tuple[int, ...], count: int, clients: int) -> list[dict[str, Any]]:
    """One row per number of web processes: completions/s, single-request ms, and the bare engine's rate."""
    bare = bare_spiff.measure(max(count, 100))
    rows = []
    for n in processes:
        with database(url_server) as url:
            result = measure(url, n, count, clients)
        rows.append({"processes": n, "clients": clients, "bare": bare, **result})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    for row in run(args.postgres, tuple(dict.fromkeys((1, args.processes))), args.instances, args.clients):
        print(f"{row['processes']} web process(es), {row['clients']} clients: {row['rate']:.1f} completions/s "
              f"(bare SpiffWorkflow {row['bare']:.0f}/s, ratio {row['rate'] / row['bare']:.2f}); one completion "
              f"alone {row['single_ms']:.1f} ms, of it in the server {row['server_ms']:.1f} ms (p50; under load "
              f"{row['server_loaded_ms']:.1f} ms)")


if __name__ == "__main__":
    main()
