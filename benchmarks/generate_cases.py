"""Generate a large, realistic set of cases (default a million over five years) for the metrics benchmark.

Usage:
    python -m benchmarks.generate_cases --url postgresql+psycopg://postgres@127.0.0.1:5432/batho_bench --cases 1000000
    python -m benchmarks.generate_cases --url sqlite:////tmp/batho-bench.sqlite3 --cases 200000

The database must be empty: the script migrates it, seeds the demo organisation, then writes cases, their
audit events, acknowledgement times, step spans, open tasks (with their process instances) and credit holds
in bulk (COPY on PostgreSQL, executemany on SQLite), then builds the daily roll-ups from them (as
`batho metrics rebuild` does). Volumes follow a weekly rhythm with fewer cases at
weekends and on public holidays; resolution times follow each category's standard, with a tail of late cases.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from bisect import bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, select, text

from engine import schema
from engine.db import Database
from engine.models import ProcessVersion, User
from engine.services import identity
from engine.workdays import is_working_day

SAST = timedelta(hours=2)
# category: (department, weight, ack days, resolve days, case type)
CATEGORIES = {
    "water": ("technical", 22, 1, 5, "complaint"), "sanitation": ("technical", 8, 1, 5, "complaint"),
    "electricity": ("technical", 14, 1, 3, "complaint"), "roads": ("technical", 10, 2, 20, "complaint"),
    "refuse": ("community", 10, 2, 5, "complaint"), "parks": ("community", 4, 2, 20, "complaint"),
    "billing": ("finance", 6, 2, 10, "complaint"), "poor_service": ("customer_care", 2, 1, 10, "complaint"),
    "other": ("customer_care", 4, 2, 20, "complaint"), "account": ("finance", 18, 2, 30, "account_query"),
    "suggestion": ("customer_care", 2, 5, 20, "suggestion"),
}
CHANNELS = (("web", 40), ("walk_in", 25), ("phone", 25), ("suggestion_box", 5), ("api", 5))
CASE_COLUMNS = ("id", "reference", "case_type", "channel", "status", "category", "department_code", "priority",
                "summary", "citizen_name", "citizen_language", "opened_at", "ack_due_at", "due_at", "closed_at",
                "acknowledged_at", "escalation_level", "satisfaction_rating")
EVENT_COLUMNS = ("case_id", "kind", "at", "actor_id", "task_name", "title", "message", "public", "data")
SPAN_COLUMNS = ("case_id", "version_id", "process_key", "task_name", "started_at", "finished_at")


class Calendar:
    """Working days as a sorted list, for adding working days without a loop."""

    def __init__(self, first: date, last: date) -> None:
        self.days: list[date] = []
        day = first
        while day <= last:
            if is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def add(self, start: datetime, days: int) -> datetime:
        local = (start + SAST).date()
        index = bisect_right(self.days, local) + days - 1
        if days == 0:
            index = bisect_right(self.days, local - timedelta(days=1))
        end = self.days[min(index, len(self.days) - 1)]
        return datetime(end.year, end.month, end.day, 21, 59, 59, tzinfo=UTC)

    def at_hour(self, start: datetime, days: int, rng: random.Random) -> datetime:
        """A working-hours moment `days` working days after `start` (never before it)."""
        end = self.add(start, days) - timedelta(hours=rng.randint(6, 14), minutes=rng.randint(0, 59))
        return max(end, start + timedelta(minutes=rng.randint(5, 90)))


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _opened_times(rng: random.Random, n: int, first: date, days: int) -> list[datetime]:
    weights = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        weights.append((1.0 if is_working_day(day) else 0.25) * (1 + offset / days * 0.6))
    chosen = rng.choices(range(days), weights=weights, k=n)
    chosen.sort()
    base = datetime(first.year, first.month, first.day, tzinfo=UTC) - SAST
    return [base + timedelta(days=d, seconds=rng.randint(6 * 3600, 19 * 3600)) for d in chosen]


class Generator:
    """Builds rows for one case at a time; the caller writes them in batches."""

    def __init__(self, rng: random.Random, calendar: Calendar, now: datetime, users: dict[str, list[int]],
                 versions: dict[str, int]) -> None:
        self.rng, self.calendar, self.now, self.users, self.versions = rng, calendar, now, users, versions
        self.categories = [(k, v[1]) for k, v in CATEGORIES.items()]

    def case(self, case_id: int, opened: datetime) -> tuple[tuple[Any, ...], list[tuple[Any, ...]],
                                                           list[tuple[Any, ...]], bool]:
        rng = self.rng
        category = _weighted(rng, self.categories)
        department, _, ack_days, resolve_days, case_type = CATEGORIES[category]
        ack_due, due = self.calendar.add(opened, ack_days), self.calendar.add(opened, resolve_days)
        ack = self.calendar.at_hour(opened, min(int(rng.expovariate(1 / ack_days)), 15), rng)
        late = rng.random() < 0.18
        took = int(rng.triangular(0, resolve_days * (2.5 if late else 1), resolve_days * (1.4 if late else 0.6)))
        closed: datetime | None = self.calendar.at_hour(opened, max(took, 0), rng)
        ack_at: datetime | None = ack if ack < self.now else None
        if closed is not None and (closed >= self.now or rng.random() < 0.004):
            closed = None
        agent = rng.choice(self.users["agent"])
        officer = rng.choice(self.users[department])
        events: list[tuple[Any, ...]] = [(case_id, "started", opened, None, None, case_type, None, False, None)]
        spans: list[tuple[Any, ...]] = []
        version = self.versions.get(case_type)
        if ack_at is not None:
            events.append((case_id, "completed", ack_at, agent, "Task_triage", "Triage", None, False,
                           json.dumps({"triage_outcome": "accept"})))
            spans.append((case_id, version, case_type, "Task_triage", opened, ack_at))
        level = None
        if (closed or self.now) > due and due < self.now:
            level = "supervisor"
            events.append((case_id, "escalation", due + timedelta(seconds=1), None, "Task_escalate_supervisor",
                           "Escalate", "Escalated to the supervisor.", False, json.dumps({"level": level})))
        rating, status = None, "investigating" if ack_at else "registered"
        if closed is not None:
            finish = max(closed - timedelta(hours=1), ack_at or opened)
            spans.append((case_id, version, case_type, "Task_investigate", ack_at or opened, finish))
            answer = rng.choices(("satisfied", "dissatisfied", "no_response"), (70, 12, 18))[0]
            events.append((case_id, "completed", closed, agent, "Task_satisfaction", "Satisfaction", None, False,
                           json.dumps({"satisfaction": answer})))
            events.append((case_id, "completed", finish, officer, "Task_investigate", "Investigate", None, False,
                           json.dumps({"findings": "Fixed"})))
            if answer == "dissatisfied" and rng.random() < 0.3:
                events.append((case_id, "status", closed - timedelta(minutes=30), None, "Task_reopen", "Reopen",
                               "reopened", False, json.dumps({"status": "reopened"})))
            events.append((case_id, "closed", closed, None, None, None, "closed", False, None))
            rating = rng.choice((1, 2, 3, 4, 4, 5, 5)) if rng.random() < 0.25 else None
            status = "closed"
        row = (case_id, f"MAF-{opened.year}-{case_id:07d}", case_type, _weighted(rng, list(CHANNELS)), status,
               category, department, "normal", "Generated case", None if rng.random() < 0.3 else "Citizen",
               "en", opened, ack_due, due, closed, ack_at, level, rating)
        return row, events, spans, closed is None


def _pg_copy(url: str, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


def _sqlite_insert(url: str, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    import sqlite3

    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    with conn:
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         ([_sqlite_value(v) for v in row] for row in rows))
    conn.close()


def write(url: str, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        (_sqlite_insert if url.startswith("sqlite") else _pg_copy)(url, table, columns, rows)


def _prepare(url: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    db = Database(url)
    schema.upgrade(db)
    from engine.composition import build
    from engine.config import PROJECT_ROOT, Config
    from engine.services import deployment

    app = build(Config(database_url=url, secret_key="bench", instance_path=PROJECT_ROOT / "instance"))
    identity.seed_demo(app, "demo")
    deployment.deploy_directory(app, app.config.workflows_path)
    with db.reading() as session:
        by_name = {u.username: u for u in session.scalars(select(User))}
        versions = {v.key: v.id for v in session.scalars(select(ProcessVersion))}
    users = {"agent": [by_name["agent"].id],
             "technical": [by_name["officer"].id], "finance": [by_name["officer_finance"].id, by_name["billing"].id],
             "community": [by_name["officer_community"].id], "customer_care": [by_name["officer_customer_care"].id]}
    db.dispose()
    return users, versions


def _open_work(case_ids: list[tuple[int, str, datetime]], versions: dict[str, int]) -> Iterator[
        tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
    """Process instances and one open task for each open case (what the process-insight view counts)."""
    import uuid

    instances, tasks = [], []
    for case_id, case_type, opened in case_ids:
        version = versions.get(case_type) or next(iter(versions.values()))
        instances.append((case_id, version, case_id, "running", "{}", "bench", 1, opened, opened))
        step = "Task_triage" if case_id % 3 else "Task_investigate"
        tasks.append((str(uuid.UUID(int=case_id)), case_id, case_id, case_type, step, step, "Customer Care Agent",
                      "customer_care_agent", opened))
    yield ("process_instances", ("id", "version_id", "case_id", "status", "state", "serializer_version",
                                 "lock_version", "created_at", "updated_at"), instances)
    yield ("human_tasks", ("id", "instance_id", "case_id", "process_key", "task_name", "title", "lane",
                           "candidate_role", "created_at"), tasks)


def generate(url: str, count: int, years: int, seed: int, batch: int = 50_000) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    first = (now - timedelta(days=365 * years)).date()
    users, versions = _prepare(url)
    generator = Generator(rng, Calendar(first - timedelta(days=5), now.date() + timedelta(days=400)), now, users,
                          versions)
    started, open_cases = time.perf_counter(), []
    times = _opened_times(rng, count, first, (now.date() - first).days)
    for offset in range(0, count, batch):
        cases, events, spans = [], [], []
        for index, opened in enumerate(times[offset:offset + batch], start=offset + 1):
            row, case_events, case_spans, is_open = generator.case(index, opened)
            cases.append(row)
            events.extend(case_events)
            spans.extend(case_spans)
            if is_open:
                open_cases.append((index, row[2], opened))
        write(url, "cases", CASE_COLUMNS, cases)
        write(url, "case_events", EVENT_COLUMNS, events)
        write(url, "step_spans", SPAN_COLUMNS, spans)
        officers = {(e[0], e[3]): e[2] for e in reversed(events) if e[1] == "completed" and e[3] is not None}
        write(url, "case_officers", ("case_id", "user_id", "first_at"), [(c, u, at) for (c, u), at in officers.items()])
        answers = [(e[0], e[2], json.loads(e[8])["satisfaction"]) for e in events
                   if e[1] == "completed" and e[8] and "satisfaction" in e[8]]
        write(url, "survey_answers", ("case_id", "answered_at", "answer"), answers)
        print(f"{offset + len(cases):>9} cases written ({time.perf_counter() - started:.0f} s)", flush=True)
    for table, columns, rows in _open_work(open_cases, versions):
        write(url, table, columns, rows)
    _finish(url)
    print(f"done: {count} cases, {len(open_cases)} open, in {time.perf_counter() - started:.0f} s")


def _finish(url: str) -> None:
    from engine.models.rollups import offset_of, rebuild

    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:  # the rows above bypassed the unit of work: the daily roll-ups are built from them
        rebuild(conn, offset_of("Africa/Johannesburg"))
    print(f"daily roll-ups built in {time.perf_counter() - started:.0f} s", flush=True)
    with engine.begin() as conn:
        if url.startswith("postgresql"):
            for table in ("cases", "case_events", "step_spans", "process_instances"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.url, args.cases, args.years, args.seed)


if __name__ == "__main__":
    main()
