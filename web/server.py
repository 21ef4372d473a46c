"""`batho serve --processes N`: gunicorn's pre-fork master with N processes of waitress-like threads on one port."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from gunicorn.app.base import BaseApplication

from engine.config import Config


class Prefork(BaseApplication):  # type: ignore[misc]
    """Each process builds its own app after the fork: no database connection is shared across a fork."""

    def __init__(self, config: Config, processes: int, threads: int) -> None:
        self.settings = {
            "bind": f"127.0.0.1:{config.port}", "workers": processes, "worker_class": "gthread", "threads": threads,
            "worker_connections": config.connection_limit, "keepalive": min(config.channel_timeout, 75),
            "timeout": 120, "graceful_timeout": 30, "limit_request_field_size": config.max_request_header_size,
            "limit_request_line": 8190, "accesslog": None, "errorlog": "-", "proc_name": "batho-web",
            "child_exit": _child_exit,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from . import create_app

        return create_app()


def _child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # its gauges go; its counters and histograms stay summed


def serve(config: Config, processes: int, threads: int) -> None:
    """Run until stopped; the latency histograms of every process are summed through one shared folder."""
    # prometheus_client reads this variable when first imported, which happens in each process after the fork.
    folder = tempfile.mkdtemp(prefix="batho-metrics-", dir=config.instance_path)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", folder)
    Prefork(config, processes, threads).run()
