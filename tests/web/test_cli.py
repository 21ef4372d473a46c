"""The `batho` command: migrate, deploy and seed on a fresh database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

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
