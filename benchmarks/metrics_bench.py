"""Dashboard, report and insight query times on a database filled by benchmarks.generate_cases.

Usage:
    python -m benchmarks.metrics_bench --url postgresql+psycopg://postgres@127.0.0.1:5432/batho_bench
    python -m benchmarks.metrics_bench --url sqlite:////tmp/batho-bench.sqlite3 --repeat 3

Prints, for each view, the first (cold) time and the median of the repeats, in milliseconds, beside its target
(issue 14) where it has one; `--before` also times each view counted from the cases alone (the daily roll-ups set
aside, as before they existed).

For `python -m benchmarks`: `run(url, repeat=3, before=False) -> list[dict]` returns one dict per view and way,
`{"name": str, "value": float (median ms), "unit": "ms", "target": float | None (at most, ms)}`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, func, select

from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.metrics import report, rollups, service, transparency
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


# Issue 14's targets (milliseconds, at most) at a million cases, by the start of the view's name.
TARGETS = {"dashboard month": 200.0, "dashboard year": 500.0, "dashboard financial year": 500.0,
           "Council report year": 1000.0}


def target_of(name: str) -> float | None:
    if " by officer" in name:
        return None  # officers' credit rules read the audit trail: not a roll-up view
    return next((t for start, t in TARGETS.items() if name.startswith(start)), None)


def _time(name: str, view: Callable[[], Any], repeat: int, statements: list[int]) -> dict[str, Any]:
    times = []
    for _ in range(repeat + 1):
        statements[0] = 0
        started = time.perf_counter()
        view()
        times.append((time.perf_counter() - started) * 1000)
    figure = {"name": name, "value": round(statistics.median(times[1:]), 1), "unit": "ms", "target": target_of(name)}
    target = f"<= {figure['target']:.0f}" if figure["target"] else ""
    print(f"{name:<66} {times[0]:>9.0f} {figure['value']:>10.0f} {target:>9} {statements[0]:>6}", flush=True)
    return figure


def _counting(app: Any) -> list[int]:
    """A counter of the statements the read engine runs (the last run's count is printed: it does not depend on
    the machine's load, as the times do)."""
    count = [0]

    def counted(*_: Any) -> None:
        count[0] += 1

    event.listen(app.db.read_engine, "before_cursor_execute", counted)
    return count


def run(url: str, repeat: int = 3, before: bool = False, only: str = "") -> list[dict[str, Any]]:
    """Time every view (and, with `before`, each counted from the cases alone); one figure dict per timing.

    `only` keeps the views whose name contains one of its comma-separated parts (all of them when empty)."""
    app = build(Config(database_url=url, secret_key="bench", instance_path=PROJECT_ROOT / "instance"))
    with app.db.reading() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
        events = session.scalar(select(func.count()).select_from(CaseEvent))
        first = session.scalar(select(func.min(Case.opened_at)))
    print(f"database: {url.split('@')[-1]}  cases: {cases:,}  events: {events:,}  since {first:%Y-%m-%d}")
    print(f"{'view':<66} {'cold ms':>9} {'median ms':>10} {'target':>9} {'statements':>6}")
    figures, statements = [], _counting(app)
    parts = [p.strip() for p in only.split(",") if p.strip()]
    views = [(n, v) for n, v in _views(app) if not parts or any(p in n for p in parts)]
    if before:
        serves = rollups.serves
        rollups.serves = lambda session, scope: False  # type: ignore[assignment]
        try:
            figures += [_time(f"{name} (from cases)", view, repeat, statements) for name, view in views]
        finally:
            rollups.serves = serves  # type: ignore[assignment]
    figures += [_time(name, view, repeat, statements) for name, view in views]
    app.db.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", action="store_true", help="also time each view counted from the cases alone")
    parser.add_argument("--only", default="", help="comma-separated parts of the names of the views to time")
    args = parser.parse_args()
    run(args.url, args.repeat, args.before, args.only)


if __name__ == "__main__":
    main()
