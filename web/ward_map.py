"""The dashboard's map by ward: an SVG drawn on the server from the ward file's GeoJSON (no tiles, no JavaScript).

The outlines sit in an SVG scaled to the width the page gives it; the ward numbers are HTML over it, placed in
percentages, so they stay 13 px on a phone and on a laptop. Shades are one blue in five steps (light to dark),
which colour-blind readers tell apart by lightness, and each shade also has its count written in the legend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from engine.metrics.ward_figures import WardFigures

SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
WIDTH = 640.0  # user units across; the height follows the wards' shape
Point = tuple[float, float]


@dataclass(frozen=True)
class MapLabel:
    number: int | None
    left: float  # per cent of the map's width and height
    top: float


@dataclass(frozen=True)
class WardMapView:
    svg: Markup
    labels: list[MapLabel]
    ratio: str  # CSS aspect-ratio of the map box
    legend: list[tuple[str, str]]  # (colour, words)
    reading: str


def _polygons(geometry: dict[str, Any]) -> list[list[list[Point]]]:
    shapes = [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry.get("coordinates", [])
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in shape] for shape in shapes]


def _inside(point: Point, ring: Sequence[Point]) -> bool:
    x, y, inside = point[0], point[1], False
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i], ring[i - 1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _edge_distance(point: Point, ring: Sequence[Point]) -> float:
    best = math.inf
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i], ring[i - 1]
        dx, dy = x2 - x1, y2 - y1
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((point[0] - x1) * dx + (point[1] - y1) * dy)
                                                    / (dx * dx + dy * dy)))
        best = min(best, math.hypot(point[0] - x1 - t * dx, point[1] - y1 - t * dy))
    return best


def label_point(shapes: list[list[list[Point]]]) -> Point:
    """A point well inside the largest part (not in a hole): the grid point farthest from every edge."""
    shape = max(shapes, key=lambda s: _area(s[0]))
    xs, ys = [p[0] for p in shape[0]], [p[1] for p in shape[0]]
    best, score = (sum(xs) / len(xs), sum(ys) / len(ys)), -1.0
    for i in range(1, 24):
        for j in range(1, 24):
            point = (min(xs) + (max(xs) - min(xs)) * i / 24, min(ys) + (max(ys) - min(ys)) * j / 24)
            if not _inside(point, shape[0]) or any(_inside(point, hole) for hole in shape[1:]):
                continue
            distance = min(_edge_distance(point, ring) for ring in shape)
            if distance > score:
                best, score = point, distance
    return best


def _area(ring: Sequence[Point]) -> float:
    return abs(sum(ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1] for i, p in enumerate(ring))) / 2


def _steps(values: list[int]) -> list[int]:
    """Upper bounds of the five shades: 0, then four even steps up to the largest count."""
    top = max(values, default=0)
    if top <= 4:
        return [0, 1, 2, 3, max(top, 4)]
    return [0, *(math.ceil(top * k / 4) for k in range(1, 5))]


def _shade(value: int, steps: list[int]) -> int:
    return next(i for i, bound in enumerate(steps) if value <= bound)


def _legend(steps: list[int]) -> list[tuple[str, str]]:
    words = ["no open cases"]
    for i in range(1, 5):
        low, high = steps[i - 1] + 1, steps[i]
        words.append(f"{low} open" if low == high else f"{low}–{high} open")
    return list(zip(SHADES, words, strict=True))


def ward_map(geojson: dict[str, Any] | None, wards: list[WardFigures], link: Any) -> WardMapView | None:
    """The map of open cases per ward; `link(code)` gives the drill-down URL of a ward's open cases."""
    features = [(f.get("properties") or {}, _polygons(f.get("geometry") or {}))
                for f in (geojson or {}).get("features") or []]
    by_code = {w.code: w for w in wards if w.known}
    drawn = [(by_code[str(p.get("code") or p.get("WardID") or p.get("WARD_ID"))], shapes) for p, shapes in features
             if str(p.get("code") or p.get("WardID") or p.get("WARD_ID")) in by_code and shapes]
    if not drawn:
        return None
    points = [pt for _, shapes in drawn for shape in shapes for pt in shape[0]]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((north + south) / 2))  # a degree of longitude is shorter than one of latitude
    scale = WIDTH / max((east - west) * squash, 1e-9)
    height = max((north - south) * scale, 1.0)

    def xy(p: Point) -> str:
        return f"{(p[0] - west) * squash * scale:.1f},{(north - p[1]) * scale:.1f}"

    steps = _steps([w.figures.open_now for w, _ in drawn])
    paths, labels = [], []
    for ward, shapes in drawn:
        d = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for shape in shapes for ring in shape)
        shade = _shade(ward.figures.open_now, steps)
        share = ward.figures.within_standard_share
        words = (f"{ward.name}: {ward.figures.open_now} open now, {ward.figures.opened} reported"
                 + (f", {share * 100:.0f}% resolved within standard" if share is not None else ""))
        paths.append(f'<a href="{escape(link(ward.code))}" aria-label="{escape(words)}">'
                     f'<path class="ward" data-ward="{escape(ward.code)}" d="{d}" fill="{SHADES[shade]}" '
                     f'fill-rule="evenodd"><title>{escape(words)}</title></path></a>')
        x, y = label_point(shapes)
        labels.append(MapLabel(ward.number, (x - west) * squash * scale / WIDTH * 100,
                               (north - y) * scale / height * 100))
    title = "Open cases now, by ward"
    svg = Markup(f'<svg class="ward-map" viewBox="0 0 {WIDTH:.0f} {height:.1f}" width="100%" height="100%" '
                 f'preserveAspectRatio="xMidYMid meet" role="group" aria-label="{title}" '
                 f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>{"".join(paths)}</svg>')
    return WardMapView(svg, labels, f"{WIDTH:.0f} / {height:.0f}", _legend(steps), reading(wards))


def reading(wards: list[WardFigures]) -> str:
    """One sentence: the ward with most open cases, and how many wards have none."""
    known = [w for w in wards if w.known]
    if not known:
        return "No ward has cases yet."
    most = max(known, key=lambda w: (w.figures.open_now, -(w.number or 0)))
    quiet = sum(1 for w in known if w.figures.open_now == 0)
    if most.figures.open_now == 0:
        return f"No ward has an open case now ({len(known)} wards)."
    return (f"{most.name} has the most open cases now ({most.figures.open_now}); "
            f"{quiet} of {len(known)} wards have none.")
