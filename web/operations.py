"""Operations: GET /readyz for the load balancer, GET /metrics for Prometheus, request latency by route."""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from engine.composition import Batho
from engine.services import operations

from .api import answer
from .services import batho

bp = Blueprint("operations", __name__)

# Not in the default registry: each scrape builds its own, so several apps in one process (tests) share one histogram.
# With `batho serve --processes N` PROMETHEUS_MULTIPROC_DIR is set and every process writes its samples there.
REQUEST_SECONDS = Histogram("batho_request_seconds", "Time to answer a request, by route", ["route", "method"],
                            registry=None, buckets=(.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


class DatabaseFigures(Collector):
    """Gauges computed from the tables at scrape time: the same whichever process or machine answers."""

    def __init__(self, app: Batho) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        made = operations.figures(self.app)
        tasks = GaugeMetricFamily("batho_open_tasks", "Open human tasks by process and step",
                                  labels=["process", "step"])
        for (process, step), count in sorted(made.open_tasks.items()):
            tasks.add_metric([process, step], count)
        yield tasks
        outbox = GaugeMetricFamily("batho_outbox_messages", "Outbox messages by status (pending, sending: the "
                                   "backlog; failed: given up)", labels=["status"])
        for status, count in sorted(made.outbox.items()):
            outbox.add_metric([status], count)
        yield outbox
        for name, text, value in (
                ("batho_cases", "Cases lodged (all time)", made.cases_lodged),
                ("batho_overdue_cases", "Open cases past their due date", made.overdue_cases),
                ("batho_timers_due", "Running instances whose next timer is due", made.timers_due),
                ("batho_timers_late", "Due timers not fired within two minutes", made.timers_late),
                ("batho_instances_in_error", "Instances stopped in the error state", made.instances_in_error)):
            yield GaugeMetricFamily(name, text, value=value)


def _allowed() -> bool:
    config = batho().config
    header = request.headers.get("Authorization", "")
    if config.metrics_token and hmac.compare_digest(header.encode(), f"Bearer {config.metrics_token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in config.metrics_allow)


@bp.route("/readyz")
def readyz() -> Response:
    found = operations.readiness(batho())
    body = {"status": "ready" if found.ready else "not ready", "database": found.database,
            "migrations": found.migrations, "specs": found.specs, "problems": list(found.problems)}
    return answer(body, 200 if found.ready else 503)


@bp.route("/metrics")
def metrics() -> Response:
    if not _allowed():
        return answer({"error": "The metrics need the bearer token of BATHO_METRICS_TOKEN, or a client address in "
                                "BATHO_METRICS_ALLOW."}, 403)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # the library's own switch: samples of every process
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseFigures(batho()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def register(app: Flask) -> None:
    """Time every request by its route pattern (never the URL itself: references would make a series each)."""

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def observed(response: Response) -> Response:
        began = g.get("started")
        if began is not None:
            route = request.url_rule.rule if request.url_rule is not None else "unmatched"
            REQUEST_SECONDS.labels(route, request.method).observe(time.perf_counter() - began)
        return response
