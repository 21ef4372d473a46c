"""WhatsApp: how fast the webhook answers Meta, and how long the worker takes to answer a citizen's message.

Usage:
    python -m benchmarks.whatsapp                     # a throw-away SQLite file
    python -m benchmarks.whatsapp --conversations 20  # more conversations, each lodging one complaint

Each conversation is eight signed deliveries through the app (Flask's test client, the real app and database):
hello, a language, "report", a category, a description, a location pin, "no photo", "send". The webhook's time is
from request to its 200; the worker's is one pass over the waiting messages, replies written to the outbox (not sent).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from engine import schema
from engine.composition import build
from engine.config import PROJECT_ROOT, Config, WhatsAppSettings
from engine.models import Case
from engine.services import deployment
from engine.services.whatsapp.handling import handle_pending
from web import create_app

SECRET = "bench-secret"
STEPS: list[dict[str, Any]] = [
    {"type": "text", "text": {"body": "Dumela"}}, {"type": "text", "text": {"body": "2"}},
    {"type": "text", "text": {"body": "1"}}, {"type": "text", "text": {"body": "1"}},
    {"type": "text", "text": {"body": "Pompo e a dutla."}},
    {"type": "location", "location": {"latitude": -27.27, "longitude": 28.50}},
    {"type": "text", "text": {"body": "1"}}, {"type": "text", "text": {"body": "1"}},
]


def _delivery(number: str, message_id: str, message: dict[str, Any]) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "contacts": [{"wa_id": number}],
                                       "messages": [{"from": number, "id": message_id, **message}]}}]}]}).encode()


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, n={len(ordered)}"


def run(url: str, instance: Path, conversations: int) -> None:
    config = Config(database_url=url, secret_key="bench", instance_path=instance,
                    workflows_path=PROJECT_ROOT / "workflows")
    app = build(replace(config, whatsapp=WhatsAppSettings(verify_token="v", app_secret=SECRET)))
    schema.upgrade(app.db)
    deployment.deploy_directory(app, app.config.workflows_path)
    client = create_app(app, {"TESTING": True}).test_client()
    webhook, worker = [], []
    for step, message in enumerate(STEPS):
        for n in range(conversations):
            body = _delivery(f"2782555{n:04d}", f"wamid.{n}.{step}", message)
            signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            started = time.perf_counter()
            answer = client.post("/channels/whatsapp", data=body, headers={"X-Hub-Signature-256": signature,
                                                                           "Content-Type": "application/json"})
            webhook.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.get_data(as_text=True)
        started = time.perf_counter()
        answered = handle_pending(app)
        worker.append((time.perf_counter() - started) / max(answered, 1))
    print(f"webhook POST to 200: {_ms(webhook)}")
    print(f"worker, per message answered, the seven steps before lodging: {_ms(worker[:-1])}")
    print(f"worker, per message answered, the step that lodges the complaint: {worker[-1] * 1000:.1f} ms")
    with app.db.reading() as session:
        lodged = session.scalar(select(func.count()).select_from(Case).where(Case.channel == "whatsapp"))
    print(f"complaints lodged: {lodged} of {conversations}")
    app.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.sqlite3", Path(folder), args.conversations)


if __name__ == "__main__":
    main()
