"""The WhatsApp conversation: language once, then the menu; lodging a complaint step by step; a case's status.

Each citizen's message moves their conversation one step and returns the replies. "menu" or "help" starts again, a
reference (with or without its access code) is answered with the case's status at any step, and anything that
does not fit the step is answered with what the step expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ...bpmn.forms import Field
from ...composition import Batho
from ...errors import ValidationFailed
from ...lodging import Contact, newest_version_in
from ...models import WhatsAppConversation
from .. import places
from ..cases import lodge_in
from ..photos import PhotoRefused, PreparedPhoto, attach
from .messages import Inbound, Reply, buttons, choice_list
from .status import reference_in, status_answer
from .texts import CHOOSE_LANGUAGE, LANGUAGES, say, translator

PROCESS = "complaint"
RESTART = {"menu", "help", "hulp", "thuso", "start", "restart", "hi", "hello", "dumela", "hallo"}
LANGUAGE_WORDS = {"1": "en", "2": "st", "3": "af", "english": "en", "sesotho": "st", "afrikaans": "af"}
DRAFT_STEPS = ("describe", "location", "photos", "confirm")
MAX_PHOTOS = 3


@dataclass
class Fetched:
    """The draft's photos, fetched from the Cloud API and checked before the lodging transaction opened."""

    photos: list[PreparedPhoto] = field(default_factory=list)
    failed: int = 0


def _typed(inbound: Inbound) -> str:
    return inbound.text.strip().strip(".)*").strip().lower() if inbound.kind == "text" else ""


def sends(conversation: WhatsAppConversation | None, inbound: Inbound) -> bool:
    """Whether this message confirms a complaint that has photos to fetch (done before the transaction)."""
    return (conversation is not None and conversation.step == "confirm" and _typed(inbound) == "1"
            and bool((conversation.draft or {}).get("photos")))


class Turn:
    """One message's effect on one conversation, inside the caller's transaction."""

    def __init__(self, app: Batho, session: Session, conversation: WhatsAppConversation,
                 fetched: Fetched | None = None) -> None:
        self.app, self.session, self.conv = app, session, conversation
        self.fetched = fetched or Fetched()
        self.case_id: int | None = None  # set when this turn lodged a case

    @property
    def language(self) -> str | None:
        return self.conv.language

    def _words(self, text: str) -> str:
        return translator(self.app.config.notify.catalogs, self.language).gettext(text)

    def _draft(self, **values: Any) -> dict[str, Any]:
        self.conv.draft = {**(self.conv.draft or {}), **values}
        return self.conv.draft

    def _to(self, step: str) -> list[Reply]:
        self.conv.step = step
        return self.prompt(step)

    def _category_field(self) -> Field:
        form = self.app.specs.get(newest_version_in(self.session, PROCESS)).start_form
        return next(f for f in form if f.id == "category")

    def _categories(self) -> list[tuple[str, str, str]]:
        """(number, option id, name in the citizen's language) of each category of the complaint form."""
        return [(str(n), option.id, self._words(option.name))
                for n, option in enumerate(self._category_field().options, start=1)]

    def prompt(self, step: str) -> list[Reply]:
        """What the citizen is asked at `step`."""
        lang = self.language
        if step == "language":
            return [buttons(CHOOSE_LANGUAGE, [(str(n), name) for n, (_, name) in enumerate(
                (("en", "English"), ("st", "Sesotho"), ("af", "Afrikaans")), start=1)])]
        if step == "menu":
            return [buttons(say(lang, "menu"), [("1", say(lang, "report_button")), ("2", say(lang, "follow_button")),
                                                ("3", say(lang, "language_button"))])]
        if step == "category":
            rows = self._categories()
            text = say(lang, "category") + "\n" + "\n".join(f"{n} {name}" for n, _, name in rows)
            return [choice_list(text, say(lang, "list_button"), say(lang, "list_section"),
                                [(n, name) for n, _, name in rows])]
        if step == "confirm":
            return [self._summary()]
        return [Reply(say(lang, step))]  # describe, location, photos, follow

    def _summary(self) -> Reply:
        draft, lang = self.conv.draft or {}, self.language
        names = {option_id: name for _, option_id, name in self._categories()}
        place = draft.get("location") or (say(lang, "pin") if draft.get("latitude") is not None else "-")
        text = say(lang, "confirm", category=names.get(str(draft.get("category")), "-"),
                   description=draft.get("description", "-"), place=place, photos=len(draft.get("photos") or []))
        return buttons(text, [("1", say(lang, "send_button")), ("2", say(lang, "again_button"))])

    def _again(self, step: str) -> list[Reply]:
        return [Reply(say(self.language, "not_understood")), *self.prompt(step)]

    def answer(self, inbound: Inbound) -> list[Reply]:
        """The replies to `inbound`, the conversation moved on."""
        if inbound.kind == "reaction":
            return []
        typed = _typed(inbound)
        if typed in RESTART:
            self.conv.draft = None
            return self._to("menu" if self.language else "language")
        found = reference_in(inbound.text) if inbound.kind == "text" and self.conv.step != "describe" else None
        if found:
            answer = [Reply(status_answer(self.app, found[0], found[1], self.language))]
            return answer + (self.prompt("language") if not self.language else [])
        if inbound.kind == "image" and self.conv.step in DRAFT_STEPS:
            return self._photo(inbound)
        step = getattr(self, f"_on_{self.conv.step}", None)
        if step is None:  # a step of an older version of this conversation
            return self._to("menu" if self.language else "language")
        replies: list[Reply] = step(inbound, typed)
        return replies

    def _on_language(self, inbound: Inbound, typed: str) -> list[Reply]:
        language = LANGUAGE_WORDS.get(typed) or (typed if typed in LANGUAGES else None)
        if language is None:
            return self.prompt("language")
        self.conv.language = language
        return self._to("menu")

    def _on_menu(self, inbound: Inbound, typed: str) -> list[Reply]:
        if typed == "1":
            self.conv.draft = {}
            return self._to("category")
        if typed == "2":
            return self._to("follow")
        if typed == "3":
            return self._to("language")
        return self._again("menu")

    def _on_follow(self, inbound: Inbound, typed: str) -> list[Reply]:
        return self._again("follow")

    def _on_category(self, inbound: Inbound, typed: str) -> list[Reply]:
        chosen = next((option_id for n, option_id, name in self._categories()
                       if typed in (n, name.lower(), option_id)), None)
        if chosen is None:
            return self._again("category")
        self._draft(category=chosen)
        return self._to("describe")

    def _on_describe(self, inbound: Inbound, typed: str) -> list[Reply]:
        if inbound.kind != "text" or not inbound.text:
            return [Reply(say(self.language, "describe_words"))]
        form = self.app.specs.get(newest_version_in(self.session, PROCESS)).start_form
        limit = next((f.maxlength for f in form if f.id == "description" and f.maxlength), 4000)
        if len(inbound.text) > limit:
            return [Reply(say(self.language, "too_long", limit=limit, count=len(inbound.text)))]
        self._draft(description=inbound.text)
        return self._to("location")

    def _on_location(self, inbound: Inbound, typed: str) -> list[Reply]:
        if inbound.kind == "location" and inbound.latitude is not None and inbound.longitude is not None:
            try:
                places.locate(self.app, inbound.latitude, inbound.longitude)
            except ValidationFailed:
                return [Reply(say(self.language, "outside_wards"))]
            draft = self._draft(latitude=inbound.latitude, longitude=inbound.longitude,
                                location=inbound.place or None)
            return self._nearby(str(draft.get("category")), inbound.latitude, inbound.longitude) + self._to("photos")
        if inbound.kind == "text" and inbound.text:
            self._draft(location=inbound.text[:300], latitude=None, longitude=None)
            return self._to("photos")
        return self._again("location")

    def _nearby(self, category: str, lat: float, lon: float) -> list[Reply]:
        """Open complaints of the same category within about 200 m, so the citizen may follow one instead."""
        found = places.nearby_in(self.app, self.session, PROCESS, category, lat, lon)
        if not found:
            return []
        lines = "\n".join(f"{near.reference}: {self._words(near.status_text)} ({near.about_metres} m)"
                          for near in found)
        return [Reply(say(self.language, "nearby", cases=lines))]

    def _photo(self, inbound: Inbound) -> list[Reply]:
        kept = list((self.conv.draft or {}).get("photos") or [])
        if len(kept) >= MAX_PHOTOS:
            return [Reply(say(self.language, "photos_full")), *self.prompt(self.conv.step)]
        kept.append(inbound.media_id)
        self._draft(photos=kept)
        replies = [Reply(say(self.language, "photo_received", count=len(kept)))]
        if len(kept) >= MAX_PHOTOS and self.conv.step == "photos":
            return [Reply(say(self.language, "photos_full")), *self._to("confirm")]
        return replies if self.conv.step == "photos" else replies + self.prompt(self.conv.step)

    def _on_photos(self, inbound: Inbound, typed: str) -> list[Reply]:
        if typed in ("1", "done", "klaar", "qetile", "no", "none"):
            return self._to("confirm")
        return self._again("photos")

    def _on_confirm(self, inbound: Inbound, typed: str) -> list[Reply]:
        if typed == "2":
            self.conv.draft = {}
            return self._to("category")
        if typed != "1":
            return self._again("confirm")
        return self._lodge(inbound)

    def _lodge(self, inbound: Inbound) -> list[Reply]:
        """The complaint lodged through the same service as the web form, its photos attached, the reference sent."""
        draft, lang = self.conv.draft or {}, self.language or "en"
        submitted = {"category": draft.get("category"), "description": draft.get("description", ""),
                     "location": draft.get("location") or "",
                     places.LATITUDE: draft.get("latitude"), places.LONGITUDE: draft.get("longitude")}
        contact = Contact(name=inbound.profile_name, phone=f"+{self.conv.wa_id}", language=lang)
        try:
            case = lodge_in(self.app, self.session, PROCESS, submitted, contact, "whatsapp")
        except ValidationFailed as exc:
            reason = " ".join(self._words(text) for text in exc.errors.values())
            return [Reply(say(lang, "not_saved", reason=reason)), *self.prompt("confirm")]
        not_kept = self.fetched.failed
        for photo in self.fetched.photos:
            try:
                attach(self.session, case, photo, source="whatsapp")
            except PhotoRefused:
                not_kept += 1
        self.case_id = case.id
        self.conv.draft, self.conv.step = None, "menu"
        replies = [Reply(say(lang, "lodged", reference=case.reference, code=case.access_code))]
        if not_kept:
            replies.append(Reply(say(lang, "photos_not_kept", count=not_kept, reason=say(lang, "photo_unreadable"))))
        return replies
