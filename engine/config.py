"""Configuration read once from environment variables, each with a default; nothing else reads the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "engine" / "notify" / "templates"
# The gettext catalogs that also translate the diagrams' public notes on the status page (data files only).
CATALOGS = PROJECT_ROOT / "web" / "translations"
# The municipality's wards (GeoJSON); the shipped file is a made-up EXAMPLE of Mafube (config/wards/README.md).
WARDS_FILE = PROJECT_ROOT / "config" / "wards" / "mafube-example.geojson"


def _instance_path() -> Path:
    return Path(os.environ.get("BATHO_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _secret_key(instance: Path, production: bool) -> str:
    """Return BATHO_SECRET_KEY, or a key generated once and kept in instance/ (never in production: it is given)."""
    configured = os.environ.get("BATHO_SECRET_KEY")
    if configured or production:
        return configured or ""
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


def _flag(name: str) -> bool:
    return os.environ.get(name, "") in ("1", "true", "yes")


def _addresses(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


@dataclass(frozen=True)
class LdapSettings:
    """The municipality's directory; an empty url: local accounts only."""

    url: str = ""
    base_dn: str = ""
    bind_dn: str = ""
    bind_password: str = ""
    user_filter: str = "(uid={username})"
    # group DN -> "role" or "dept:code" entries, from BATHO_LDAP_GROUPS="dn=role;dn=dept:technical;..."
    groups: tuple[tuple[str, str], ...] = ()
    timeout: float = 5.0

    @classmethod
    def from_env(cls) -> LdapSettings:
        env = os.environ.get
        groups = []
        for entry in env("BATHO_LDAP_GROUPS", "").split(";"):
            dn, _, target = entry.strip().rpartition("=")  # the DN has '=' in it: the last one separates
            if dn and target:
                groups.append((dn.strip().lower(), target.strip()))
        return cls(url=env("BATHO_LDAP_URL", "").strip(), base_dn=env("BATHO_LDAP_BASE_DN", "").strip(),
                   bind_dn=env("BATHO_LDAP_BIND_DN", "").strip(), bind_password=env("BATHO_LDAP_BIND_PASSWORD", ""),
                   user_filter=env("BATHO_LDAP_USER_FILTER", "").strip() or cls.user_filter, groups=tuple(groups),
                   timeout=float(env("BATHO_LDAP_TIMEOUT", "5")))


@dataclass(frozen=True)
class NotifySettings:
    """Where and how messages go; with no SMTP host and no SMS URL they go to the log (links: `Config.public_url`)."""

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_tls: str = "none"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 10.0
    mail_from: str = "Mafube Customer Care <customercare@mafube.gov.za>"
    sms_url: str = ""
    sms_token: str = ""
    templates: Path = TEMPLATES
    catalogs: Path = CATALOGS
    digest_hour: int = 7
    task_batch_minutes: float = 10.0
    max_attempts: int = 12
    backoff_seconds: float = 30.0
    backoff_max_seconds: float = 6 * 3600.0

    @classmethod
    def from_env(cls) -> NotifySettings:
        """The BATHO_SMTP_*, BATHO_SMS_*, BATHO_MAIL_FROM, BATHO_NOTIFY_TEMPLATES and batching variables."""
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
            templates=Path(env("BATHO_NOTIFY_TEMPLATES", str(TEMPLATES))),
            digest_hour=int(env("BATHO_DIGEST_HOUR", "7")),
            task_batch_minutes=float(env("BATHO_TASK_BATCH_MINUTES", "10")),
        )

    def backoff(self, attempts: int) -> float:
        """Seconds to wait before attempt number `attempts + 1`: doubling, capped."""
        return float(min(self.backoff_seconds * 2 ** max(attempts - 1, 0), self.backoff_max_seconds))


@dataclass(frozen=True)
class WhatsAppSettings:
    """The WhatsApp Cloud API (issue 15): the webhook's verify token and app secret, and where replies are sent.
    No verify token: the channel is off and /channels/whatsapp answers 404."""

    verify_token: str = ""
    app_secret: str = ""
    api_url: str = "https://graph.facebook.com/v21.0"
    phone_number_id: str = ""
    token: str = ""
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.verify_token)

    @classmethod
    def from_env(cls) -> WhatsAppSettings:
        """The BATHO_WHATSAPP_* variables."""
        env = os.environ.get
        return cls(verify_token=env("BATHO_WHATSAPP_VERIFY_TOKEN", "").strip(),
                   app_secret=env("BATHO_WHATSAPP_APP_SECRET", "").strip(),
                   api_url=(env("BATHO_WHATSAPP_API_URL", "").strip() or cls.api_url).rstrip("/"),
                   phone_number_id=env("BATHO_WHATSAPP_PHONE_NUMBER_ID", "").strip(),
                   token=env("BATHO_WHATSAPP_TOKEN", "").strip())


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
    # The app refuses bodies over 2 MiB itself, photo forms over 31 MiB (three 10 MB photos); this bounds buffering.
    max_request_body_size: int = 32 * 1024 * 1024
    # Reverse proxies in front of the app whose X-Forwarded-For is believed; 0: the connecting address is the client.
    trusted_proxies: int = 0
    # Served over HTTPS: the session cookie is Secure and named __Host-batho.
    secure_cookies: bool = False
    notify: NotifySettings = field(default_factory=NotifySettings)
    # BATHO_ENV=production: no demo data, and `batho serve` checks its settings (engine/production.py).
    environment: str = "development"
    demo_password_given: bool = False  # BATHO_DEMO_PASSWORD set: refused in production
    insecure_cookies_ok: bool = False  # BATHO_INSECURE_COOKIES=1: told to serve without Secure cookies
    log_format: str = "text"  # text | json
    metrics_token: str = ""
    metrics_allow: tuple[str, ...] = ()  # addresses or networks that may read /metrics without the token
    ldap: LdapSettings = field(default_factory=LdapSettings)
    whatsapp: WhatsAppSettings = field(default_factory=WhatsAppSettings)
    wards_file: Path = WARDS_FILE
    # The map tiles behind the citizen's pin ({z}/{x}/{y} URL); empty: the map shows only the ward outlines.
    map_tiles_url: str = ""
    # The role (key or name) that works a manual task drawn outside any lane (diagrams made for Camunda 7).
    unassigned_task_role: str = "supervisor"
    # The secrets in the USSD and inbound SMS gateways' callback URLs (?token=...); empty: that channel is off (404).
    ussd_token: str = ""
    sms_inbound_token: str = ""
    # What the printed acknowledgement slip tells citizens to dial or text (empty: the slip leaves that line out).
    ussd_code: str = ""
    sms_number: str = ""

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls) -> Config:
        """Build the configuration from the process environment."""
        instance = _instance_path()
        instance.mkdir(parents=True, exist_ok=True)
        environment = os.environ.get("BATHO_ENV", "development").strip().lower() or "development"
        default_db = f"sqlite:///{instance / 'batho.sqlite3'}"
        port = int(os.environ.get("PORT", "5000"))
        return cls(
            database_url=os.environ.get("BATHO_DATABASE_URL", default_db),
            secret_key=_secret_key(instance, environment == "production"),
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
            secure_cookies=_flag("BATHO_SECURE_COOKIES"),
            notify=NotifySettings.from_env(),
            environment=environment,
            demo_password_given="BATHO_DEMO_PASSWORD" in os.environ,
            insecure_cookies_ok=_flag("BATHO_INSECURE_COOKIES"),
            log_format=os.environ.get("BATHO_LOG_FORMAT", "text").strip().lower() or "text",
            metrics_token=os.environ.get("BATHO_METRICS_TOKEN", "").strip(),
            metrics_allow=_addresses("BATHO_METRICS_ALLOW"),
            ldap=LdapSettings.from_env(),
            whatsapp=WhatsAppSettings.from_env(),
            wards_file=Path(os.environ.get("BATHO_WARDS_FILE", "").strip() or WARDS_FILE),
            map_tiles_url=os.environ.get("BATHO_MAP_TILES_URL", "").strip(),
            unassigned_task_role=os.environ.get("BATHO_UNASSIGNED_TASK_ROLE", "").strip() or "supervisor",
            ussd_token=os.environ.get("BATHO_USSD_TOKEN", "").strip(),
            sms_inbound_token=os.environ.get("BATHO_SMS_INBOUND_TOKEN", "").strip(),
            ussd_code=os.environ.get("BATHO_USSD_CODE", "").strip(),
            sms_number=os.environ.get("BATHO_SMS_NUMBER", "").strip(),
        )
