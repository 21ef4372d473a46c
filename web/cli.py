"""The `batho` command: database, deployment, demo data, the web server and the worker."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from engine import production, schema
from engine import worker as engine_worker
from engine.composition import build
from engine.config import Config
from engine.errors import DeploymentError
from engine.services import api_tokens, deployment, identity

from . import cli_metrics, cli_users, create_app, logs
from .services import batho


def _app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Batho: BPMN-driven customer care for municipalities."""


main.add_command(cli_users.users)
main.add_command(cli_users.create_admin)
main.add_command(cli_metrics.metrics)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply all migrations."""
    schema.upgrade(batho().db)
    click.echo("Database is up to date.")


@main.command("deploy")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def deploy(path: Path | None) -> None:
    """Deploy the BPMN and DMN files in PATH (default: workflows/)."""
    app = batho()
    try:
        results = deployment.deploy_directory(app, path or app.config.workflows_path, with_decisions=True)
    except DeploymentError as exc:
        for problem in exc.problems:
            click.echo(f"{problem['file']}: {problem['message']}", err=True)
        raise click.ClickException(f"Nothing was deployed: {len(exc.problems)} problem(s) to fix first.") from None
    for result in results:
        state = "deployed as" if result.created else "unchanged at"
        what = "decision " if result.kind == "decision" else ""
        click.echo(f"{what}{result.key}: {state} version {result.version}")
        for warning in result.warnings:  # said, but they did not stop the deploy
            click.echo(f"warning: {warning['file']}: {warning['message']}", err=True)


@main.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo users on an empty database (never in production)."""
    app = batho()
    try:
        production.refuse_demo(app.config)
    except production.NotReadyForProduction as exc:
        raise click.ClickException(str(exc)) from None
    if identity.seed_demo(app, app.config.demo_password):
        click.echo("Demo users created: " + ", ".join(identity.DEMO_USERS))
    else:
        click.echo("Users exist already: demo users not created.")
    api_tokens.ensure_demo_key(app)  # the Open311 api_key `demo-key`


@main.command("serve")
@click.option("--threads", type=int, default=None, help="Threads per process (default: $BATHO_THREADS or 8).")
@click.option("--processes", type=click.IntRange(min=1), default=1,
              help="Processes on the one port (default 1: waitress; more: gunicorn's pre-fork server, Linux).")
def serve(threads: int | None, processes: int) -> None:
    """Serve the web app on 127.0.0.1:$PORT (in production behind a reverse proxy)."""
    config = Config.from_env()
    try:
        production.check(config)
    except production.NotReadyForProduction as exc:
        raise click.ClickException(str(exc)) from None
    if config.log_format == "json":
        logs.configure("json")
    click.echo(f"Batho is running on http://127.0.0.1:{config.port}/ ({processes} process(es))")
    if processes > 1:
        from .server import serve as prefork_serve

        prefork_serve(config, processes, threads or config.threads)
        return
    from waitress import serve as waitress_serve

    app = create_app(build(config))
    # Every limit from configuration: slow or idle clients each hold a connection until channel_timeout.
    waitress_serve(app, host="127.0.0.1", port=config.port, threads=threads or config.threads,
                   connection_limit=config.connection_limit, channel_timeout=config.channel_timeout,
                   max_request_header_size=config.max_request_header_size,
                   max_request_body_size=config.max_request_body_size, expose_tracebacks=False)


@main.command("worker", with_appcontext=False)
@click.option("--once", is_flag=True, help="Run one pass and exit.")
def worker(once: bool) -> None:
    """Start scheduled runs, fire due timers and deliver notifications in a polling loop (no web app built)."""
    config = Config.from_env()
    if config.log_format == "json":
        logs.configure("json")
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    app = build(config)
    try:
        engine_worker.run(app, engine_worker.StopFlag().on_signals(), once=once)
    finally:
        app.db.dispose()
