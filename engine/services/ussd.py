"""USSD sessions (the aggregator's callback): report a problem or track a case, worked out afresh from `text`.

The gateway sends every answer of the session so far joined by `*`; walking them from the first screen gives the
screen to show now, so no session is kept. An answer that does not fit its menu is passed over: the next screen
repeats the question with a sentence, and the citizen's next answer is read as the answer to it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..composition import Batho
from ..errors import NotFound, ValidationFailed
from ..lodging import PHONE, Contact
from ..models import Case, FormSubmission
from ..notify.words import translated
from . import cases, submissions
from .phone_words import CHOOSE_LANGUAGE, LANGUAGES, say
from .status_line import cut, status_line
from .ussd_menus import Choice, Places, paged, places_of

log = logging.getLogger("batho.channels")
SCREEN = 160  # characters a USSD screen holds, "CON " or "END " included
MAX_TEXT, MAX_ANSWERS = 2000, 60
PROCESS = "complaint"  # "Report a problem" lodges a complaint, as the web form's first choice does
REFERENCE = re.compile(r"^(?:[A-Z]{2,6}\W*)?(\d{4})\W*(\d{1,6})(?:\s+([A-Z0-9 -]{6,30}))?$")


@dataclass(frozen=True)
class Screen:
    """What the handset shows: `end` closes the session."""

    text: str
    end: bool = False

    @property
    def reply(self) -> str:
        return ("END " if self.end else "CON ") + self.text


@dataclass
class Talk:
    """What the answers so far have settled."""

    language: str = ""
    path: str = ""  # report | track
    page: int = 0
    category: Choice | None = None
    town: Choice | None = None
    ward: Choice | None = None
    description: str = ""
    error: str = ""  # the sentence key for the last answer, when it did not fit


def answers_of(text: str) -> list[str]:
    """The answers in the gateway's `text`; a real session has a dozen, so more are not read (nor walked)."""
    return [part.strip() for part in text[:MAX_TEXT].split("*")][:MAX_ANSWERS] if text else []


def answer(app: Batho, session_id: str, phone: str, text: str) -> Screen:
    """The screen after the answers in `text` (the gateway's field), for the handset `phone`."""
    talk = Talk()
    places = places_of(app)
    for given in answers_of(text):
        talk.error = ""
        done = _step(app, talk, places, given, session_id, phone)
        if done is not None:
            return done
    return _question(app, talk, places)


def _categories(app: Batho, language: str) -> list[Choice]:
    form = cases.start_form(app, PROCESS)
    category = next(f for f in form if f.id == "category")
    return [Choice(o.id, translated(app.config.notify.catalogs, language, o.name)) for o in category.options]


def _menu(app: Batho, talk: Talk, places: Places) -> tuple[str, list[Choice]]:
    """The title and choices of the paged menu the talk is at (category, town or ward)."""
    lang = talk.language
    if talk.category is None:
        form = cases.start_form(app, PROCESS)
        title = next(f.label for f in form if f.id == "category")
        return translated(app.config.notify.catalogs, lang, title), _categories(app, lang)
    not_sure = Choice("", say(lang, "not_sure"))
    if talk.town is None:
        return say(lang, "town"), [*places.towns, not_sure]
    return say(lang, "ward"), [*places.wards_in(talk.town.id), not_sure]


def _at(talk: Talk, places: Places) -> str:
    """The question the talk is at."""
    if not talk.language:
        return "language"
    if not talk.path:
        return "menu"
    if talk.path == "track":
        return "reference"
    if talk.category is None or (places.towns and talk.town is None):
        return "menu_page"
    if talk.town and talk.town.id and talk.ward is None and len(places.wards_in(talk.town.id)) > 1:
        return "menu_page"
    return "describe" if not talk.description else "confirm"


def _step(app: Batho, talk: Talk, places: Places, given: str, session_id: str, phone: str) -> Screen | None:
    """Take one answer; a Screen where it ends the session."""
    at = _at(talk, places)
    if at == "language":
        if given in ("1", "2", "3"):
            talk.language = LANGUAGES[int(given) - 1]
        else:
            talk.error = "choose"
    elif at == "menu":
        talk.path = {"1": "report", "2": "track"}.get(given, "")
        talk.error = "" if talk.path else "choose"
    elif at == "menu_page":
        _choose(app, talk, places, given)
    elif at == "describe":
        if len(re.sub(r"\W", "", given)) >= 3:
            talk.description = given[:1000]
        else:
            talk.error = "too_short"
    elif at == "confirm":
        if given == "1":
            return _lodge(app, talk, session_id, phone)
        if given == "2":
            return Screen(say(talk.language, "cancelled"), end=True)
        talk.error = "choose"
    else:
        return _track(app, talk, given)
    return None


def _choose(app: Batho, talk: Talk, places: Places, given: str) -> None:
    pages, choices = _pages(app, talk, places)
    if given == "0" and len(pages) > 1:
        talk.page = (talk.page + 1) % len(pages)
        return
    if not given.isdigit() or not 1 <= int(given) <= len(choices):
        talk.error = "choose"
        return
    chosen, talk.page = choices[int(given) - 1], 0
    if talk.category is None:
        talk.category = chosen
    elif talk.town is None:
        talk.town = chosen
        wards = places.wards_in(chosen.id) if chosen.id else []
        talk.ward = wards[0] if len(wards) == 1 else None  # a town of one ward: no need to ask
    else:
        talk.ward = chosen


def _pages(app: Batho, talk: Talk, places: Places) -> tuple[list[list[int]], list[Choice]]:
    """The pages of the menu the talk is at, the same whether or not the last answer was wrong."""
    title, choices = _menu(app, talk, places)
    header = max(title, say(talk.language, "choose"), key=len)
    return paged(header, choices, say(talk.language, "more"), SCREEN), choices


def _header(language: str, title: str, error: str) -> str:
    return f"{say(language, error)}\n{title}" if error else title


def _question(app: Batho, talk: Talk, places: Places) -> Screen:
    """The screen asking the question the talk is at, after the sentence saying why the last answer did not fit."""
    at = _at(talk, places)
    lang = talk.language
    if at == "language":
        return Screen(_header("en", CHOOSE_LANGUAGE, talk.error) if talk.error else CHOOSE_LANGUAGE)
    if at == "menu_page":  # after a wrong answer the sentence stands in for the title, so that pages stay put
        title, _ = _menu(app, talk, places)
        pages, choices = _pages(app, talk, places)
        lines = [f"{number} {choices[number - 1].label}" for number in pages[talk.page % len(pages)]]
        if len(pages) > 1:
            lines.append(say(lang, "more"))
        return Screen("\n".join([say(lang, talk.error) if talk.error else title, *lines]))
    if at == "confirm":
        send = say(lang, "send")
        error = f"{say(lang, talk.error)}\n" if talk.error else ""
        place = talk.ward.label if talk.ward and talk.ward.id else talk.town.label if talk.town and talk.town.id else ""
        summary = ", ".join(part for part in (talk.category.label if talk.category else "", place) if part)
        room = SCREEN - len("CON ") - len(error) - len(send) - 1
        return Screen(f"{error}{cut(f'{summary}: {talk.description}', room)}\n{send}")
    question = {"menu": "menu", "describe": "describe", "reference": "reference"}[at]
    return Screen(_header(lang, say(lang, question), talk.error))


def _track(app: Batho, talk: Talk, given: str) -> Screen | None:
    found = REFERENCE.match(given.upper())
    if found is None:
        talk.error = "not_found"
        return None
    year, number, code = found.groups()
    reference = f"{app.config.reference_prefix}-{year}-{int(number):06d}"
    try:
        return Screen(status_line(app, talk.language, reference, code, SCREEN - len("END ")), end=True)
    except NotFound:
        talk.error = "not_found"
        return None


def lodging_token(session_id: str) -> str:
    """The one-time token of a USSD session: a gateway repeating the last request makes no second case."""
    return hashlib.sha256(f"ussd:{session_id}".encode()).hexdigest()[:40]


def _lodge(app: Batho, talk: Talk, session_id: str, phone: str) -> Screen:
    """Lodge the complaint through the web form's services, channel ussd, the handset's number as the contact."""
    number = phone.strip() if PHONE.match(phone.strip()) else ""
    contact = Contact(phone=number, language=talk.language)
    town = talk.town if talk.town and talk.town.id else None
    ward = talk.ward if talk.ward and talk.ward.id else None
    place = ward or town
    values = {"category": talk.category.id if talk.category else "", "description": talk.description,
              "location": place.label if place else ""}

    def make(session: Session, claim: FormSubmission | None) -> tuple[str, str]:
        case = cases.lodge_in(app, session, PROCESS, values, contact, "ussd")
        case.town = town.id if town else None
        case.ward = ward.id if ward else None
        if claim is not None:
            claim.case_id = case.id
        return case.reference, case.access_code or ""

    def again(session: Session, earlier: FormSubmission) -> tuple[str, str]:
        case = session.get(Case, earlier.case_id) if earlier.case_id else None
        return (case.reference, case.access_code or "") if case else ("", "")

    try:
        (reference, code), _ = submissions.once(app, f"{submissions.LODGE}:{PROCESS}", lodging_token(session_id),
                                                make, again)
    except (ValidationFailed, OperationalError):
        log.exception("USSD session %s: the case could not be saved", session_id[:64])
        return Screen(say(talk.language, "unsaved"), end=True)
    if not reference:
        return Screen(say(talk.language, "cancelled"), end=True)
    return Screen(say(talk.language, "lodged", reference=reference, code=code), end=True)
