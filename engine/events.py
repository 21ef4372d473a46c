"""What follows from a recorded case event: the unit of work hands what it writes to the handlers Batho lists.

Like cosmicpython's `collect_new_events()` and message bus, with one difference: the handlers run inside the
transaction that writes the events (as each flush writes them), so their rows (outbox messages, monitoring read
models) commit with the change or not at all. A flush, not the commit, is the moment: a completed task's row is
deleted later in the same transaction, and which person a task was given to is known only before it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from .models import Case, CaseEvent, HumanTask


@dataclass(frozen=True)
class Assignment:
    """A task given to a person (by a claim, a supervisor's reassignment or a hand-over)."""

    task: HumanTask
    assignee_id: int


@dataclass(frozen=True)
class NewEvents:
    """What one flush is about to write: case events and ready tasks in the order added, new assignments, and the
    cases it adds, changes or deletes (the monitoring roll-ups follow those)."""

    added: tuple[CaseEvent | HumanTask, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    cases: tuple[Case, ...] = ()

    @property
    def events(self) -> list[CaseEvent]:
        return [item for item in self.added if isinstance(item, CaseEvent)]

    def __bool__(self) -> bool:
        return bool(self.added or self.assignments or self.cases)


Handler = Callable[[Session, NewEvents], None]


def _assignment(task: HumanTask) -> Assignment | None:
    added = inspect(task).attrs.assignee_id.history.added
    return Assignment(task, added[0]) if added and added[0] is not None else None


def collect_new_events(session: Session) -> NewEvents:
    """The case events and task rows pending in `session`, the tasks whose assignee it is changing, and its cases."""
    added = tuple(item for item in session.new if isinstance(item, CaseEvent | HumanTask))
    assignments = tuple(a for item in session.dirty if isinstance(item, HumanTask) and (a := _assignment(item)))
    cases = tuple(item for group in (session.new, session.dirty, session.deleted) for item in group
                  if isinstance(item, Case))
    return NewEvents(added, assignments, cases)


class Handlers:
    """The handlers of new events, called in order in the writing transaction (the composition root lists them)."""

    def __init__(self, handlers: Iterable[Handler] = ()) -> None:
        self.handlers = list(handlers)

    def __len__(self) -> int:
        return len(self.handlers)

    def dispatch(self, session: Session, new: NewEvents) -> None:
        """Hand `new` to every handler; what they add is written in the same flush."""
        if not new:
            return
        with session.no_autoflush:  # a handler's queries must not flush (and so dispatch) again
            for handler in self.handlers:
                handler(session, new)

    def before_statement(self, session: Session, statement: Any) -> None:
        """Before an UPDATE or DELETE written as an ORM statement (`session.execute(update(Case)...)`) runs."""
        for handler in self.handlers:
            before = getattr(handler, "before_statement", None)
            if before is not None:
                before(session, statement)

    def settle(self, session: Session) -> None:
        """Just before the commit: handlers that keep totals over the whole transaction write them."""
        for handler in self.handlers:
            settle = getattr(handler, "settle", None)
            if settle is not None:
                settle(session)
