"""`batho deploy` runs the same checks as the modeler and says what is wrong, file by file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.modeler.diagrams import complaint_files
from web.cli import main


def test_the_deploy_command_lists_the_problems_and_deploys_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    folder = tmp_path / "workflows"
    folder.mkdir()
    for name, text in complaint_files().items():
        (folder / name).write_text(text.replace('decision == "approve"', 'decision = "approve"'), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    refused = runner.invoke(main, ["deploy", str(folder)])
    assert refused.exit_code == 1
    assert 'complaint.bpmn: Path "Approve" (Flow_approved): its condition cannot be used' in refused.output
    assert "Nothing was deployed: 1 problem(s) to fix first." in refused.output


def test_the_deploy_command_deploys_with_a_lane_that_is_no_role_and_prints_the_warning(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    folder = tmp_path / "workflows"
    folder.mkdir()
    for name, text in complaint_files().items():
        (folder / name).write_text(text.replace('name="Supervisor"', 'name="Bosses"'), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    deployed = runner.invoke(main, ["deploy", str(folder)])
    assert deployed.exit_code == 0, deployed.output
    assert "complaint: deployed as version 1" in deployed.output
    assert "warning: complaint.bpmn: Lane 'Bosses' is not a role" in deployed.output
