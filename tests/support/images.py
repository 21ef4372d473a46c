"""Real image files made with Pillow for the photo tests: a phone JPEG with EXIF GPS, PNG, WebP, a fake and a bomb."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (2400, 1200), orientation: int = 1) -> bytes:
    """A camera-like JPEG: EXIF with a make, an orientation and a GPS position (Cornelia, Mafube)."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue: shows which way is up
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "S", 2: (27.0, 14.0, 0.0), 3: "E", 4: (28.0, 51.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(size: tuple[int, int] = (640, 480), alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", size, (10, 160, 60, 128) if alpha else (10, 160, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (240, 200, 0)).save(out, "WEBP")
    return out.getvalue()


def gif(size: tuple[int, int] = (100, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 0, 0)).save(out, "GIF")
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int = 100_000) -> bytes:
    """A few dozen bytes claiming side x side pixels (ten thousand million): what a decompression bomb looks like."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


FAKE_JPEG = b"This is a letter about the water, saved with a .jpg name.\n" * 20
