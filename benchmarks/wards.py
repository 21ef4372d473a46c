"""How long finding a point's ward takes: the shipped example, and a metro-sized map (many wards, detailed edges).

Usage:
    python -m benchmarks.wards --points 20000 --wards 130 --vertices 2000

The metro-sized map is made here: `--wards` ring-shaped wards (a circle of `--vertices` points each) in a grid, as
detailed as the Demarcation Board's shapefiles are after conversion. One thread, one core.
"""

from __future__ import annotations

import argparse
import math
import random
import time

from engine.config import WARDS_FILE
from engine.services.wards import WardMap, load_wards, parse_wards


def metro(wards: int, vertices: int) -> WardMap:
    side = math.ceil(math.sqrt(wards))
    features = []
    for n in range(wards):
        cx, cy = 28.0 + (n % side) * 0.02, -26.0 - (n // side) * 0.02
        ring = [[cx + 0.0099 * math.cos(2 * math.pi * k / vertices), cy + 0.0099 * math.sin(2 * math.pi * k / vertices)]
                for k in range(vertices)]
        features.append({"type": "Feature", "properties": {"code": f"W{n:03d}", "number": n + 1},
                         "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}})
    return parse_wards({"type": "FeatureCollection", "features": features})


def timed(wards: WardMap, points: list[tuple[float, float]]) -> tuple[float, int]:
    start = time.perf_counter()
    found = sum(1 for lat, lon in points if wards.find(lat, lon) is not None)
    return (time.perf_counter() - start) / len(points) * 1e6, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--wards", type=int, default=130)
    parser.add_argument("--vertices", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(15)
    example = load_wards(WARDS_FILE)
    points = [(rng.uniform(-27.6, -27.0), rng.uniform(28.4, 28.9)) for _ in range(args.points)]
    per_point, found = timed(example, points)
    print(f"example ({len(example.wards)} wards): {per_point:.1f} µs a point, {found} of {args.points} inside a ward")
    big = metro(args.wards, args.vertices)
    side = math.ceil(math.sqrt(args.wards))
    points = [(rng.uniform(-26.0 - side * 0.02, -25.99), rng.uniform(27.99, 28.0 + side * 0.02))
              for _ in range(args.points)]
    per_point, found = timed(big, points)
    print(f"metro-sized ({args.wards} wards x {args.vertices} vertices): {per_point:.1f} µs a point, "
          f"{found} of {args.points} inside a ward")


if __name__ == "__main__":
    main()
