"""The configuration is read once from the environment, the notification and cookie settings included."""

from __future__ import annotations

from engine.config import Config, NotifySettings

NOTIFY_VARIABLES = ("BATHO_SMTP_HOST", "BATHO_SMTP_PORT", "BATHO_SMTP_TLS", "BATHO_SMTP_USER", "BATHO_SMTP_PASSWORD",
                    "BATHO_MAIL_FROM", "BATHO_SMS_URL", "BATHO_SMS_TOKEN", "BATHO_NOTIFY_TEMPLATES", "BATHO_DIGEST_HOUR",
                    "BATHO_TASK_BATCH_MINUTES", "BATHO_PUBLIC_URL", "BATHO_SECURE_COOKIES")


def test_notification_and_cookie_settings_are_read_into_the_config(monkeypatch, tmp_path):
    for name in NOTIFY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in {"BATHO_INSTANCE_PATH": str(tmp_path), "BATHO_SECRET_KEY": "k", "PORT": "8080",
                        "BATHO_SMTP_HOST": "mail.mafube.example", "BATHO_SMTP_PORT": "587",
                        "BATHO_SMTP_TLS": "starttls", "BATHO_SMS_URL": "https://sms.example/send",
                        "BATHO_DIGEST_HOUR": "6", "BATHO_TASK_BATCH_MINUTES": "5",
                        "BATHO_SECURE_COOKIES": "1"}.items():
        monkeypatch.setenv(name, value)
    config = Config.from_env()
    assert config.notify == NotifySettings(smtp_host="mail.mafube.example", smtp_port=587, smtp_tls="starttls",
                                           sms_url="https://sms.example/send", digest_hour=6, task_batch_minutes=5)
    assert config.public_url == "http://127.0.0.1:8080", "message links use the one public URL"
    assert config.secure_cookies is True


def test_by_default_messages_go_to_the_log_and_cookies_are_not_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_SECRET_KEY", "k")
    for name in NOTIFY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = Config.from_env()
    assert (config.notify.smtp_host, config.notify.sms_url, config.secure_cookies) == ("", "", False)
