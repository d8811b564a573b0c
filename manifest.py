"""The installable app's identity: its web app manifest and icons, written by the build.

The icon is the app itself: the template "b" on the 10 x 10 drawing grid, in the page's
accent colour. Colours come from web/app.css (``--accent``, ``--bg``), names from
``NAME``/``SHORT_NAME``; the build writes every file from these, so nothing is stated
twice. PNGs are drawn with NumPy and written with zlib (the format needs ~15 lines; an
imaging library would be a dependency for squares).
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path

import numpy as np

from mlp_core.data.synthetic import default_templates

NAME = "Letter recognizer"
SHORT_NAME = "Letters"
DESCRIPTION = ("Draw a letter; a neural network running in your browser recognizes it. "
               "Train your own, offline.")
PNG_SIZES = (192, 512)
#: Share of an icon's side the grid takes: "any" icons fill most of it; maskable ones
#: keep it inside the safe zone (the central circle of 80% diameter).
GRID_SHARE = {"any": 0.78, "maskable": 0.56}
CORNER = 0.18  # rounded corners of "any" icons, as a share of the side


def colours(css: str) -> dict[str, str]:
    """The colours the app's identity uses, from the ``:root`` custom properties of the
    page's stylesheet, each ``light-dark(light, dark)``: light ones, and ``theme-dark``."""
    found = {name: (light, dark) for name, light, dark in re.findall(
        r"--([a-z0-9-]+):\s*light-dark\((#[0-9a-fA-F]{3,6}),\s*(#[0-9a-fA-F]{3,6})\)",
        css.split("}", 1)[0])}
    return {"theme": found["accent"][0], "theme-dark": found["card"][1],
            "background": found["bg"][0], "ink": found["accent-ink"][0]}


def _cells() -> np.ndarray:
    """The icon's 10 x 10 cells: the template "b", moved one column right (centred)."""
    return np.roll(np.asarray(default_templates()["b"], dtype=bool).reshape(10, 10), 1, axis=1)


def _hex_rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)], dtype=np.uint8)


def icon_svg(c: dict[str, str]) -> str:
    """The scalable icon (and favicon)."""
    cells = _cells()
    size, share = 100, GRID_SHARE["any"]
    pitch = size * share / 10
    start = (size - size * share) / 2 + pitch * 0.08
    rects = "".join(
        f'<rect x="{start + x * pitch:.2f}" y="{start + y * pitch:.2f}" '
        f'width="{pitch * 0.84:.2f}" height="{pitch * 0.84:.2f}" rx="{pitch * 0.15:.2f}"'
        + ("" if cells[y, x] else ' opacity=".22"') + "/>"
        for y, x in np.ndindex(10, 10))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">'
            f'<rect width="{size}" height="{size}" rx="{size * CORNER}" fill="{c["theme"]}"/>'
            f'<g fill="{c["ink"]}">{rects}</g></svg>\n')


def icon_rgba(size: int, purpose: str, c: dict[str, str]) -> np.ndarray:
    """The icon as ``size`` x ``size`` RGBA pixels; ``purpose`` "any" or "maskable"
    (full-bleed background, grid inside the safe zone)."""
    share = GRID_SHARE[purpose]
    centre = (np.arange(size) + 0.5) / size  # pixel centres in [0, 1]
    y, x = np.meshgrid(centre, centre, indexing="ij")
    gx, gy = (x - (1 - share) / 2) / share * 10, (y - (1 - share) / 2) / share * 10
    inside = (gx >= 0) & (gx < 10) & (gy >= 0) & (gy < 10)
    col, row = np.clip(gx.astype(int), 0, 9), np.clip(gy.astype(int), 0, 9)
    in_cell = (np.abs(gx % 1 - 0.5) < 0.42) & (np.abs(gy % 1 - 0.5) < 0.42) & inside
    ink = np.where(_cells()[row, col], 1.0, 0.22) * in_cell  # share of the ink colour
    rgb = (_hex_rgb(c["theme"]) * (1 - ink[..., None]) + _hex_rgb(c["ink"]) * ink[..., None])
    alpha = np.full((size, size), 255.0)
    if purpose == "any":  # rounded corners: transparent outside the quarter circles
        r = CORNER
        dx = np.maximum(np.maximum(r - x, x - (1 - r)), 0)
        dy = np.maximum(np.maximum(r - y, y - (1 - r)), 0)
        alpha[np.hypot(dx, dy) > r] = 0
    return np.dstack([rgb, alpha]).round().astype(np.uint8)


def png(rgba: np.ndarray) -> bytes:
    """``rgba`` (height x width x 4, uint8) as a PNG file."""
    h, w, _ = rgba.shape
    rows = np.hstack([np.zeros((h, 1), np.uint8), rgba.reshape(h, w * 4)])  # filter 0

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9)) + chunk(b"IEND", b""))


def web_manifest(c: dict[str, str]) -> dict:
    """The web app manifest. Every URL is relative to the manifest, so the app installs
    and stays in scope under any path (a GitHub Pages project site: /<repo>/)."""
    icons = [{"src": "icons/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}]
    icons += [{"src": f"icons/{purpose}-{size}.png", "sizes": f"{size}x{size}",
               "type": "image/png", "purpose": purpose}
              for purpose in GRID_SHARE for size in PNG_SIZES]
    return {"name": NAME, "short_name": SHORT_NAME, "description": DESCRIPTION,
            "id": "./", "start_url": "./", "scope": "./", "display": "standalone",
            "theme_color": c["theme"], "background_color": c["background"], "icons": icons}


def write(dist: Path) -> None:
    """Write manifest.webmanifest and icons/ into the built site ``dist``, and the theme
    colour into its index.html."""
    c = colours((dist / "app.css").read_text())
    (dist / "icons").mkdir(exist_ok=True)
    (dist / "icons" / "icon.svg").write_text(icon_svg(c))
    for purpose in GRID_SHARE:
        for size in PNG_SIZES:
            (dist / "icons" / f"{purpose}-{size}.png").write_bytes(
                png(icon_rgba(size, purpose, c)))
    (dist / "manifest.webmanifest").write_text(json.dumps(web_manifest(c), indent=1) + "\n")
    index = dist / "index.html"
    index.write_text(index.read_text().replace("__THEME_COLOUR__", c["theme"]).replace(
        "__THEME_COLOUR_DARK__", c["theme-dark"]))
