"""Every figure of issue 14 on SQLite and PostgreSQL, each beside its target; writes docs/performance.md and its plot.

Usage:
    python -m benchmarks --postgres postgresql+psycopg://postgres@127.0.0.1:5432            # quick (minutes)
    python -m benchmarks --postgres postgresql+psycopg://postgres@127.0.0.1:5432 --full     # the 1 M-case run
    python -m benchmarks --only api,storage --no-sqlite                                     # some figures

Quick: 30 instances per API run, 20 closed complaints, 10 000 waiting timers (200 due), 10 deployed versions and
20 000 generated cases for the monitoring and task-list figures. Full: the issue's sizes (100 000 timers with
1 000 due, 50 versions, 1 000 000 cases and 100 000 open tasks). The API figures come with bare SpiffWorkflow on
the same three-task diagram in the same run, and their ratio. The plot (docs/performance-completions.png, needs
the `bench` extra: matplotlib) shows completions/s against client threads, one line per number of web processes.
"""

from __future__ import annotations

import argparse
import importlib
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import http_completions, startup, storage, timers
from benchmarks.lifecycle import database

DOCS = Path(__file__).resolve().parent.parent / "docs"
Figure = dict[str, Any]  # name, value, unit, target (number), at_most (bool), database; bare and ratio for the API


def _fig(name: str, value: float, unit: str, target: float | None, at_most: bool, **extra: Any) -> Figure:
    return {"name": name, "value": value, "unit": unit, "target": target, "at_most": at_most, **extra}


def api_figures(server: str | None, sizes: dict[str, Any]) -> tuple[list[Figure], list[dict[str, Any]]]:
    """Completions/s for each number of client threads and web processes, and one completion alone."""
    runs = []
    for clients in sizes["clients"]:
        runs += http_completions.run(server, sizes["processes"], sizes["instances"], clients)
    figures = []
    for row in runs:
        if row["clients"] == 4:
            figures.append(_fig(f"completions/s through the HTTP API, {row['processes']} web process(es), 4 clients",
                                row["rate"], "/s", 100, False, bare=row["bare"], ratio=row["rate"] / row["bare"]))
    one = [r for r in runs if r["processes"] == 1]
    if one:
        figures.append(_fig("one completion alone, median, in the server (its Server-Timing header)",
                            one[0]["server_ms"], "ms", 5, True))
        figures.append(_fig("one completion alone, median, client-measured (loopback and HTTP included)",
                            one[0]["single_ms"], "ms", None, True))
    return figures, runs


def storage_figures(url: str, sizes: dict[str, Any]) -> list[Figure]:
    r = storage.measure(url, sizes["complaints"])
    return [_fig("database growth per closed complaint, all tables and indexes", r["per_case"] / 1024, "KB", 10, True),
            _fig("instance state per closed complaint, as stored", r["state_per_case"] / 1024, "KB", None, True)]


def timer_figures(url: str, sizes: dict[str, Any]) -> list[Figure]:
    r = timers.measure(url, sizes["waiting"], sizes["due"], 2)
    label = f"timers: {r['waiting']:,} waiting, {r['due']:,} due at once, 2 workers"
    return [_fig(f"{label}: fired", r["fired"], "", r["due"], False),
            _fig(f"{label}: all fired within", r["all_within_s"], "s", 60, True),
            _fig(f"{label}: fired twice", r["twice"], "", 0, True),
            _fig(f"{label}: lateness p95", r["p95_s"], "s", 5, True)]


def startup_figures(url: str, sizes: dict[str, Any]) -> list[Figure]:
    r = startup.measure(url, sizes["versions"])
    return [_fig(f"start-up to ready with {r['versions']} deployed versions in use", r["ready_s"], "s", 5, True)]


def rollup_figures(url: str, sizes: dict[str, Any]) -> list[Figure]:
    """The monitoring and task-list figures of the rollups helper, on a freshly generated database."""
    generate = importlib.import_module("benchmarks.generate_cases")
    started = time.perf_counter()
    generate.generate(url, sizes["cases"], 5, 7)
    figures = [_fig(f"generating {sizes['cases']:,} cases", time.perf_counter() - started, "s", None, True)]
    for module, call in (("benchmarks.metrics_bench", lambda m: m.run(url, repeat=3)),
                         ("benchmarks.tasklist", lambda m: m.run(url, sizes["tasks"]))):
        try:
            found = importlib.import_module(module)
        except ImportError:
            figures.append(_fig(f"{module}: not run (no such module)", float("nan"), "", None, True))
            continue
        if not hasattr(found, "run"):
            figures.append(_fig(f"{module}: not run (no run(url))", float("nan"), "", None, True))
            continue
        for figure in call(found):
            target = figure.get("target")
            figures.append(_fig(figure["name"], figure["value"], figure.get("unit", ""), target, True))
    return figures


PARTS: dict[str, Callable[[str, dict[str, Any]], list[Figure]]] = {
    "storage": storage_figures, "timers": timer_figures, "startup": startup_figures, "rollups": rollup_figures}
QUICK = {"instances": 30, "clients": (1, 4), "complaints": 20, "waiting": 10_000, "due": 200, "versions": 10,
         "cases": 20_000, "tasks": 5_000}
FULL = {"instances": 150, "clients": (1, 2, 4, 8), "complaints": 200, "waiting": 100_000, "due": 1_000,
        "versions": 50, "cases": 1_000_000, "tasks": 100_000}


def _met(figure: Figure) -> str:
    value, target = figure["value"], figure["target"]
    if target is None or value != value:  # no target, or not measured (NaN)
        return ""
    return "yes" if (value <= target if figure["at_most"] else value >= target) else "no"


def _line(figure: Figure) -> str:
    target = "" if figure["target"] is None else f"{'≤' if figure['at_most'] else '≥'} {figure['target']:g}"
    value = "not run" if figure["value"] != figure["value"] else f"{figure['value']:,.1f} {figure['unit']}".strip()
    bare = f"{figure['bare']:,.0f}/s (ratio {figure['ratio']:.2f})" if "bare" in figure else ""
    return f"| {figure['database']} | {figure['name']} | {value} | {target} | {_met(figure)} | {bare} |"


def collect(args: argparse.Namespace) -> tuple[list[Figure], list[dict[str, Any]]]:
    sizes = dict(FULL if args.full else QUICK)
    sizes["processes"] = tuple(dict.fromkeys((1, os.cpu_count() or 2)))
    wanted = args.only.split(",") if args.only else ["api", *PARTS]
    servers = ([None] if args.sqlite else []) + ([args.postgres] if args.postgres else [])
    figures: list[Figure] = []
    runs: list[dict[str, Any]] = []
    for server in servers:
        name = "PostgreSQL" if server else "SQLite"
        for part in wanted:
            print(f"== {name}: {part}", flush=True)
            try:
                if part == "api":
                    found, made = api_figures(server, sizes)
                    runs += [{**r, "database": name} for r in made]
                else:
                    with database(server) as url:
                        found = PARTS[part](url, sizes)
            except Exception:  # one broken figure must not lose the others
                traceback.print_exc()
                found = [_fig(f"{part}: not run (failed, see the log)", float("nan"), "", None, True)]
            for figure in found:
                figure["database"] = name
                print(_line(figure), flush=True)
            figures += found
    return figures, runs


def plot(runs: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot")
        return False
    figure, axes = plt.subplots(figsize=(7, 4))
    for (database_name, processes) in sorted({(r["database"], r["processes"]) for r in runs}):
        points = sorted((r["clients"], r["rate"]) for r in runs
                        if r["database"] == database_name and r["processes"] == processes)
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                  label=f"{database_name}, {processes} web process(es)")
    if runs:
        axes.axhline(runs[0]["bare"], linestyle="--", color="grey", label="bare SpiffWorkflow, one core")
    axes.axhline(100, linestyle=":", color="red", label="target (PostgreSQL, 4 clients)")
    axes.set_xlabel("client threads")
    axes.set_ylabel("task completions per second")
    axes.set_yscale("log")
    axes.legend(fontsize=8)
    axes.set_title("Task completions through the staff HTTP API")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return True


def write_docs(figures: list[Figure], runs: list[dict[str, Any]], args: argparse.Namespace) -> None:
    DOCS.mkdir(exist_ok=True)
    image = DOCS / "performance-completions.png"
    plotted = plot(runs, image)
    lines = [
        "# Performance (issue 14)", "",
        f"Measured by `python -m benchmarks{' --full' if args.full else ''}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f} at the end: the machine is shared, so times are upper bounds).",
        "", "| Database | Figure | Measured | Target | Met | Bare SpiffWorkflow |", "|---|---|---|---|---|---|",
        *[_line(f) for f in figures], "",
    ]
    if plotted:
        lines += ["![Completions per second against client threads and web processes](performance-completions.png)",
                  ""]
    lines += [line.rstrip() for line in (DOCS / "performance-notes.md").read_text().splitlines()] \
        if (DOCS / "performance-notes.md").exists() else []
    (DOCS / "performance.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {DOCS / 'performance.md'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="PostgreSQL server URL without a database name")
    parser.add_argument("--no-sqlite", dest="sqlite", action="store_false", help="PostgreSQL only")
    parser.add_argument("--full", action="store_true", help="the issue's sizes (1 M cases; hours)")
    parser.add_argument("--only", help=f"comma-separated parts: api,{','.join(PARTS)}")
    parser.add_argument("--no-docs", dest="docs", action="store_false", help="print only")
    args = parser.parse_args()
    figures, runs = collect(args)
    print("\n| Database | Figure | Measured | Target | Met | Bare SpiffWorkflow |")
    for figure in figures:
        print(_line(figure))
    if args.docs:
        write_docs(figures, runs, args)


if __name__ == "__main__":
    main()
