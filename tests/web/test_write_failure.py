"""When the database cannot write (disk full, locked), the form says nothing was saved and keeps what was typed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.models import Case
from tests.support.drive import events, lodge, open_task


@pytest.fixture
def failing_writes(batho, monkeypatch):
    """Every COMMIT fails as a full disk makes it fail; reads still work."""
    dialect = batho.db.write_engine.dialect
    dbapi = dialect.loaded_dbapi

    def disk_full(_connection):
        raise dbapi.OperationalError("database or disk is full")

    def arm() -> None:
        monkeypatch.setattr(dialect, "do_commit", disk_full)

    return arm


def cases_count(batho) -> int:
    with batho.db.reading() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def test_the_lodge_form_says_the_case_was_not_saved_and_keeps_what_was_typed(browsers, batho, failing_writes):
    citizen = browsers("citizen")
    token = citizen.token("/lodge/complaint")
    failing_writes()
    response = citizen.client.post("/lodge/complaint", data={
        "csrf_token": token, "category": "water", "description": "Burst pipe on Church Street",
        "location": "14 Church St", "name": "Thabo Mokoena", "email": "thabo@example.org"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Your case was not saved because the system could not write to its database." in page
    assert "what you typed is still below" in page
    assert "Burst pipe on Church Street" in page and "14 Church St" in page and "thabo@example.org" in page
    assert "lost" not in page
    assert cases_count(batho) == 0


def test_the_task_form_says_the_answers_were_not_saved_and_keeps_them(browsers, batho, failing_writes):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    agent = browsers("agent")
    token = agent.token(f"/tasks/{task_id}")
    failing_writes()
    response = agent.client.post(f"/tasks/{task_id}", data={"csrf_token": token, "triage_outcome": "refer",
                                                             "triage_reason": "Eskom supplies this street"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Your answers were not saved because the system could not write to its database." in page
    assert "Eskom supplies this street" in page
    assert "lost" not in page
    assert open_task(batho, reference, "Task_triage").id == task_id  # still open: nothing moved on
    assert not events(batho, reference, "completed")


def test_another_failed_write_answers_503_without_claiming_nothing_was_lost(browsers, batho, failing_writes):
    reference = lodge(batho)
    task_id = open_task(batho, reference, "Task_triage").id
    agent = browsers("agent")
    token = agent.token(f"/tasks/{task_id}")
    failing_writes()
    response = agent.client.post(f"/tasks/{task_id}/claim", data={"csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "was not saved" in page and "lost" not in page


def test_the_lodge_form_says_so_in_the_citizens_language(browsers, failing_writes):
    citizen = browsers("citizen")
    citizen.get("/?lang=af")
    token = citizen.token("/lodge/complaint")
    failing_writes()
    response = citizen.client.post("/lodge/complaint", data={"csrf_token": token, "category": "water",
                                                               "description": "Geen water", "location": "Kerkstraat"})
    assert response.status_code == 503
    assert "U saak is nie gestoor nie" in response.get_data(as_text=True)
