"""Photos on cases (issue 15): the cleaned image and its thumbnail, kept in the database so every web process sees
them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Photo(Base):
    """One photo of a case, as stored after checking: re-encoded, resized, without EXIF (GPS included)."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # The bytes are loaded only when asked for: lists of a case's photos never read the images.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_type: Mapped[str] = mapped_column(String(30))  # of both the image and its thumbnail
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]  # bytes of the stored image
    source: Mapped[str] = mapped_column(String(30))  # the channel: web, capture, open311, whatsapp, ...
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: the citizen
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    later: Mapped[bool] = mapped_column(default=False)  # added after lodging (follow-up), not with the case
