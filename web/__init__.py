"""The Flask app: a thin, server-rendered layer over the engine's services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from engine.composition import Batho, build
from engine.config import Config

csrf = CSRFProtect()


def create_app(batho: Batho | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    """App factory: pass a built Batho (tests do) or let it be built from the environment."""
    batho = batho or build(Config.from_env())
    app = Flask(__name__, instance_path=str(batho.config.instance_path))
    app.config.update(
        SECRET_KEY=batho.config.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=9),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # A form stays usable for a working day, then asks to be reloaded (not for ever, as Flask-WTF allows).
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["batho"] = batho
    if batho.config.trusted_proxies:  # believe X-Forwarded-For only as far as our own proxies wrote it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=batho.config.trusted_proxies)  # type: ignore[method-assign]
    from .photos import widen_upload_limit

    app.before_request(widen_upload_limit)  # before CSRF reads a photo form's body (web/photos.py)
    csrf.init_app(app)
    if not app.config.get("TESTING"):
        _warm(batho)

    from . import (
        account,
        admin_staff,
        api,
        api_external,  # noqa: F401  (its routes join the API's blueprint before it is registered)
        api_forms,  # noqa: F401  (its routes join the API's blueprint before it is registered)
        api_messages,  # noqa: F401  (its routes join the API's blueprint before it is registered)
        auth,
        capture,
        cases,
        casework,
        council,
        councillor,
        dashboard,
        errors,
        filters,
        followup,
        headers,
        i18n,
        insight,
        integration_admin,
        limits,
        metrics_api,
        modeler,
        open311,
        photos,
        places,
        profile,
        public,
        search,
        security,
        slips,
        suggestions,
        supervise,
        tasks,
    )

    errors.register(app)
    filters.register(app)
    i18n.register(app)
    security.register(app, batho.config.secure_cookies)
    headers.register(app)
    limits.register(app)
    from . import logs, operations  # request ids and log lines; latency by route, /readyz and /metrics

    logs.register(app)
    operations.register(app)
    # Pages for people in a browser: session cookies and CSRF tokens.
    for page in (auth.bp, account.bp, public.bp, tasks.bp, search.bp, cases.bp, capture.bp, supervise.bp,
                 suggestions.bp, casework.bp, dashboard.bp, council.bp, insight.bp, integration_admin.bp, modeler.bp,
                 admin_staff.bp, profile.bp, councillor.bp, followup.bp, slips.bp):
        app.register_blueprint(page)
    app.register_blueprint(places.bp)  # the map's wards and nearby cases (public); staff setting a ward
    app.register_blueprint(photos.bp)  # photos: for staff who may see the case, and the citizen with the code
    # Machine-facing endpoints authenticate with API keys or bearer tokens, not cookies: no CSRF.
    for machine_facing in (api.bp, api.health_bp, open311.bp, metrics_api.bp, operations.bp):
        csrf.exempt(machine_facing)
        app.register_blueprint(machine_facing)
    from . import ussd_sms  # the USSD and SMS gateways' callbacks: a secret in the URL, no cookies, no CSRF

    csrf.exempt(ussd_sms.bp)
    app.register_blueprint(ussd_sms.bp)
    from . import whatsapp  # Meta's WhatsApp webhook: each body signed with the app secret, no cookies, no CSRF

    csrf.exempt(whatsapp.bp)
    app.register_blueprint(whatsapp.bp)
    return app


def _warm(batho: Batho) -> None:
    """Parse deployed diagrams at start-up (when the schema exists), so no request parses BPMN."""
    from contextlib import suppress

    from sqlalchemy.exc import DBAPIError

    from engine.services.deployment import warm_spec_cache

    with suppress(DBAPIError):  # a database not yet migrated: `batho db upgrade` comes first
        warm_spec_cache(batho, in_background=True)  # older versions still in use: parsed after start-up
