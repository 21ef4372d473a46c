"""The `batho` command: migrate, deploy and seed on a fresh database; the worker stops when told to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

from engine.worker import StopFlag, run
from web.cli import main


def test_batho_migrates_deploys_and_seeds_a_fresh_database(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    deployed = runner.invoke(main, ["deploy"])
    assert deployed.exit_code == 0, deployed.output
    assert "complaint: deployed as version 1" in deployed.output
    assert "complaint: unchanged at version 1" in runner.invoke(main, ["deploy"]).output
    seeded = runner.invoke(main, ["seed-demo"])
    assert "Demo users created" in seeded.output
    assert "Users exist already" in runner.invoke(main, ["seed-demo"]).output
    assert (tmp_path / "secret_key").exists()
    assert runner.invoke(main, ["worker", "--once"]).exit_code == 0


def test_the_worker_stops_within_seconds_of_sigterm_while_it_waits(empty_batho, tmp_path: Path):
    env = {**os.environ, "BATHO_DATABASE_URL": empty_batho.config.database_url, "BATHO_INSTANCE_PATH": str(tmp_path),
           "BATHO_WORKER_INTERVAL": "60"}
    worker = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "worker"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(3)  # started and done with its first pass: now inside the 60-second wait
        assert worker.poll() is None, worker.communicate()[0]
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=5)
    finally:
        worker.kill()
    assert worker.returncode == 0, worker.communicate()[0]


def test_the_worker_loop_runs_passes_until_its_flag_is_set_without_a_web_app(empty_batho):
    flag = StopFlag()
    stopper = threading.Timer(0.5, flag.stop)
    stopper.start()
    started = time.monotonic()
    run(empty_batho, flag)
    assert time.monotonic() - started < 3
