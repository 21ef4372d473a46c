"""Notification settings from environment variables, each with a default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The gettext catalogs that also translate the diagrams' public notes on the status page (data files only).
CATALOGS = Path(__file__).resolve().parent.parent.parent / "web" / "translations"


@dataclass(frozen=True)
class NotifySettings:
    """Where and how messages go; with no SMTP host and no SMS URL they go to the log."""

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_tls: str = "none"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 10.0
    mail_from: str = "Mafube Customer Care <customercare@mafube.gov.za>"
    sms_url: str = ""
    sms_token: str = ""
    public_url: str = "http://127.0.0.1:5000"
    templates: Path = TEMPLATES
    catalogs: Path = CATALOGS
    digest_hour: int = 7
    task_batch_minutes: float = 10.0
    max_attempts: int = 12
    backoff_seconds: float = 30.0
    backoff_max_seconds: float = 6 * 3600.0

    @classmethod
    def from_env(cls) -> NotifySettings:
        env = os.environ.get
        return cls(
            smtp_host=env("BATHO_SMTP_HOST", ""),
            smtp_port=int(env("BATHO_SMTP_PORT", "25")),
            smtp_tls=env("BATHO_SMTP_TLS", "none"),
            smtp_user=env("BATHO_SMTP_USER", ""),
            smtp_password=env("BATHO_SMTP_PASSWORD", ""),
            mail_from=env("BATHO_MAIL_FROM", cls.mail_from),
            sms_url=env("BATHO_SMS_URL", ""),
            sms_token=env("BATHO_SMS_TOKEN", ""),
            public_url=env("BATHO_PUBLIC_URL", f"http://127.0.0.1:{env('PORT', '5000')}").rstrip("/"),
            templates=Path(env("BATHO_NOTIFY_TEMPLATES", str(TEMPLATES))),
            digest_hour=int(env("BATHO_DIGEST_HOUR", "7")),
            task_batch_minutes=float(env("BATHO_TASK_BATCH_MINUTES", "10")),
        )

    def backoff(self, attempts: int) -> float:
        """Seconds to wait before attempt number `attempts + 1`: doubling, capped."""
        return float(min(self.backoff_seconds * 2 ** max(attempts - 1, 0), self.backoff_max_seconds))
