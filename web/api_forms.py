"""GET /api/v1/processes/{key}/start-form: a process's start form with every constraint (Camunda 7's
/process-definition/key/{key}/form-variables, with the fields' constraints beside the variables)."""

from __future__ import annotations

from flask import Response, g

from engine.services import starting
from engine.services.external_values import typed

from .api import answer, bearer, bp, field_json
from .services import batho


@bp.route("/processes/<key>/start-form")
@bearer
def process_start_form(key: str) -> Response:
    process, version, fields = starting.start_form(batho(), g.api_user, key)
    return answer({"key": process.key, "name": process.name, "version": version,
                   "fields": [field_json(f) for f in fields],
                   "variables": {f.id: typed(f.default) for f in fields}})
