"""`batho serve`: waitress gets its connection limit, timeouts and size limits from configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
import waitress
from click.testing import CliRunner

from web.cli import main
from web.photos import UPLOAD_LIMIT


@pytest.fixture
def served(tmp_path: Path, monkeypatch) -> dict:
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    calls: dict = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: calls.update(options))
    return calls


def test_serve_passes_the_configured_limits_to_waitress(served, monkeypatch):
    for name, value in {"PORT": "8123", "BATHO_THREADS": "4", "BATHO_CONNECTION_LIMIT": "40",
                        "BATHO_CHANNEL_TIMEOUT": "15", "BATHO_MAX_REQUEST_HEADER_SIZE": "16384",
                        "BATHO_MAX_REQUEST_BODY_SIZE": "2500000"}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    assert served == {"host": "127.0.0.1", "port": 8123, "threads": 4, "connection_limit": 40, "channel_timeout": 15,
                      "max_request_header_size": 16384, "max_request_body_size": 2500000, "expose_tracebacks": False}


def test_serve_has_limits_by_default_and_threads_may_be_given_on_the_command_line(served):
    assert CliRunner().invoke(main, ["serve", "--threads", "2"]).exit_code == 0
    assert served["threads"] == 2 and served["connection_limit"] == 100 and served["channel_timeout"] == 60
    assert served["max_request_body_size"] == 32 * 1024 * 1024 >= UPLOAD_LIMIT  # three 10 MB photos reach the app


def test_a_limit_that_is_not_a_whole_number_stops_serve_with_a_sentence(served, monkeypatch):
    monkeypatch.setenv("BATHO_CONNECTION_LIMIT", "lots")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code != 0 and not served
    assert "BATHO_CONNECTION_LIMIT must be a whole number of 1 or more" in str(result.exception)
