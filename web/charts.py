"""Server-side SVG charts (no JavaScript): bars and lines with their own titles for screen readers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 48, 36, 16
COLOURS = ("#1f5f8b", "#e08a1e", "#3b8b3b", "#8b1f3b")


def _svg(title: str, body: str, height: int = HEIGHT) -> Markup:
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>')


def _axis(top: float, label: str) -> str:
    plot = HEIGHT - BOTTOM - TOP
    lines = []
    for step in range(5):
        y = TOP + plot - plot * step / 4
        value = top * step / 4
        text = f"{value:.0f}{label}"
        lines.append(f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{text}</text>')
    return "".join(lines)


def _labels(labels: Sequence[str], slot: float) -> str:
    every = max(1, len(labels) // 12)
    return "".join(f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                   f'class="tick">{escape(label)}</text>' for i, label in enumerate(labels) if i % every == 0)


def _legend(names: Sequence[str]) -> str:
    return "".join(f'<rect x="{LEFT + 130 * i}" y="{HEIGHT - 12}" width="10" height="10" fill="{COLOURS[i]}"/>'
                   f'<text x="{LEFT + 130 * i + 14}" y="{HEIGHT - 3}" class="tick">{escape(n)}</text>'
                   for i, n in enumerate(names))


def bars(title: str, labels: Sequence[str], series: dict[str, Sequence[int | float]]) -> Markup:
    """Grouped vertical bars, one colour per series."""
    highest = max([1.0, *[float(v) for values in series.values() for v in values]])
    top = float(math.ceil(highest / 4) * 4)  # whole-number ticks
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) / max(1, len(labels))
    width = slot * 0.8 / max(1, len(series))
    parts = [_axis(top, "")]
    for s, (name, values) in enumerate(series.items()):
        for i, value in enumerate(values):
            h = plot * float(value) / top
            x = LEFT + slot * i + slot * 0.1 + width * s
            parts.append(f'<rect x="{x:.1f}" y="{TOP + plot - h:.1f}" width="{width:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[s % 4]}"><title>{escape(labels[i])}: {escape(name)} {value}</title></rect>')
    return _svg(title, "".join(parts) + _labels(labels, slot) + _legend(list(series)))


def share_line(title: str, labels: Sequence[str], shares: Sequence[float | None]) -> Markup:
    """A line of percentages (0-100 %); weeks without closed cases leave a gap."""
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 8) / max(1, len(labels))
    parts, path, points = [_axis(100, "%")], [], []
    for i, share in enumerate(shares):
        if share is None:
            path.append("")
            continue
        x, y = LEFT + slot * (i + 0.5), TOP + plot - plot * share
        path.append(f"{x:.1f},{y:.1f}")
        points.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[2]}">'
                      f'<title>{escape(labels[i])}: {share * 100:.1f}%</title></circle>')
    for segment in " ".join(path).split("  "):
        if segment.strip():
            parts.append(f'<polyline points="{segment.strip()}" fill="none" stroke="{COLOURS[2]}" stroke-width="2"/>')
    return _svg(title, "".join(parts + points) + _labels(labels, slot) + _legend(["Within standard"]))


def horizontal(title: str, labels: Sequence[str], values: Sequence[float | None], percent: bool = False) -> Markup:
    """Horizontal bars, for bands and departments (long labels read better across); None shows a dash."""
    row, left = 28, 230
    height = TOP + row * max(1, len(labels)) + 8
    top = 1.0 if percent else max([1.0, *[float(v) for v in values if v is not None]])
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + row * i
        w = (WIDTH - left - 70) * float(value or 0) / top
        shown = "—" if value is None else f"{value * 100:.1f}%" if percent else f"{value:g}"
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" class="tick">{escape(label[:34])}</text>'
                     f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 10}" fill="{COLOURS[0]}"/>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 17}" class="tick">{shown}</text>')
    return _svg(title, "".join(parts), height)
