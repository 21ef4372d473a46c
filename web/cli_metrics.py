"""The `batho metrics` commands: the daily roll-ups the dashboards read."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from engine.metrics import rollups

from .services import batho


@click.group()
def metrics() -> None:
    """Monitoring figures."""


@metrics.command("rebuild")
@with_appcontext
def rebuild() -> None:
    """Write the daily roll-ups again from every case (after a bulk load, a new time zone or new holidays)."""
    started = time.perf_counter()
    counted = rollups.rebuild_all(batho())
    click.echo(f"Daily roll-ups rebuilt from {counted} cases in {time.perf_counter() - started:.1f} s.")
