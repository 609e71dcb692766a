"""Draw the add-in's icons as PNGs without an image library.

Run: python scripts/make_icons.py

A rounded square in the brand blue with a white ring and dot (an "o" that reads as "linked").
Writes server/static/icons/icon-<size>.png plus the unified manifest's color.png (192)
and outline.png (32).
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZES = (16, 20, 24, 25, 32, 40, 48, 50, 64, 75, 80, 96, 128, 144, 192)
BRAND = (0x0F, 0x6C, 0xBD)
OUT = Path(__file__).resolve().parents[1] / "server" / "static" / "icons"
SS = 4  # supersampling per axis


def _coverage(x: float, y: float, outline: bool) -> tuple[float, float]:
    """(background alpha, white alpha) at a point in unit coordinates 0..1."""
    r = 0.2  # corner radius
    dx = max(r - x, 0.0, x - (1 - r))
    dy = max(r - y, 0.0, y - (1 - r))
    inside = dx * dx + dy * dy <= r * r
    d = math.hypot(x - 0.5, y - 0.5)
    ring = 0.2 <= d <= 0.32
    dot = math.hypot(x - 0.72, y - 0.28) <= 0.09
    white = (ring or dot) and inside
    if outline:
        return 0.0, 1.0 if white else 0.0
    return (1.0 if inside else 0.0), (1.0 if white else 0.0)


def render(size: int, outline: bool = False) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            bg = wh = 0.0
            for sy in range(SS):
                for sx in range(SS):
                    b, w = _coverage((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size, outline)
                    bg += b
                    wh += w
            bg /= SS * SS
            wh /= SS * SS
            alpha = max(bg, wh)
            if alpha == 0:
                row += bytes(4)
                continue
            mix = wh / alpha
            rgb = [round(c * (1 - mix) + 255 * mix) for c in BRAND]
            row += bytes([*rgb, round(alpha * 255)])
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _png(w: int, h: int, raw: bytes) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    idat = zlib.compress(raw, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        (OUT / f"icon-{size}.png").write_bytes(render(size))
    (OUT / "color.png").write_bytes(render(192))
    (OUT / "outline.png").write_bytes(render(32, outline=True))


if __name__ == "__main__":
    main()
