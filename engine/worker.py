"""The worker: scheduled runs, due timers and the notification outbox, polled until told to stop."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

from .composition import Batho
from .notify import delivery
from .services import schedule, timers
from .services.whatsapp import handling as whatsapp_handling

log = logging.getLogger("batho.worker")


class StopFlag:
    """Set by SIGTERM or SIGINT; the worker looks at it between instances and while it waits."""

    def __init__(self) -> None:
        self.stopping = False

    def __call__(self) -> bool:
        return self.stopping

    def stop(self, _signum: int = 0, _frame: FrameType | None = None) -> None:
        self.stopping = True

    def on_signals(self) -> StopFlag:
        """Stop on SIGTERM and SIGINT (only the main thread may install handlers)."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        return self


def run_pass(app: Batho, stopping: Callable[[], bool] = lambda: False) -> None:
    """One pass: start the scheduled runs that are due, fire due timers, answer WhatsApp messages, then batch, digest
    and deliver messages."""
    for reference in schedule.run_due(app):  # the Friday suggestion box, the yearly policy review
        log.info("started scheduled case %s", reference)
    fired = timers.fire_due_timers(app, stopping=stopping)  # a stop ends the pass between instances
    if fired:
        log.info("advanced %d instance(s) with due timers", fired)
    answered = whatsapp_handling.handle_pending(app)  # WhatsApp messages kept by the webhook: replies to the outbox
    if answered:
        log.info("answered %d WhatsApp message(s)", answered)
    delivery.deliver_due(app)  # new-task batches, daily digests, then every due outbox message


def run(app: Batho, stopping: Callable[[], bool], once: bool = False) -> None:
    """Poll every `worker_interval_seconds` until `stopping()`; a failed pass is logged and tried again."""
    interval = app.config.worker_interval_seconds
    while not stopping():
        try:
            run_pass(app, stopping)
        except Exception:  # the database may be restarting: log, wait, try again
            log.exception("worker pass failed; retrying")
        if once:
            return
        resume = time.monotonic() + interval
        while not stopping() and time.monotonic() < resume:  # a signal does not cut time.sleep short (PEP 475)
            time.sleep(min(0.2, interval))
