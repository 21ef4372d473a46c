"""GET /api/v1/metrics: the dashboard's figures as JSON for the municipality's own reporting tools.

Authentication is issue 6's bearer token (`Authorization: Bearer <token>` from POST /api/v1/auth/token);
the token's user must be a supervisor, manager or administrator. Query parameters: `period` (2026-10, 2026,
2025/26 or 2026-10-01..2026-10-31; default this month), `group` (none, case_type, category, department,
channel, officer) and filters by the same names (e.g. `department=technical`).
"""

from __future__ import annotations

from flask import Blueprint, Response, g, request

from engine.errors import DomainError
from engine.metrics import service

from .api import answer, bearer, domain_error
from .dashboard import filters_from
from .services import batho

bp = Blueprint("metrics_api", __name__, url_prefix="/api/v1/metrics")
bp.register_error_handler(DomainError, domain_error)


@bp.route("")
@bearer
def metrics() -> Response:
    return answer(service.metrics_data(batho(), g.api_user, request.args.get("period"),
                                       request.args.get("group", "none"), filters_from(request.args)))
