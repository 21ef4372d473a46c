"""Folding the monitoring roll-ups (issue 14): each completion appends its difference as new rows, the worker folds
a key's rows into one after its passes, so the tables stay about one row per day and set of case dimensions."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..composition import Batho
from ..models.rollups import fold

FULL_EVERY = 3600.0  # seconds between folds of every key (a row committed late, below a mark, waits for one)


@dataclass
class Folder:
    """Where the last fold of each database stopped (its tables' highest ids), and when the next full fold is."""

    marks: dict[str, dict[str, int]] = field(default_factory=dict)
    full_at: dict[str, float] = field(default_factory=dict)

    def __call__(self, app: Batho) -> int:
        """Fold the keys with rows newer than the last fold (every key once an hour); returns rows taken away."""
        url, now = app.config.database_url, time.monotonic()
        since = self.marks.get(url) if now < self.full_at.get(url, 0.0) else None
        with app.db.transaction() as session:
            removed, marks = fold(session.connection(), since)
        self.marks[url] = marks
        if since is None:
            self.full_at[url] = now + FULL_EVERY
        return removed


fold_rollups = Folder()  # one per worker process
