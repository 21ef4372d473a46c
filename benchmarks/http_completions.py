"""Task completions per second through the staff HTTP API: `batho serve` with 1 process versus N.

Usage:
    python -m benchmarks.http_completions --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --processes 2
    python -m benchmarks.http_completions --cases 200 --clients 4

Four client threads (by default) complete triage tasks through POST /api/v1/tasks/<id>/complete. On PostgreSQL it
creates and drops its own database, as benchmarks/lifecycle.py does.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from benchmarks.lifecycle import database
from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import HumanTask
from engine.services import cases, deployment, identity
from tests.notify.conftest import free_port

PASSWORD = "bench-password"


def _post(port: int, path: str, body: dict, token: str | None = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def prepare(url: str, count: int, instance: Path) -> list[str]:
    app = build(Config(database_url=url, secret_key="bench", instance_path=instance,
                       workflows_path=PROJECT_ROOT / "workflows"))
    schema.upgrade(app.db)
    deployment.deploy_directory(app, app.config.workflows_path)
    identity.seed_demo(app, PASSWORD)
    for n in range(count):
        cases.lodge(app, "complaint", {"category": "water", "description": f"No water {n}", "location": "Main St"},
                    cases.Contact(), "web")
    with app.db.reading() as session:
        ids = list(session.scalars(select(HumanTask.id).where(HumanTask.task_name == "Task_triage")))
    app.db.dispose()
    return ids


def measure(url: str, processes: int, count: int, clients: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        task_ids = prepare(url, count, Path(folder))
        port = free_port()
        env = {**os.environ, "BATHO_DATABASE_URL": url, "BATHO_INSTANCE_PATH": folder, "PORT": str(port),
               "BATHO_SECRET_KEY": "bench-secret-bench-secret-bench-secret"}
        env.pop("BATHO_ENV", None)
        server = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "serve", "--processes",
                                   str(processes)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            token = _post(port, "/api/v1/auth/token", {"username": "agent", "password": PASSWORD})["token"]
            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                list(pool.map(lambda task_id: _post(port, f"/api/v1/tasks/{task_id}/complete",
                                                    {"triage_outcome": "accept"}, token), task_ids))
            return len(task_ids) / (time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    for processes in (1, args.processes):
        with database(args.postgres) as url:
            rate = measure(url, processes, args.cases, args.clients)
        print(f"{processes} web process(es), {args.clients} clients: {rate:.1f} completions/s")


if __name__ == "__main__":
    main()
