"""Photo checking and cleaning (engine/services/photos.py): time and sizes for typical phone photos, printed.

Usage:
    python -m benchmarks.photos             # 12 MP and 3 MP camera-like JPEGs, a PNG screenshot, a bomb; 5 runs each
    python -m benchmarks.photos --runs 10

The images are made with Pillow (noise, so JPEG cannot shrink them much, as with real photos); the figure to read
is the median time per photo, spent before any database transaction (the web form checks photos first).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from PIL import Image

from engine.services import photos
from tests.support import images


def _jpeg(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(out, "JPEG", quality=92)
    return out.getvalue()


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 20).convert("RGB").save(out, "PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    samples = {"12 MP JPEG (4000x3000)": _jpeg((4000, 3000)), "3 MP JPEG (2048x1536)": _jpeg((2048, 1536)),
               "PNG screenshot (1080x2340)": _png((1080, 2340)), "PNG bomb (100000x100000 header)": images.png_bomb()}
    for name, data in samples.items():
        times, result = [], ""
        for _ in range(runs):
            start = time.perf_counter()
            try:
                prepared = photos.prepare(data)
                result = (f"stored {len(prepared.data) / 1e3:.0f} kB at {prepared.width}x{prepared.height}, "
                          f"thumbnail {len(prepared.thumbnail) / 1e3:.1f} kB")
            except photos.PhotoRefused as refusal:
                result = f"refused ({refusal.code})"
            times.append(time.perf_counter() - start)
        print(f"{name}: {len(data) / 1e6:.2f} MB in; {result}; median {statistics.median(times) * 1000:.0f} ms "
              f"of {runs}")


if __name__ == "__main__":
    main()
