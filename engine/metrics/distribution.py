"""Medians and percentiles from a histogram of whole working days (what the SQL returns)."""

from __future__ import annotations

import math
from collections.abc import Mapping


def _value_at(histogram: Mapping[int, int], rank: int) -> int:
    """The value at 1-based `rank` in the sorted list the histogram stands for."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError("rank beyond the histogram")


def median(histogram: Mapping[int, int]) -> float | None:
    """The middle value; the mean of the two middle values when the count is even."""
    n = sum(histogram.values())
    if n == 0:
        return None
    if n % 2:
        return float(_value_at(histogram, n // 2 + 1))
    return (_value_at(histogram, n // 2) + _value_at(histogram, n // 2 + 1)) / 2


def percentile(histogram: Mapping[int, int], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value at or below which `share` of the values lie."""
    n = sum(histogram.values())
    if n == 0:
        return None
    return float(_value_at(histogram, max(1, math.ceil(share * n))))
