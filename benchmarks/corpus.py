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
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine import schema
from engine.authz import Identity
from engine.bpmn.forms import Field
from engine.composition import Batho, build
from engine.config import PROJECT_ROOT, Config
from engine.db import Database
from engine.errors import DeploymentError
from engine.models import Department, HumanTask, ProcessInstance, Role
from engine.services import cases, deployment, identity, tasks
from engine.services.lookup import case_in

MAX_STEPS = 40


class TooLong(Exception):
    """The diagram took longer than its allowance."""


def _value(f: Field) -> Any:
    if f.options:
        return f.options[0].id
    return {"long": "1", "decimal": "1", "boolean": "true", "date": date.today().isoformat()}.get(f.type, "x")


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


def _drive(app: Batho, who: Identity, reference: str) -> str | None:
    """Complete every task that appears; None when the instance completed, else why not."""
    for _ in range(MAX_STEPS):
        with app.db.reading() as session:
            case = case_in(session, reference)
            case_id = case.id if case else None
            open_ids = list(session.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id)))
            statuses = set(session.scalars(select(ProcessInstance.status).where(ProcessInstance.case_id == case_id)))
        if "error" in statuses:
            return "the instance stopped with an error"
        if not open_ids:
            return None if statuses == {"completed"} else "waits for a timer, message or external task"
        view = tasks.task_view(app, who, open_ids[0])
        tasks.complete(app, who, open_ids[0], {f.id: _value(f) for f in view.fields if not f.readonly})
    return f"still running after {MAX_STEPS} tasks"


def _one(app: Batho, who: Identity, bpmn: Path) -> tuple[bool, bool, str | None]:
    source = bpmn.read_text(errors="replace")
    files = {bpmn.name: source}
    # The decision tables it calls, from its own folder (a process owner uploads those, not every table there).
    files.update({d.name: d.read_text(errors="replace") for d in bpmn.parent.glob("*.dmn*")
                  if re.search(r'decisionRef="' + re.escape(d.name.split(".")[0]), source)
                  or any(f'decisionRef="{i}"' in source for i in re.findall(r'<decision[^>]* id="([^"]+)"',
                                                                            d.read_text(errors="replace")))})
    try:
        deployed = deployment.deploy_sources(app, files)
    except Exception as exc:  # noqa: BLE001 - every refusal is a figure
        return False, False, _reason(exc)
    reason = None
    for process in deployed:
        try:
            reference = cases.start_process(app, process.key, {})
            reason = reason or _drive(app, who, reference)
        except Exception as exc:  # noqa: BLE001
            reason = reason or _reason(exc)
    return True, reason is None, reason


def _alarm(_signum: int, _frame: Any) -> None:
    raise TooLong()


def run(corpus: Path, seconds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/corpus.sqlite3"
        schema.upgrade(Database(url))
        app = build(Config(database_url=url, secret_key="corpus", instance_path=Path(tmp),
                           workflows_path=PROJECT_ROOT / "workflows", demo_password="corpus"))
        identity.seed_demo(app, "corpus-demo")
        who = _everyone(app)
        signal.signal(signal.SIGALRM, _alarm)
        diagrams = sorted(p for p in corpus.rglob("*") if p.is_file() and ".bpmn" in p.name)
        deployed = ended = 0
        reasons: Counter[str] = Counter()
        for bpmn in diagrams:
            signal.alarm(seconds)
            try:
                ok, done, reason = _one(app, who, bpmn)
            except TooLong:
                ok, done, reason = True, False, f"took more than {seconds} s"
            finally:
                signal.alarm(0)
            deployed += ok
            ended += done
            if reason:
                reasons[("deployed, " if ok else "refused: ") + reason] += 1
    total = len(diagrams)
    print(f"diagrams: {total}")
    print(f"deployed as they are: {deployed} ({100 * deployed / max(total, 1):.1f} %)")
    print(f"ran to their end:     {ended} ({100 * ended / max(total, 1):.1f} %)")
    print("main reasons for the rest (diagrams):")
    for reason, count in reasons.most_common(15):
        print(f"  {count:4d}  {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT_ROOT.parent / "shared" / "corpus" / "camunda7")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    run(args.corpus, args.seconds)


if __name__ == "__main__":
    main()
