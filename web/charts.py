"""Server-side SVG charts (no JavaScript), drawn at the size they are shown so that their text stays readable.

The SVGs have no viewBox: user units are CSS pixels, heights are fixed and horizontal positions are percentages of
the width the page gives the chart, so a label set to 13px in the stylesheet is 13px on a phone and on a laptop.
Only the lines of a line chart sit in an inner, stretched SVG (their strokes do not scale). Colours are the
Okabe-Ito palette, told apart by colour-blind readers, and every series also differs in pattern or marker shape.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"
COLOURS = (BLUE, VERMILLION, GREEN, ORANGE)
LEFT, RIGHT = 11.0, 3.0  # per cent of the width: room for the axis' numbers, and a margin
TOP, PLOT, LINE = 22, 170, 18  # pixels: above the plot, the plot's height, one line of text
WRAP = 34  # characters per label line: about 250 px at 13 px, so two lines fit a 360 px phone


def _id(title: str) -> str:
    return "c" + hashlib.sha1(title.encode()).hexdigest()[:8]


def _svg(title: str, body: str, height: int, defs: str = "") -> Markup:
    # The inline height: a stylesheet's `height: auto` would otherwise win over the attribute (SVG 2).
    return Markup(f'<svg class="chart" width="100%" height="{height}" style="height: {height}px" role="img" '
                  f'aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
                  f'<defs>{defs}</defs>{body}</svg>')


def _hatch(pattern_id: str, colour: str) -> str:
    return (f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{colour}"/>'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="#fff" stroke-width="3"/></pattern>')


def _x(fraction: float) -> str:
    """A position across the plot (0 to 1) as a percentage of the chart's width."""
    return f"{LEFT + (100 - LEFT - RIGHT) * fraction:.2f}%"


def _axis(top: float, percent: bool) -> str:
    lines = []
    for step in range(5):
        y = TOP + PLOT - PLOT * step / 4
        value = top * step / 4
        text = f"{value * 100:.0f}%" if percent else f"{value:,.0f}".replace(",", " ")
        lines.append(f'<line x1="{_x(0)}" x2="{_x(1)}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 1:.2f}%" y="{y + 4:.1f}" text-anchor="end" class="tick">{text}</text>')
    return "".join(lines)


def _labels(labels: Sequence[str]) -> str:
    every = max(1, math.ceil(len(labels) / 6))  # six dates fit a phone's width
    return "".join(f'<text x="{_x((i + 0.5) / len(labels))}" y="{TOP + PLOT + LINE}" text-anchor="middle" '
                   f'class="tick">{escape(label)}</text>' for i, label in enumerate(labels) if i % every == 0)


def _legend(entries: Sequence[tuple[str, str]], first_y: int) -> str:
    """One entry a line (names may be long): a swatch (fill or line markup at 0,0) and its name."""
    return "".join(f'<g transform="translate(0 {first_y + LINE * i})">{swatch}'
                   f'<text x="22" y="11" class="tick">{escape(name)}</text></g>'
                   for i, (name, swatch) in enumerate(entries))


def _target_across(target: float, top: float) -> str:
    y = TOP + PLOT - PLOT * target / top
    return (f'<line x1="{_x(0)}" x2="{_x(1)}" y1="{y:.1f}" y2="{y:.1f}" class="target"/>'
            f'<text x="{_x(1)}" y="{y - 5:.1f}" text-anchor="end" class="tick target-label">'
            f'Target {target * 100:.0f}%</text>')


def _nice_top(values: Sequence[float]) -> float:
    return float(math.ceil(max([1.0, *values]) / 4) * 4)  # whole-number ticks


def bars(title: str, labels: Sequence[str], series: dict[str, Sequence[int | float]]) -> Markup:
    """Grouped vertical bars, one colour and pattern per series."""
    top = _nice_top([float(v) for values in series.values() for v in values])
    slot = 1 / max(1, len(labels))
    width = slot * 0.8 / max(1, len(series))
    key = _id(title)
    defs = "".join(_hatch(f"{key}-{s}", COLOURS[s % 4]) for s in range(1, len(series), 2))
    parts, legend = [_axis(top, False)], []
    for s, (name, values) in enumerate(series.items()):
        fill = f"url(#{key}-{s})" if s % 2 else COLOURS[s % 4]
        legend.append((name, f'<rect width="16" height="12" fill="{fill}"/>'))
        for i, value in enumerate(values):
            h = PLOT * float(value) / top
            parts.append(f'<rect x="{_x(slot * i + slot * 0.1 + width * s)}" y="{TOP + PLOT - h:.1f}" '
                         f'width="{(100 - LEFT - RIGHT) * width:.2f}%" height="{h:.1f}" fill="{fill}">'
                         f'<title>{escape(labels[i])}: {escape(name)} {value}</title></rect>')
    bottom = TOP + PLOT + LINE + 12
    return _svg(title, "".join(parts) + _labels(labels) + _legend(legend, bottom),
                bottom + LINE * len(series) + 4, defs)


def lines(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]], percent: bool = False,
          target: float | None = None) -> Markup:
    """One line per series (the first solid with round markers, the next dashed with squares); None leaves a gap."""
    top = 1.0 if percent else _nice_top([float(v) for vs in series.values() for v in vs if v is not None])
    n = max(1, len(labels))
    paths, marks, legend = [], [], []
    for s, (name, values) in enumerate(series.items()):
        colour, dash = COLOURS[s % 4], ' stroke-dasharray="8 5"' if s % 2 else ""
        shape = (f'<rect x="4" y="2" width="8" height="8" fill="{colour}"/>' if s % 2
                 else f'<circle cx="8" cy="6" r="4.5" fill="{colour}"/>')
        legend.append((name, f'<line x1="0" x2="16" y1="6" y2="6" stroke="{colour}" stroke-width="2.5"{dash}/>'
                             f'<g transform="translate(0 0)">{shape}</g>'))
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{1000 * (i + 0.5) / n:.1f},{1000 * (1 - float(value) / top):.1f}")
            y = TOP + PLOT - PLOT * float(value) / top
            shown = f"{value * 100:.1f}%" if percent else f"{value:g}"
            tip = f"<title>{escape(labels[i])}: {escape(name)} {shown}</title>"
            marks.append(f'<rect x="{_x((i + 0.5) / n)}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}" '
                         f'transform="translate(-4 0)">{tip}</rect>' if s % 2 else
                         f'<circle cx="{_x((i + 0.5) / n)}" cy="{y:.1f}" r="4.5" fill="{colour}">{tip}</circle>')
        paths += [f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash} '
                  f'vector-effect="non-scaling-stroke"/>' for run in runs if run]
    plot = (f'<svg x="{_x(0)}" y="{TOP}" width="{100 - LEFT - RIGHT:.2f}%" height="{PLOT}" viewBox="0 0 1000 1000" '
            f'preserveAspectRatio="none" overflow="visible">{"".join(paths)}</svg>')
    goal = _target_across(target, top) if target is not None else ""
    bottom = TOP + PLOT + LINE + 12
    return _svg(title, _axis(top, percent) + goal + plot + "".join(marks) + _labels(labels) + _legend(legend, bottom),
                bottom + LINE * len(series) + 4)


def share_line(title: str, labels: Sequence[str], shares: Sequence[float | None],
               target: float | None = None) -> Markup:
    """A line of shares (0 to 1, shown as percentages); weeks without closed cases leave a gap."""
    return lines(title, labels, {"Within standard": shares}, percent=True, target=target)


def label_lines(label: str) -> list[str]:
    """A label over at most two lines, broken between words; a longer one ends in an ellipsis (full on hover)."""
    wrapped = textwrap.wrap(label, WRAP) or [""]
    if len(wrapped) <= 2:
        return wrapped
    return [wrapped[0], textwrap.shorten(" ".join(wrapped[1:]), WRAP, placeholder=" …")]


def horizontal(title: str, labels: Sequence[str], values: Sequence[float | None], percent: bool = False,
               target: float | None = None) -> Markup:
    """Horizontal bars with the full label above each bar and the figure at its end; None shows a dash.

    With a target, a dashed line crosses every bar at it and bars below it are hatched vermillion.
    """
    top = 1.0 if percent else max([1.0, *[float(v) for v in values if v is not None]])
    span, key, y, parts = 78.0, _id(title), TOP + 8, []
    for label, value in zip(labels, values, strict=True):
        texts = label_lines(label)
        tspans = "".join(f'<tspan x="0" dy="{0 if i == 0 else LINE}">{escape(t)}</tspan>' for i, t in enumerate(texts))
        below = target is not None and value is not None and value < target
        fill = f"url(#{key}-below)" if below else GREEN if target is not None else BLUE
        shown = "—" if value is None else f"{value * 100:.1f}%" if percent else f"{value:g}"
        parts.append(f'<g class="bar"><title>{escape(label)}: {shown}</title>'
                     f'<text y="{y + 12}" class="tick label">{tspans}</text>'
                     f'<rect x="0" y="{y + LINE * len(texts)}" width="{span * float(value or 0) / top:.2f}%" '
                     f'height="16" fill="{fill}"/>'
                     f'<text x="{span * float(value or 0) / top:.2f}%" dx="6" y="{y + LINE * len(texts) + 13}" '
                     f'class="tick value">'
                     f'{shown}</text></g>')
        y += LINE * len(texts) + 16 + 12
    goal = ""
    if target is not None:
        x = f"{span * target / top:.2f}%"
        goal = (f'<line x1="{x}" x2="{x}" y1="{TOP - 4}" y2="{y - 8}" class="target"/>'
                f'<text x="{x}" y="{TOP - 8}" text-anchor="middle" class="tick target-label">'
                f'Target {target * 100:.0f}%</text>')
    # The target line goes first, so that the labels and figures (with a halo in the stylesheet) sit over it.
    return _svg(title, goal + "".join(parts), y, _hatch(f"{key}-below", VERMILLION) if target is not None else "")
