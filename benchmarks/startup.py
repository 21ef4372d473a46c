"""Start-up with 50 deployed versions: seconds from `batho serve` to the first 200 from /readyz.

Usage:
    python -m benchmarks.startup --postgres postgresql+psycopg://postgres@127.0.0.1:5432
    python -m benchmarks.startup --versions 10                  # a quick run (SQLite without --postgres)

The complaint diagram is deployed `--versions` times (each with another name, so each is a new version) and one
complaint is lodged on every version, so start-up has to parse every one of them (it parses the versions running
instances use, and the newest of each process) before it answers ready.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.http_completions import PASSWORD, served
from benchmarks.lifecycle import database
from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.services import cases, deployment, identity


def deploy_versions(app: Any, versions: int) -> None:
    source = (PROJECT_ROOT / "workflows" / "complaint.bpmn").read_text()
    assert 'name="Complaint" isExecutable' in source
    for n in range(versions):
        changed = source.replace('name="Complaint" isExecutable', f'name="Complaint {n + 1}" isExecutable')
        deployment.deploy_sources(app, {"complaint.bpmn": changed})
        cases.lodge(app, "complaint", {"category": "water", "description": f"On version {n + 1}",
                                       "location": "Main St"}, cases.Contact(), "web")


def measure(url: str, versions: int = 50) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(folder),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        identity.seed_demo(app, PASSWORD)
        deployment.deploy_directory(app, app.config.workflows_path)
        started = time.perf_counter()
        deploy_versions(app, versions)
        prepared = time.perf_counter() - started
        app.db.dispose()
        started = time.perf_counter()
        with served(url, folder, 1) as port:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as answer:
                assert answer.status == 200
            ready = time.perf_counter() - started
    return {"ready_s": ready, "versions": versions, "prepared_s": prepared}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--versions", type=int, default=50)
    args = parser.parse_args()
    with database(args.postgres) as url:
        r = measure(url, args.versions)
    print(f"{r['versions']} deployed versions, each with a running instance (deployed in {r['prepared_s']:.0f} s): "
          f"ready {r['ready_s']:.1f} s after start")


if __name__ == "__main__":
    main()
