"""Database growth per closed complaint, table by table and index by index (all tables and their indexes).

Usage:
    python -m benchmarks.storage                         # a throw-away SQLite file
    python -m benchmarks.storage --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --cases 100
    python -m benchmarks.storage --postgres ... --undelivered   # leave the outbox as written (no worker pass)
    python -m benchmarks.storage --postgres ... --vacuum-every 0  # no VACUUM until the end: every version counted

Each complaint is lodged and taken through triage, investigation, approval, implementation, response and
satisfaction with the service layer (benchmarks/lifecycle.py's steps); then, as the worker does within seconds, a
delivery pass batches the new-task notices and sends every message (to the log: no mail server is configured), so
the outbox is measured as it stands for a closed complaint; the pass ends with the worker's fold of the monitoring
roll-ups (each completion appends rows, engine/services/rollup_fold.py makes them one per key). On PostgreSQL the
growth is the sum of pg_total_relation_size over every table (heap, TOAST and indexes) after a VACUUM, so dead row
versions left by updates are counted only as far as they keep pages; it is printed per table (rows added, heap,
TOAST) and per index. The first 20 complaints (--warmup) are closed before the first measure, so a table's first
pages are not counted against the complaints measured. A VACUUM also runs after every 10 complaints
(--vacuum-every), as autovacuum does under real traffic (this test server runs with autovacuum off): without it
every version
of every updated row stays on its page until the end.
On SQLite it is the file's page count, split per table and index by the dbstat table where SQLite has it.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from benchmarks.lifecycle import STEPS, database
from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config
from engine.models import Case, ProcessInstance
from engine.notify.delivery import deliver_due
from engine.services import cases, deployment, identity, tasks
from engine.services.rollup_fold import fold_rollups

# One row per relation: (table, relation, kind) -> bytes; kind is heap, toast or index (and rows: the row count).
Sizes = dict[tuple[str, str, str], int]

PG_RELATIONS = """
SELECT c.relname AS tbl, c.relname AS rel, 'heap' AS kind,
       pg_relation_size(c.oid) + pg_relation_size(c.oid, 'fsm') + pg_relation_size(c.oid, 'vm') AS size
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname = 'public'
UNION ALL
SELECT c.relname, c.relname, 'toast', COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname = 'public'
UNION ALL
SELECT t.relname, i.relname, 'index', pg_relation_size(i.oid)
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname = 'public'
UNION ALL
SELECT relname, relname, 'rows', n_live_tup FROM pg_stat_user_tables
"""


def relation_sizes(app: Any) -> Sizes:
    """Bytes of every table's heap and TOAST and of every index, and each table's rows."""
    engine = app.db.write_engine
    if engine.dialect.name != "postgresql":
        return _sqlite_sizes(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        return {(row.tbl, row.rel, row.kind): int(row.size) for row in conn.execute(text(PG_RELATIONS))}


def _sqlite_sizes(engine: Any) -> Sizes:
    with engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        size = conn.execute(text("PRAGMA page_size")).scalar_one()
        sizes: Sizes = {("(sqlite file)", "(sqlite file)", "file"): int(pages) * int(size)}
        try:
            rows = conn.execute(text("SELECT s.name, m.type, m.tbl_name, SUM(s.pgsize) FROM dbstat s "
                                     "LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY s.name")).all()
        except Exception:  # SQLite built without dbstat: the file's total only
            return sizes
        for name, kind, table, used in rows:
            sizes[(table or name, name, "index" if kind == "index" else "heap")] = int(used)
        return sizes


def table_sizes(app: Any) -> dict[str, int]:
    """Bytes per table with its TOAST and indexes (PostgreSQL), or one total for the SQLite file."""
    totals: dict[str, int] = {}
    for (table, _rel, kind), size in relation_sizes(app).items():
        if kind in ("heap", "toast", "index") or kind == "file":
            totals[table] = totals.get(table, 0) + size
    if "(sqlite file)" in totals:
        return {"(sqlite file)": totals["(sqlite file)"]}
    return totals


def vacuum(app: Any) -> None:
    """What PostgreSQL's autovacuum does between the steps of real traffic: dead row versions become free space."""
    engine = app.db.write_engine
    if engine.dialect.name == "postgresql":  # SQLite reuses freed pages by itself
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))


def close_complaints(app: Any, count: int, vacuum_every: int = 0, deliver: bool = False) -> None:
    people = {u: identity.authenticate(app, u, "bench") for u in ("agent", "officer", "supervisor")}
    for n in range(count):
        if vacuum_every and n and n % vacuum_every == 0:
            vacuum(app)
        reference = cases.lodge(app, "complaint", {"category": "water", "description": f"No water at number {n}",
                                                    "location": f"{n} Main St"},
                                cases.Contact(name="Jane", email="jane@example.org"), "web")
        for username, task_name, values in STEPS:
            who = people[username]
            assert who is not None
            task = next(t for t in tasks.available_tasks(app, who, limit=500)
                        if t.case_reference == reference and t.task_name == task_name)
            tasks.complete(app, who, task.id, values)
        if deliver:
            deliver_all(app)


def deliver_all(app: Any) -> None:
    """The worker's pass, now: new-task notices batched at once, every message sent (to the log), then the
    monitoring roll-ups' appended rows folded into one per key (engine/services/rollup_fold.py), as the worker does
    after its passes."""
    settings = dataclasses.replace(app.config.notify, task_batch_minutes=0.0, smtp_host="", sms_url="",
                                   digest_hour=24)
    while deliver_due(app, settings, limit=5000).sent:
        pass
    fold_rollups(app)


def _closed(app: Any) -> int:
    with app.db.reading() as session:
        return session.scalar(select(func.count()).select_from(Case).where(Case.closed_at.is_not(None))) or 0


def measure(url: str, count: int, deliver: bool = True, vacuum_every: int = 10, warmup: int = 20) -> dict[str, Any]:
    """Growth per closed complaint in bytes (`per_case`), by table (`tables`), by relation (`relations`: heap,
    TOAST and each index, with rows per complaint), and instance state bytes. `warmup` complaints are closed
    before the first measure, so that no table's or index's first pages are counted against the complaints."""
    with tempfile.TemporaryDirectory() as instance:
        app = build(Config(database_url=url, secret_key="bench", instance_path=Path(instance),
                           workflows_path=PROJECT_ROOT / "workflows"))
        schema.upgrade(app.db)
        identity.seed_demo(app, "bench")
        deployment.deploy_directory(app, app.config.workflows_path)
        close_complaints(app, warmup, vacuum_every, deliver)
        if warmup:
            vacuum(app)
        before, closed_before = relation_sizes(app), _closed(app)
        close_complaints(app, count, vacuum_every, deliver)
        after = relation_sizes(app)
        closed = _closed(app) - closed_before
        with app.db.reading() as session:
            state = session.scalar(select(func.avg(func.length(ProcessInstance.state)))) or 0
        app.db.dispose()
    per = max(closed, 1)
    grown = {key: (after.get(key, 0) - before.get(key, 0)) / per for key in after}
    tables: dict[str, float] = {}
    for (table, _rel, kind), size in grown.items():
        if kind != "rows":
            tables[table] = tables.get(table, 0) + size
    total = tables.pop("(sqlite file)", None) if "(sqlite file)" in tables else None
    per_case = total if total is not None else sum(tables.values())
    return {"closed": closed, "per_case": per_case, "state_per_case": float(state),
            "tables": {k: v for k, v in sorted(tables.items(), key=lambda kv: -kv[1]) if v},
            "relations": {k: v for k, v in grown.items() if v}}


def report(result: dict[str, Any]) -> list[str]:
    """The figures as lines: the totals, then each table that grew with its heap, TOAST and indexes."""
    lines = [f"closed complaints measured: {result['closed']}",
             f"database growth per closed complaint: {result['per_case']:,.0f} bytes",
             f"instance state per closed complaint: {result['state_per_case']:,.0f} bytes (as stored)",
             f"  {'table / relation':44} {'bytes':>9} {'rows':>6}"]
    relations = result["relations"]
    for table, size in result["tables"].items():
        rows = relations.get((table, table, "rows"))  # PostgreSQL's live rows; none on SQLite
        lines.append(f"  {table:44} {size:9,.0f} {'' if rows is None else f'{rows:6.1f}':>6}")
        parts = sorted(((rel, kind, v) for (t, rel, kind), v in relations.items() if t == table and kind != "rows"),
                       key=lambda p: -p[2])
        for rel, kind, v in parts:
            label = f"{kind} {rel}" if kind == "index" else kind
            lines.append(f"    {label:42} {v:9,.0f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20,
                        help="complaints closed before the first measure (not counted: a table's first pages)")
    parser.add_argument("--postgres", help="server URL without a database name")
    parser.add_argument("--undelivered", action="store_true", help="no delivery pass: the outbox as written")
    parser.add_argument("--vacuum-every", type=int, default=10,
                        help="VACUUM after every N complaints, as autovacuum would (0: only at the end, so every row "
                             "version written is counted)")
    args = parser.parse_args()
    with database(args.postgres) as url:
        result = measure(url, args.cases, deliver=not args.undelivered, vacuum_every=args.vacuum_every,
                         warmup=args.warmup)
    print("\n".join(report(result)))


if __name__ == "__main__":
    main()
