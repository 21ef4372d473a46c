"""The Flask app: a thin, server-rendered layer over the engine's services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

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
        WTF_CSRF_TIME_LIMIT=None,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["batho"] = batho
    csrf.init_app(app)
    if not app.config.get("TESTING"):
        _warm(batho)

    from . import auth, errors, filters, public, tasks

    errors.register(app)
    filters.register(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(tasks.bp)
    from . import cases, i18n, security, supervise

    i18n.register(app)
    security.register(app)
    app.register_blueprint(cases.bp)
    app.register_blueprint(supervise.bp)
    from . import suggestions  # issue 3: suggestion slips, "you said, we did"

    app.register_blueprint(suggestions.bp)
    from . import casework  # issue 3: deviations awaiting reasons, credit-control holds

    app.register_blueprint(casework.bp)
    from . import council, dashboard, insight, metrics_api  # issue 7: monitoring

    app.register_blueprint(dashboard.bp)
    app.register_blueprint(council.bp)
    app.register_blueprint(insight.bp)
    csrf.exempt(metrics_api.bp)
    app.register_blueprint(metrics_api.bp)
    from . import api, integration_admin, open311

    for machine_facing in (api.bp, open311.bp, api.health_bp):  # api_key / bearer tokens, not cookies
        csrf.exempt(machine_facing)
        app.register_blueprint(machine_facing)
    app.register_blueprint(integration_admin.bp)
    from . import modeler  # issue 5: process owners' modeler

    app.register_blueprint(modeler.bp)
    return app


def _warm(batho: Batho) -> None:
    """Parse deployed diagrams at start-up (when the schema exists), so no request parses BPMN."""
    from contextlib import suppress

    from sqlalchemy.exc import DBAPIError

    from engine.services.deployment import warm_spec_cache

    with suppress(DBAPIError):  # a database not yet migrated: `batho db upgrade` comes first
        warm_spec_cache(batho)
