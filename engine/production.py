"""What BATHO_ENV=production refuses: each problem a sentence saying what to set."""

from __future__ import annotations

from .config import Config

MIN_SECRET_LENGTH = 32
# Placeholders copied from examples and the test suite: never a production secret.
DEFAULT_SECRETS = {"change-me", "changeme", "secret", "test-secret", "dev", "development", "batho", "demo"}


class NotReadyForProduction(Exception):
    """`batho serve` will not start; the message lists what to set."""


def problems(config: Config) -> list[str]:
    """Every reason the configuration is not fit to serve in production (empty outside production)."""
    if not config.production:
        return []
    found = []
    secret = config.secret_key
    if not secret:
        found.append("BATHO_SECRET_KEY is not set: set it to a random secret of at least 32 characters "
                     "(python -c 'import secrets; print(secrets.token_hex(32))'), the same for every web process.")
    elif secret.strip().lower() in DEFAULT_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        found.append(f"BATHO_SECRET_KEY is a default or shorter than {MIN_SECRET_LENGTH} characters: set it to a "
                     "random secret of at least 32 characters.")
    if config.demo_password_given:
        found.append("BATHO_DEMO_PASSWORD is set: unset it, production has no demo users.")
    if not config.secure_cookies and not config.insecure_cookies_ok:
        found.append("BATHO_SECURE_COOKIES is not 1: set BATHO_SECURE_COOKIES=1 (served over HTTPS), or "
                     "BATHO_INSECURE_COOKIES=1 if you really serve it without TLS.")
    return found


def check(config: Config) -> None:
    """Raise NotReadyForProduction with every problem when there is one."""
    found = problems(config)
    if found:
        raise NotReadyForProduction("Batho will not serve in production: " + " ".join(found))


def refuse_demo(config: Config) -> None:
    """Demo users and the demo API key are never created in production."""
    if config.production:
        raise NotReadyForProduction("BATHO_ENV is production: demo users and the demo key are not created "
                                    "there. Create staff accounts on the administrator's pages or with "
                                    "`batho users`.")
