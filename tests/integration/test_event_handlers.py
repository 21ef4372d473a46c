"""What follows from a recorded case event: the handlers the composition root lists, in the writing transaction."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.composition import build, consequences
from engine.events import NewEvents
from engine.models import Case, CaseEvent, HumanTask, Notification
from engine.models.enums import EventKind
from engine.models.metrics import keep_monitoring_facts
from engine.models.rollups import MonitoringRollups
from engine.notify.outbox import Outbox
from engine.services import tasks
from tests.support.drive import lodge, open_task


class Recorder:
    """A handler that notes what it was handed (and writes nothing)."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.tasks: list[str] = []
        self.assigned: list[tuple[str, int]] = []

    def __call__(self, session: Session, new: NewEvents) -> None:
        self.kinds += [e.kind for e in new.events]
        self.tasks += [t.task_name for t in new.added if isinstance(t, HumanTask)]
        self.assigned += [(a.task.task_name, a.assignee_id) for a in new.assignments]


def count(app, model) -> int:
    with app.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_composition_root_lists_the_roll_ups_the_monitoring_facts_then_the_outbox(batho):
    rollups, facts, outbox = consequences(batho)
    assert isinstance(rollups, MonitoringRollups) and facts is keep_monitoring_facts and isinstance(outbox, Outbox)
    assert len(batho.db.handlers) == 3


def test_a_batho_built_with_its_own_handlers_hears_every_event_task_and_assignment(batho, people):
    recorder = Recorder()
    app = build(batho.config, handlers=lambda _app: [recorder])
    try:
        reference = lodge(app, name="Jane", email="jane@example.org")
        assert recorder.kinds[:1] == [EventKind.STARTED] and "Task_triage" in recorder.tasks
        task = open_task(app, reference, "Task_triage")
        tasks.claim(app, people["agent"], task.id)
        assert ("Task_triage", people["agent"].id) in recorder.assigned and EventKind.CLAIMED in recorder.kinds
        assert count(app, Notification) == 0, "no outbox handler, no messages"
    finally:
        app.db.dispose()


def test_a_rolled_back_unit_of_work_hands_over_nothing_that_stays(batho):
    recorder = Recorder()
    app = build(batho.config, handlers=lambda made: [Outbox(made), recorder])
    try:
        reference = lodge(app, name="Jane", email="jane@example.org")
        before = count(app, Notification)
        try:
            with app.db.transaction() as session:
                case = session.scalars(select(Case).where(Case.reference == reference)).one()
                session.add(CaseEvent(case_id=case.id, kind=EventKind.CLOSED, at=app.now()))
                case.status = "closed"
                session.flush()
                assert EventKind.CLOSED in recorder.kinds, "handed over as the flush wrote it"
                raise RuntimeError("the change fails after its consequences were written")
        except RuntimeError:
            pass
        assert count(app, Notification) == before
    finally:
        app.db.dispose()
