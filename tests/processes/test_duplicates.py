"""A complaint closed as a duplicate names an open or recent original: checked, linked both ways, told to the citizen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from engine.errors import ValidationFailed
from engine.models import Case
from engine.models.enums import EventKind
from engine.services import open311
from tests.support.drive import case, do, events, lodge, public_messages, to_investigation


def _mark_duplicate(batho, people, reference, original):
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="duplicate", duplicate_of=original,
       triage_reason="The same burst pipe in Main Street.")


def _refused(batho, people, typed, reference=None):
    reference = reference or lodge(batho)
    with pytest.raises(ValidationFailed) as failure:
        _mark_duplicate(batho, people, reference, typed)
    assert set(failure.value.errors) == {"duplicate_of"}
    assert case(batho, reference).status == "registered"  # nothing happened: the task is still open
    return failure.value.errors["duplicate_of"]


def test_an_unknown_reference_is_refused_with_a_sentence_naming_the_field(batho, people):
    assert _refused(batho, people, "maf-2026-000999") == (
        "Duplicate of: there is no case MAF-2026-000999. Type the reference of the case this repeats.")


def test_the_case_itself_is_refused(batho, people):
    reference = lodge(batho)
    sentence = _refused(batho, people, reference, reference)
    assert sentence == f"Duplicate of: {reference} is this case itself. Type the reference of the case this repeats."


def test_a_case_closed_more_than_90_days_ago_is_refused_and_a_recent_one_taken(batho, people):
    old, recent = lodge(batho), lodge(batho)
    with batho.db.transaction() as session:
        session.execute(update(Case).where(Case.reference == old)
                        .values(status="closed", closed_at=batho.now() - timedelta(days=91)))
        session.execute(update(Case).where(Case.reference == recent)
                        .values(status="closed", closed_at=batho.now() - timedelta(days=89)))
    assert _refused(batho, people, old) == (f"Duplicate of: {old} was closed more than 90 days ago. Lodge this as "
                                            "a new case, or type the reference of an open or recently closed case.")
    reference = lodge(batho)
    _mark_duplicate(batho, people, reference, recent)
    assert case(batho, reference).status == "duplicate"
    assert "Where it stands: Closed." in public_messages(batho, reference)[-1]


def test_a_duplicate_is_refused_with_its_original_named(batho, people):
    original, first_repeat = lodge(batho), lodge(batho)
    _mark_duplicate(batho, people, first_repeat, original)
    assert _refused(batho, people, first_repeat) == (
        f"Duplicate of: {first_repeat} is itself a duplicate; type {original}, the case it repeats.")


def test_a_good_original_links_both_cases_and_tells_the_citizen_where_it_stands(batho, people):
    original = to_investigation(batho, people)
    reference = lodge(batho)
    _mark_duplicate(batho, people, reference, original.lower())  # typed in small letters: still found
    assert case(batho, reference).status == "duplicate"
    [there] = events(batho, reference, EventKind.LINKED_CASE)
    [back] = events(batho, original, EventKind.LINKED_CASE)
    assert there.data == {"reference": original, "link": "duplicate_of"}
    assert back.data == {"reference": reference, "link": "duplicated_by"}
    assert back.message == f"Case {reference} was marked as a duplicate of this case."
    assert public_messages(batho, reference)[-1] == (
        f"Your complaint repeats case {original}, which we already have. Where it stands: Being investigated by "
        "the responsible department. The same burst pipe in Main Street.")


def test_an_answer_that_does_not_count_is_not_checked(batho, people):
    reference = lodge(batho)
    do(batho, people["agent"], reference, "Task_triage", triage_outcome="accept", duplicate_of="MAF-2026-000999")
    assert case(batho, reference).status != "duplicate" and not events(batho, reference, EventKind.LINKED_CASE)


def test_open311_publishes_the_status_sentence_not_the_note(batho, people):
    original = lodge(batho)
    reference = lodge(batho)
    _mark_duplicate(batho, people, reference, original)
    view = open311.one(batho, reference)
    texts = [n.description for n in view.notes] + [view.status_notes]
    assert "Closed as a duplicate of another case." in texts
    assert not any("burst pipe" in t or "Where it stands" in t or original in t for t in texts)


def test_both_case_pages_show_the_link(batho, people, browsers):
    original = to_investigation(batho, people)
    reference = lodge(batho)
    _mark_duplicate(batho, people, reference, original)
    agent = browsers("agent")
    duplicate_page = agent.get(f"/cases/{reference}").get_data(as_text=True)
    original_page = agent.get(f"/cases/{original}").get_data(as_text=True)
    assert f"Marked as a duplicate of case {original}." in duplicate_page
    assert f'href="/cases/{original}"' in duplicate_page
    assert f"Case {reference} was marked as a duplicate of this case." in original_page
    assert f'href="/cases/{reference}"' in original_page
