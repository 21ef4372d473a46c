"""WhatsApp (issue 15): each number's conversation with the municipality, and the message ids already received."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class WhatsAppConversation(Base):
    """Where one WhatsApp number is in the menu, its language, and the complaint it is putting together.

    The draft is dropped after a day of silence (engine/services/whatsapp); the language stays, so it is asked once.
    """

    __tablename__ = "whatsapp_conversations"

    wa_id: Mapped[str] = mapped_column(String(20), primary_key=True)  # the number as WhatsApp gives it: 27825551111
    language: Mapped[str | None] = mapped_column(String(5))
    step: Mapped[str] = mapped_column(String(20), default="language")
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class WhatsAppMessage(Base):
    """One message a citizen sent, by its WhatsApp id: the webhook keeps it, the worker answers it once.

    Meta delivers again what it thinks was not received: the unique id makes a repeat a no-op. The message itself
    (`payload`, the citizen's words) is dropped once handled; the id stays a week to recognise late repeats.
    """

    __tablename__ = "whatsapp_messages"
    __table_args__ = (Index("ix_whatsapp_messages_pending", "handled_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    wa_id: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
