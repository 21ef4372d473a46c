"""Domain errors to HTTP in one place, and error pages without stack traces."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, DeploymentError, DomainError, Forbidden, NotFound, ValidationFailed

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, ValidationFailed: 400, DeploymentError: 400}
log = logging.getLogger(__name__)


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        code = status_of(error)
        return render_template("errors/error.html", code=code, message=str(error)), code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        message = "This form has expired or did not come from this site. Go back, reload the page and try again."
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        return render_template("errors/error.html", code=error.code, message=error.description), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        log.exception("unhandled error")
        message = "Something went wrong on our side. Nothing you entered was lost; please try again shortly."
        return render_template("errors/error.html", code=500, message=message), 500
