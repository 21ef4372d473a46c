"""Configuration read from environment variables, each with a default."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _instance_path() -> Path:
    return Path(os.environ.get("BATHO_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _secret_key(instance: Path) -> str:
    """Return BATHO_SECRET_KEY, or a key generated once and kept in instance/."""
    configured = os.environ.get("BATHO_SECRET_KEY")
    if configured:
        return configured
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _trusted_proxies() -> int:
    value = os.environ.get("BATHO_TRUSTED_PROXIES", "0").strip() or "0"
    if not value.isdigit():
        raise ValueError(f"BATHO_TRUSTED_PROXIES must be a whole number of proxies (0 or more), not {value!r}.")
    return int(value)


def _whole(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}.")
    return int(value)


@dataclass(frozen=True)
class Config:
    """Settings for one Batho deployment."""

    database_url: str
    secret_key: str
    instance_path: Path
    port: int = 5000
    demo_password: str = "demo"
    timezone: str = "Africa/Johannesburg"
    reference_prefix: str = "MAF"
    workflows_path: Path = field(default=PROJECT_ROOT / "workflows")
    worker_interval_seconds: float = 5.0
    suggestion_box_day: str = "friday"
    suggestion_box_time: str = "09:00"
    policy_review_date: str = "03-01"
    # CPU seconds all diagram code (scripts, conditions, DMN, timers) of one engine step may use before it is stopped.
    script_budget_seconds: float = 1.0
    # The site's address as citizens and other systems reach it (behind the proxy); never taken from a Host header.
    public_url: str = "http://127.0.0.1:5000"
    # waitress: each connection holds a slot until it finishes or stays idle channel_timeout seconds.
    threads: int = 8
    connection_limit: int = 100
    channel_timeout: int = 60
    max_request_header_size: int = 64 * 1024
    max_request_body_size: int = 3 * 1024 * 1024  # the app refuses bodies over 2 MiB itself; this bounds buffering
    # Reverse proxies in front of the app whose X-Forwarded-For is believed; 0: the connecting address is the client.
    trusted_proxies: int = 0

    @classmethod
    def from_env(cls) -> Config:
        """Build the configuration from the process environment."""
        instance = _instance_path()
        instance.mkdir(parents=True, exist_ok=True)
        default_db = f"sqlite:///{instance / 'batho.sqlite3'}"
        port = int(os.environ.get("PORT", "5000"))
        return cls(
            database_url=os.environ.get("BATHO_DATABASE_URL", default_db),
            secret_key=_secret_key(instance),
            instance_path=instance,
            port=port,
            public_url=os.environ.get("BATHO_PUBLIC_URL", f"http://127.0.0.1:{port}").strip().rstrip("/"),
            threads=_whole("BATHO_THREADS", cls.threads),
            connection_limit=_whole("BATHO_CONNECTION_LIMIT", cls.connection_limit),
            channel_timeout=_whole("BATHO_CHANNEL_TIMEOUT", cls.channel_timeout),
            max_request_header_size=_whole("BATHO_MAX_REQUEST_HEADER_SIZE", cls.max_request_header_size),
            max_request_body_size=_whole("BATHO_MAX_REQUEST_BODY_SIZE", cls.max_request_body_size),
            demo_password=os.environ.get("BATHO_DEMO_PASSWORD", "demo"),
            timezone=os.environ.get("BATHO_TIMEZONE", "Africa/Johannesburg"),
            reference_prefix=os.environ.get("BATHO_REFERENCE_PREFIX", "MAF"),
            workflows_path=Path(os.environ.get("BATHO_WORKFLOWS_PATH", PROJECT_ROOT / "workflows")),
            worker_interval_seconds=float(os.environ.get("BATHO_WORKER_INTERVAL", "5")),
            suggestion_box_day=os.environ.get("BATHO_SUGGESTION_BOX_DAY", "friday").strip().lower(),
            suggestion_box_time=os.environ.get("BATHO_SUGGESTION_BOX_TIME", "09:00").strip(),
            policy_review_date=os.environ.get("BATHO_POLICY_REVIEW_DATE", "03-01").strip(),
            script_budget_seconds=float(os.environ.get("BATHO_SCRIPT_BUDGET_SECONDS", "1")),
            trusted_proxies=_trusted_proxies(),
        )
