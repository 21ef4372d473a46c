"""The worker: scheduled runs, due timers and the notification outbox, pass after pass until told to stop."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from datetime import datetime
from types import FrameType

from .composition import Batho
from .notify import delivery
from .services import schedule, timers
from .services.rollup_fold import fold_rollups
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


TIMERS_PER_PASS = 500  # then the pass answers WhatsApp and delivers messages before it takes more timers
BUSY_PAUSE = 0.25  # seconds to wait when timers are due but other workers hold them all


def run_pass(app: Batho, stopping: Callable[[], bool] = lambda: False) -> int:
    """One pass: start the scheduled runs that are due, fire due timers, answer WhatsApp messages, then batch, digest
    and deliver messages; how many timers it fired."""
    for reference in schedule.run_due(app):  # the Friday suggestion box, the yearly policy review
        log.info("started scheduled case %s", reference)
    # A stop ends the pass between instances.
    fired = timers.fire_due_timers(app, limit=TIMERS_PER_PASS, stopping=stopping)
    if fired:
        log.info("advanced %d instance(s) with due timers", fired)
    answered = whatsapp_handling.handle_pending(app)  # WhatsApp messages kept by the webhook: replies to the outbox
    if answered:
        log.info("answered %d WhatsApp message(s)", answered)
    delivery.deliver_due(app)  # new-task batches, daily digests, then every due outbox message
    fold_rollups(app)  # each key's roll-up rows, appended by the completions since the last pass, into one
    return fired


def pause_after(fired: int, next_due: datetime | None, now: datetime, interval: float,
                overdue_before: datetime | None = None) -> float:
    """Seconds to wait before the next pass: none when the pass stopped at its limit (more are due), until the next
    timer falls due when that is sooner than the poll interval (a timer fires on time, not up to a poll late), and a
    short pause when due timers are all held by other workers (they are being fired). The same overdue time after
    two passes in a row (held that long, or an instance whose timer stays due) waits the interval, as polling did."""
    if fired >= TIMERS_PER_PASS:
        return 0.0
    if next_due is None:
        return interval
    until = (next_due - now).total_seconds()
    if until <= 0:
        return interval if next_due == overdue_before else min(BUSY_PAUSE, interval)
    return min(until + 0.01, interval)  # a hair after the due time, so that `next_timer_at <= now` holds


def run(app: Batho, stopping: Callable[[], bool], once: bool = False) -> None:
    """Pass after pass until `stopping()`: every `worker_interval_seconds`, sooner when a timer falls due before
    then or more are due; a failed pass is logged and tried again after the interval."""
    interval = app.config.worker_interval_seconds
    overdue: datetime | None = None  # the overdue time found after the last pass
    while not stopping():
        pause = interval
        try:
            fired = run_pass(app, stopping)
            next_due, now = timers.next_due(app), app.now()
            pause = pause_after(fired, next_due, now, interval, overdue)
            overdue = next_due if next_due is not None and next_due <= now else None
        except Exception:  # the database may be restarting: log, wait, try again
            log.exception("worker pass failed; retrying")
        if once:
            return
        resume = time.monotonic() + pause
        while not stopping() and time.monotonic() < resume:  # a signal does not cut time.sleep short (PEP 475)
            time.sleep(max(0.0, min(0.2, resume - time.monotonic())))
