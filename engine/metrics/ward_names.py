"""Ward codes as people read them: the names, numbers and towns of the configured ward file."""

from __future__ import annotations

from ..composition import Batho
from ..services.wards import Ward, WardMap, wards_for
from .dimensions import NONE_KEY
from .figures import Figures

NO_WARD = "No ward (no place given)"


def ward_map(app: Batho) -> WardMap | None:
    """The configured wards, or None when the file is missing or unreadable (figures then show the codes)."""
    try:
        return wards_for(app.config)
    except (OSError, ValueError):
        return None


def ward_label(wards: WardMap | None, code: str | None) -> str:
    """`Ward 1: Frankfort town` for a code of the file; the code itself when the file does not know it."""
    if code is None or code == NONE_KEY:
        return NO_WARD
    ward = wards.get(code) if wards is not None else None
    return ward.name if ward is not None else code


def relabel(app: Batho, rows: list[Figures]) -> list[Figures]:
    """Rows grouped by ward, named from the ward file and put in ward-number order (no ward last)."""
    wards = ward_map(app)
    order = {w.code: w.number for w in wards.wards} if wards is not None else {}
    for row in rows:
        row.label = ward_label(wards, row.key)
    return sorted(rows, key=lambda r: (r.key == NONE_KEY, order.get(r.key, 10_000), r.key))


def known_wards(app: Batho) -> list[Ward]:
    """Every ward of the file, by number (empty when there is no file)."""
    wards = ward_map(app)
    return wards.wards if wards is not None else []
