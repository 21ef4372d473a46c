"""Camunda 7 compatibility: deploy every diagram of a corpus as it is, start it, drive it to its end, print the shares.

Usage:
    python -m benchmarks.corpus                               # ../shared/corpus/camunda7, a throw-away SQLite file
    python -m benchmarks.corpus --corpus PATH --seconds 10    # another folder; time allowed per diagram

Each BPMN file is deployed with the DMN files of its own folder that it calls (as a process owner would upload
them), every process it defines is started, and every user or manual task that appears is completed by a user
holding every role and department, with a valid value for each form field (first choice, 1, today, "x"). A diagram
has run to its end when its instance completed. The reasons for the rest are grouped by the first sentence Batho gave.
"""

from __future__ import annotations

import argparse
import re
import signal
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from sqlalchemy import select

from engine import schema
from engine.authz import Identity
from engine.composition import Batho, build
from engine.config import PROJECT_ROOT, Config
from engine.db import Database
from engine.errors import DeploymentError
from engine.models import Department, EventWait, ExternalTaskRow, HumanTask, ProcessInstance, Role, User
from engine.services import cases, deployment, external_tasks, identity, messages, staff, tasks, timers
from engine.services.external_tasks import Topic
from engine.services.lookup import case_in

from .corpus_filler import attempts, candidates, chosen, value_for
from .corpus_office import USERNAME, Office, processes_in, set_up_for, with_called

MAX_STEPS = 40


class TooLong(Exception):
    """The diagram took longer than its allowance."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DeploymentError):
        problems = getattr(exc, "problems", None) or [{"message": str(exc)}]
        text = str(problems[0].get("message", exc))
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = re.sub(r'"[^"]*"|\'[^\']*\'|\([A-Za-z0-9_.-]+\)', "…", text.split(". ")[0])
    return re.sub(r"\b[\w.-]+\.(bpmn|dmn)\w*\b", "<file>", text)[:140]


def _everyone(app: Batho) -> Identity:
    with app.db.reading() as session:
        roles = frozenset(session.scalars(select(Role.key)))
        departments = frozenset(session.scalars(select(Department.code)))
    return Identity(id=1, username="admin", full_name="Corpus driver", roles=roles, departments=departments)


@dataclass
class Seen:
    """Where one instance stands, read from the tables the API reads."""

    status: set[str]
    error: str | None
    task: HumanTask | None
    waits: list[tuple[str, str]]
    external: list[str]
    next_timer: datetime | None


def _seen(app: Batho, reference: str) -> Seen:
    with app.db.reading() as session:
        case = case_in(session, reference)
        rows = list(session.scalars(select(ProcessInstance).where(ProcessInstance.case_id == (case.id if case
                                                                                               else None))))
        ids = [r.id for r in rows]
        task = session.scalars(select(HumanTask).where(HumanTask.instance_id.in_(ids)).order_by(HumanTask.id)).first()
        waits = [(w.kind, w.name) for w in session.scalars(select(EventWait).where(EventWait.instance_id.in_(ids)))]
        external = sorted(set(session.scalars(select(ExternalTaskRow.topic).where(
            ExternalTaskRow.instance_id.in_(ids)))))
        timers = [r.next_timer_at for r in rows if r.next_timer_at is not None and r.status == "running"]
        errors = [r.error_message for r in rows if r.status == "error"]
        return Seen({str(r.status) for r in rows}, errors[0] if errors else None, task, waits, external,
                    min(timers) if timers else None)


def _worker(app: Batho, who: Identity, task: HumanTask) -> Identity:
    """The driver as the person the task is given to, or the first of its candidate users."""
    if task.assignee_id is not None:
        with app.db.reading() as session:
            user = session.get(User, task.assignee_id)
            return replace(who, id=task.assignee_id, username=user.username if user else "")
    if task.candidate_users and not task.candidate_role:
        name = task.candidate_users.strip(",").split(",")[0]
        with app.db.reading() as session:
            known = session.scalar(select(User.id).where(User.username == name))
        if known is None and USERNAME.fullmatch(name):  # named only at run time (kermit_${loopCounter})
            staff.add_staff(app, who, {"username": name, "full_name": name.title()})  # as the IT office would
            with app.db.reading() as session:
                known = session.scalar(select(User.id).where(User.username == name))
        return replace(who, id=known if known is not None else 0, username=name)
    return who


def _step(app: Batho, who: Identity, reference: str, seen: Seen, variables: dict[str, Any]) -> bool:
    """Do the one thing the instance waits for; False when it waits for nothing the driver can give."""
    if seen.task is not None:
        view = tasks.task_view(app, _worker(app, who, seen.task), seen.task.id)
        values = {f.id: value_for(f, variables) for f in view.fields if not f.readonly}
        tasks.complete(app, _worker(app, who, seen.task), seen.task.id, values)
    elif seen.external:
        for locked in external_tasks.fetch_and_lock(app, who, "corpus", 10, [Topic(t, 60_000) for t in seen.external]):
            external_tasks.complete(app, who, locked["id"], "corpus", {})
    elif seen.waits:
        kind, name = seen.waits[0]
        if kind == "signal":
            messages.signal(app, who, name)
        else:
            messages.correlate(app, who, name, business_key=reference)
    elif seen.next_timer is not None:
        with time_machine.travel(seen.next_timer + timedelta(seconds=1), tick=False):
            timers.fire_due_timers(app)
    else:
        return False
    return True


def _drive(app: Batho, who: Identity, reference: str, variables: dict[str, Any]) -> str | None:
    """Complete every task, message, signal, timer and external task that appears; None when it completed."""
    for _ in range(MAX_STEPS):
        seen = _seen(app, reference)
        if "error" in seen.status:
            return f"the instance stopped with an error: {_reason(Exception(seen.error or ''))[11:]}"
        if seen.status == {"completed"}:
            return None
        if not _step(app, who, reference, seen, variables):
            return "waits for something nobody can send (no task, message, signal, timer or external task)"
    return f"still running after {MAX_STEPS} steps"


def _run(app: Batho, who: Identity, key: str, found: dict[str, list[Any]]) -> str | None:
    """Start `key` once per attempt (each with the next values the conditions name) until one reaches its end."""
    reason = None
    for attempt in range(attempts(found)):
        variables = chosen(found, attempt)
        try:
            reference = cases.start_process(app, key, dict(variables))
            reason = _drive(app, who, reference, variables)
        except Exception as exc:  # noqa: BLE001 - every stop is a figure
            reason = _reason(exc)
        if reason is None:
            return None
    return reason


def _one(app: Batho, office: Office, bpmn: Path) -> tuple[bool, bool, str | None]:
    source = bpmn.read_text(errors="replace")
    files = {bpmn.name: source}
    bundle = with_called(bpmn, files)
    office.bundled += len(bundle) > len(files)
    called = "".join(bundle.values())
    # The decision tables they call, from their own folder (a process owner uploads those, not every table there).
    bundle.update({d.name: d.read_text(errors="replace") for d in bpmn.parent.glob("*.dmn*")
                   if re.search(r'decisionRef="' + re.escape(d.name.split(".")[0]), called)
                   or any(f'decisionRef="{i}"' in called for i in re.findall(r'<decision[^>]* id="([^"]+)"',
                                                                             d.read_text(errors="replace")))})
    for text in bundle.values():
        set_up_for(app, office, text)
    try:
        deployed = deployment.deploy_sources(app, bundle)
    except Exception as exc:  # noqa: BLE001 - every refusal is a figure
        return False, False, _reason(exc)
    who = _everyone(app)  # the roles the office added included
    found = candidates(list(bundle.values()))
    own = processes_in(source)
    reason = None
    for process in (d for d in deployed if d.key in own):
        reason = reason or _run(app, who, process.key, found)
    return True, reason is None, reason


def _alarm(_signum: int, _frame: Any) -> None:
    raise TooLong()


def run(corpus: Path, seconds: int, listing: bool = False, only: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/corpus.sqlite3"
        schema.upgrade(Database(url))
        app = build(Config(database_url=url, secret_key="corpus", instance_path=Path(tmp),
                           workflows_path=PROJECT_ROOT / "workflows", demo_password="corpus"))
        identity.seed_demo(app, "corpus-demo")
        office = Office(admin=_everyone(app))
        signal.signal(signal.SIGALRM, _alarm)
        diagrams = sorted(p for p in corpus.rglob("*") if p.is_file() and ".bpmn" in p.name and only in str(p))
        deployed = ended = 0
        reasons: Counter[str] = Counter()
        for bpmn in diagrams:
            signal.alarm(seconds)
            try:
                ok, done, reason = _one(app, office, bpmn)
            except TooLong:
                ok, done, reason = True, False, f"took more than {seconds} s"
            finally:
                signal.alarm(0)
            deployed += ok
            ended += done
            if reason:
                reasons[("deployed, " if ok else "refused: ") + reason] += 1
            if listing:
                print(f"{'ended   ' if done else 'deployed' if ok else 'refused '}  {bpmn.relative_to(corpus)}: "
                      f"{reason or ''}")
    total = len(diagrams)
    print(f"diagrams: {total}")
    print(f"deployed as they are: {deployed} ({100 * deployed / max(total, 1):.1f} %)")
    print(f"ran to their end:     {ended} ({100 * ended / max(total, 1):.1f} %)")
    print(f"as the IT office, before deploying: {len(office.roles)} roles added (each with one staff member) for "
          f"the candidate groups diagrams name, {len(office.users)} users for their assignees and candidate users; "
          f"{office.bundled} diagrams deployed with the files of the processes they call")
    print("main reasons for the rest (diagrams):")
    for reason, count in reasons.most_common(15):
        print(f"  {count:4d}  {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT_ROOT.parent / "shared" / "corpus" / "camunda7")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--list", action="store_true", help="print each diagram's outcome")
    parser.add_argument("--only", default="", help="only the diagrams whose path contains this")
    args = parser.parse_args()
    run(args.corpus, args.seconds, args.list, args.only)


if __name__ == "__main__":
    main()
