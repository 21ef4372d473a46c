"""Store a process version the way a release without the deploy-time lint did, to test the runtime guard alone.

Deploying runs the lint, which refuses imports and dunder names up front; the restricted script environment must
still hold for diagrams that reached the database some other way (an older release, a restored backup).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from engine.bpmn.specs import parse
from engine.composition import Batho
from engine.models import ProcessVersion


def store_unchecked(app: Batho, files: dict[str, str]) -> None:
    """Parse `files` and store each process as a new version, without the lint."""
    bpmn = {n: s for n, s in files.items() if n.endswith(".bpmn")}
    dmn = {n: s for n, s in files.items() if n.endswith(".dmn")}
    with app.db.transaction() as session:
        for key, process in parse(bpmn, dmn).items():
            number = (session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.key == key))
                      or 0) + 1
            digest = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()
            session.add(ProcessVersion(key=key, version=number, name=process.name, bpmn_files=bpmn, dmn_files=dmn,
                                       content_hash=digest, deployed_at=app.now()))
