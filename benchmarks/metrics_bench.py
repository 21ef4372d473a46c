"""Dashboard, report and insight query times on a database filled by benchmarks.generate_cases.

Usage:
    python -m benchmarks.metrics_bench --url postgresql+psycopg://postgres@127.0.0.1:5432/batho_bench
    python -m benchmarks.metrics_bench --url sqlite:////tmp/batho-bench.sqlite3 --repeat 3

Prints, for each view, the first (cold) time and the median of the repeats, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.metrics import report, service, transparency
from engine.models import Case, CaseEvent
from engine.services.identity import Identity

MANAGER = Identity(0, "bench", "Benchmark", frozenset({"manager", "admin", "process_owner"}), frozenset())


def _views(app: Any) -> list[tuple[str, Callable[[], Any]]]:
    today = date.today()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    month = f"{last_month_end:%Y-%m}"
    year = str(today.year - 1)
    fy_start = today.year - 1 if today.month >= 7 else today.year - 2
    fin_year = f"{fy_start}/{(fy_start + 1) % 100:02d}"
    views: list[tuple[str, Callable[[], Any]]] = [
        (f"dashboard month {month}", lambda: service.dashboard(app, MANAGER, month)),
        (f"dashboard month {month} by department", lambda: service.dashboard(app, MANAGER, month, "department")),
        (f"dashboard month {month} by officer", lambda: service.dashboard(app, MANAGER, month, "officer")),
        (f"dashboard year {year} by category", lambda: service.dashboard(app, MANAGER, year, "category")),
        (f"dashboard financial year {fin_year} by channel", lambda: service.dashboard(app, MANAGER, fin_year,
                                                                                      "channel")),
        ("drill-down: overdue now", lambda: service.drill(app, MANAGER, month, "overdue")),
        (f"drill-down: closed in {month}, technical", lambda: service.drill(app, MANAGER, month, "closed",
                                                                              "department", "technical")),
        (f"GET /api/v1/metrics {month} by department", lambda: service.metrics_data(app, MANAGER, month,
                                                                                       "department")),
        (f"Council report month {month}", lambda: report.council_report(app, MANAGER, month)),
        (f"Council report year {fin_year}", lambda: report.council_report(app, MANAGER, fin_year)),
        ("public transparency page", lambda: transparency.public_figures(app)),
    ]
    try:
        from engine.metrics import insight
    except ImportError:
        return views
    views.append((f"process insight complaint {month}", lambda: insight.process_insight(app, MANAGER, "complaint",
                                                                                         None, month)))
    return views


def run(url: str, repeat: int) -> None:
    app = build(Config(database_url=url, secret_key="bench", instance_path=PROJECT_ROOT / "instance"))
    with app.db.reading() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
        events = session.scalar(select(func.count()).select_from(CaseEvent))
        first = session.scalar(select(func.min(Case.opened_at)))
    print(f"database: {url.split('@')[-1]}  cases: {cases:,}  events: {events:,}  since {first:%Y-%m-%d}")
    print(f"{'view':<58} {'cold ms':>9} {'median ms':>10}")
    for name, view in _views(app):
        times = []
        for _ in range(repeat + 1):
            started = time.perf_counter()
            view()
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:<58} {times[0]:>9.0f} {statistics.median(times[1:]):>10.0f}", flush=True)
    app.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(args.url, args.repeat)


if __name__ == "__main__":
    main()
