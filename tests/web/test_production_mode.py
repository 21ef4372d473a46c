"""BATHO_ENV=production: `batho serve` refuses weak settings with a sentence; no demo users or demo key are made."""

from __future__ import annotations

from pathlib import Path

import pytest
import waitress
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select, text

from web.cli import main

GOOD_SECRET = "0123456789abcdef0123456789abcdef-production"


@pytest.fixture
def production(tmp_path: Path, monkeypatch) -> dict:
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("BATHO_ENV", "production")
    monkeypatch.setenv("BATHO_SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("BATHO_SECURE_COOKIES", "1")
    monkeypatch.delenv("BATHO_DEMO_PASSWORD", raising=False)
    calls: dict = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: calls.update(options))
    return calls


def refusal(result) -> str:
    assert result.exit_code != 0
    return result.output


def test_production_serves_with_a_given_secret_secure_cookies_and_no_demo_password(production):
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    assert production["port"] == 5000


def test_a_missing_secret_is_refused_and_none_is_generated(production, monkeypatch, tmp_path):
    monkeypatch.delenv("BATHO_SECRET_KEY")
    output = refusal(CliRunner().invoke(main, ["serve"]))
    assert "BATHO_SECRET_KEY is not set: set it to a random secret of at least 32 characters" in output
    assert not production and not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("secret", ["change-me", "short-but-random-91"])
def test_a_default_or_short_secret_is_refused(production, monkeypatch, secret):
    monkeypatch.setenv("BATHO_SECRET_KEY", secret)
    assert "BATHO_SECRET_KEY is a default or shorter than 32 characters" in refusal(CliRunner().invoke(main, ["serve"]))
    assert not production


def test_a_demo_password_is_refused(production, monkeypatch):
    monkeypatch.setenv("BATHO_DEMO_PASSWORD", "demo")
    assert "BATHO_DEMO_PASSWORD is set: unset it" in refusal(CliRunner().invoke(main, ["serve"]))


def test_cookies_without_secure_are_refused_unless_told_so(production, monkeypatch):
    monkeypatch.delenv("BATHO_SECURE_COOKIES")
    output = refusal(CliRunner().invoke(main, ["serve"]))
    assert "set BATHO_SECURE_COOKIES=1" in output and "BATHO_INSECURE_COOKIES=1" in output
    monkeypatch.setenv("BATHO_INSECURE_COOKIES", "1")
    assert CliRunner().invoke(main, ["serve"]).exit_code == 0


def test_every_problem_is_named_at_once(production, monkeypatch):
    monkeypatch.delenv("BATHO_SECRET_KEY")
    monkeypatch.delenv("BATHO_SECURE_COOKIES")
    monkeypatch.setenv("BATHO_DEMO_PASSWORD", "x")
    output = refusal(CliRunner().invoke(main, ["serve"]))
    assert all(name in output for name in ("BATHO_SECRET_KEY", "BATHO_DEMO_PASSWORD", "BATHO_SECURE_COOKIES"))


def test_seed_demo_creates_no_demo_users_and_no_demo_key_in_production(production, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    output = refusal(runner.invoke(main, ["seed-demo"]))
    assert "demo users and the demo key are not created" in output
    engine = create_engine(f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 0
        assert conn.execute(select(func.count()).select_from(text("api_keys"))).scalar() == 0
    engine.dispose()


def test_outside_production_a_secret_is_still_generated_and_demo_users_seeded(tmp_path, monkeypatch):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_DATABASE_URL", f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    monkeypatch.delenv("BATHO_ENV", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert "Demo users created" in runner.invoke(main, ["seed-demo"]).output
    assert (tmp_path / "secret_key").exists()
