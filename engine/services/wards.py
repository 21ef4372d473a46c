"""The municipality's wards from a GeoJSON file: which ward and town a point lies in (pure Python, no GIS library)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import Config

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs, closed or not
Polygon = tuple[Ring, ...]  # the outer ring, then its holes


@dataclass(frozen=True)
class Ward:
    """One ward: its Demarcation Board code (e.g. 42005001), number within the municipality, name and town."""

    code: str
    number: int
    name: str
    town: str


@dataclass(frozen=True)
class _Area:
    ward: Ward
    polygons: tuple[Polygon, ...]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(_in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, hole) for hole in poly[1:])
                   for poly in self.polygons)


@dataclass(frozen=True)
class WardMap:
    """The wards of one municipality, as loaded from one file."""

    municipality: str
    geojson: dict[str, Any]
    _areas: tuple[_Area, ...] = field(repr=False)

    @property
    def wards(self) -> list[Ward]:
        """Every ward, by number."""
        return sorted((area.ward for area in self._areas), key=lambda ward: (ward.number, ward.code))

    def get(self, code: str | None) -> Ward | None:
        """The ward with this code, or None."""
        return next((area.ward for area in self._areas if area.ward.code == code), None)

    def find(self, lat: float, lon: float) -> Ward | None:
        """The ward the point (WGS 84 degrees) lies in, or None when it is outside every ward."""
        return next((area.ward for area in self._areas if area.contains(lon, lat)), None)


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting: does a ray eastward from the point cross the ring an odd number of times."""
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = ring[i]
        x2, y2 = ring[i - 1]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _polygons(geometry: dict[str, Any]) -> tuple[Polygon, ...]:
    kind = geometry.get("type")
    if kind == "Polygon":
        shapes = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        shapes = geometry["coordinates"]
    else:
        raise ValueError(f"Ward geometry must be a Polygon or MultiPolygon, not {kind!r}.")
    return tuple(tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in shape) for shape in shapes)


def _ward(properties: dict[str, Any]) -> Ward:
    """Our own property names, or the Demarcation Board's (WardID, WardNo) as its shapefile converts."""
    code = str(properties.get("code") or properties.get("WardID") or properties.get("WARD_ID") or "").strip()
    number = str(properties.get("number") or properties.get("WardNo") or properties.get("WARD_NO") or "").strip()
    if not code or not number.isdigit():
        raise ValueError(f"Each ward needs a code and a whole ward number; got {properties!r}.")
    town = str(properties.get("town") or "").strip()
    return Ward(code=code, number=int(number), name=str(properties.get("name") or f"Ward {int(number)}"), town=town)


def _area(feature: dict[str, Any]) -> _Area:
    polygons = _polygons(feature.get("geometry") or {})
    points = [p for poly in polygons for ring in poly for p in ring]
    if not points:
        raise ValueError("A ward has an empty geometry.")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return _Area(_ward(feature.get("properties") or {}), polygons, (min(lons), min(lats), max(lons), max(lats)))


def parse_wards(document: dict[str, Any]) -> WardMap:
    """A WardMap from a GeoJSON FeatureCollection; ValueError (a sentence) when it is not one."""
    if document.get("type") != "FeatureCollection":
        raise ValueError("The wards file must be a GeoJSON FeatureCollection.")
    areas = tuple(_area(feature) for feature in document.get("features") or [])
    codes = [area.ward.code for area in areas]
    if len(set(codes)) != len(codes):
        raise ValueError("Two wards in the wards file share a code.")
    return WardMap(municipality=str(document.get("municipality") or "the municipality"), geojson=document,
                   _areas=areas)


@lru_cache(maxsize=8)
def _load(path: str, modified: float) -> WardMap:
    with open(path, encoding="utf-8") as handle:
        return parse_wards(json.load(handle))


def load_wards(path: Path | str) -> WardMap:
    """The wards in the GeoJSON file at `path` (read once per path, again when the file changes)."""
    resolved = Path(path).resolve()
    try:
        return _load(str(resolved), resolved.stat().st_mtime)
    except (OSError, json.JSONDecodeError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"The wards file {resolved} (BATHO_WARDS_FILE) cannot be used: {exc}") from exc


def wards_for(config: Config) -> WardMap:
    """The wards of the configured file (BATHO_WARDS_FILE; by default the shipped Mafube EXAMPLE)."""
    return load_wards(config.wards_file)
