"""The USSD menus' choices and pages: categories from the diagram, towns and wards from the wards file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..composition import Batho
from .wards import wards_for

log = logging.getLogger("batho.channels")


@dataclass(frozen=True)
class Choice:
    """One numbered line of a menu: what is kept (`id`; empty for "not sure") and what the citizen reads."""

    id: str
    label: str


@dataclass(frozen=True)
class Places:
    """The towns of the wards file, in ward order, and the wards of each town."""

    towns: list[Choice] = field(default_factory=list)
    wards: dict[str, list[Choice]] = field(default_factory=dict)

    def wards_in(self, town: str) -> list[Choice]:
        return self.wards.get(town, [])


def places_of(app: Batho) -> Places:
    """Towns and wards from the configured wards file; none (the area is not asked) when it cannot be read."""
    try:
        wards = wards_for(app.config).wards
    except (OSError, ValueError):
        log.exception("USSD: the wards file %s could not be read; the area is not asked", app.config.wards_file)
        return Places()
    towns: dict[str, list[Choice]] = {}
    for ward in wards:
        if ward.town:
            towns.setdefault(ward.town, []).append(Choice(ward.code, ward.name))
    return Places(towns=[Choice(town, town) for town in towns], wards=towns)


def paged(header: str, choices: list[Choice], more: str, limit: int) -> list[list[int]]:
    """The choice numbers (from 1) on each page, so that "CON ", the header, the lines and "0 More" fit `limit`."""
    pages: list[list[int]] = []
    current: list[int] = []
    budget = limit - len("CON ") - len(header) - len(more) - 1
    used = 0
    for number, choice in enumerate(choices, start=1):
        line = len(f"\n{number} {choice.label}")
        if current and used + line > budget:
            pages.append(current)
            current, used = [], 0
        current.append(number)
        used += line
    pages.append(current)
    return pages
