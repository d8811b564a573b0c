"""Render letters and other characters from Debian font packages into 10x10 grids.

    python scripts/render_fonts.py --install     # apt-get install the packages (root/sudo)
    python scripts/render_fonts.py               # render -> mlp_core/data/fonts.npz

Only the packages in ``PACKAGES`` are used, each through its own file list (``dpkg -L``),
never ``fc-list``, which would also show fonts from other packages (those judge the model
and must stay out of its data). Build-time only: Pillow renders, fontTools reads the font
tables; neither the page nor ``pip install mlp_core`` needs them or the fonts.

Each glyph is rendered large, slanted or not, cropped to its ink, fitted to a box of
``SIZES`` cells keeping its aspect ratio (cell coverage by area), and thresholded at each
ink level of ``INK``: a low level makes bold strokes, a high one thin strokes. The grids
are stored centered; training moves them (``mlp_core/data/fonts.py``).

Faces are grouped in families: the first word of the typographic family name
("Liberation Sans" and "Liberation Serif" of fonts-liberation and fonts-liberation2 are
one family, "Gentium Plus" and "Gentium Book" another). Families, not packages or faces,
are the unit of the split into training, validation and evaluation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from fontTools.ttLib import TTCollection, TTFont
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mlp_core.data.fonts import CHARACTERS, STYLES, Fonts  # noqa: E402

OUT = ROOT / "mlp_core" / "data" / "fonts.npz"
#: Each package's copyright and licence (Debian's copyright file), for the site's notices.
LICENSES = ROOT / "vendor" / "licenses" / "fonts-copyright.txt"

#: The packages whose fonts may make training data, and their style: "handwriting" for
#: faces that imitate a pen or a child's hand, "display" for decorative faces (Aenigma's
#: hundreds of families among them), "text" for the rest (sans, serif, mono).
PACKAGES = {
    "fonts-adf-accanthis": "text", "fonts-adf-berenis": "text", "fonts-adf-oldania": "text",
    "fonts-adf-universalis": "text", "fonts-adf-verana": "text", "fonts-aenigma": "display",
    "fonts-agave": "text", "fonts-averia-gwf": "text", "fonts-averia-sans-gwf": "text",
    "fonts-blankenburg": "display", "fonts-bwht": "handwriting", "fonts-cabin": "text",
    "fonts-cantarell": "text", "fonts-comfortaa": "text", "fonts-crosextra-caladea": "text",
    "fonts-dancingscript": "handwriting", "fonts-dejavu-core": "text",
    "fonts-dkg-handwriting": "handwriting", "fonts-dosis": "text",
    "fonts-ecolier-lignes-court": "handwriting", "fonts-f500": "display",
    "fonts-fantasque-sans": "text", "fonts-femkeklaver": "handwriting",
    "fonts-gfs-didot": "text", "fonts-go": "text", "fonts-goudybookletter": "text",
    "fonts-hack": "text", "fonts-humor-sans": "handwriting", "fonts-inconsolata": "text",
    "fonts-inter": "text", "fonts-isabella": "handwriting", "fonts-jetbrains-mono": "text",
    "fonts-junicode": "text", "fonts-jura": "text", "fonts-kristi": "handwriting",
    "fonts-league-spartan": "text", "fonts-leckerli-one": "handwriting",
    "fonts-liberation": "text", "fonts-liberation2": "text", "fonts-linuxlibertine": "text",
    "fonts-noto-core": "text", "fonts-ocr-a": "text", "fonts-ocr-b": "text",
    "fonts-oldstandard": "text", "fonts-open-sans": "text", "fonts-quicksand": "text",
    "fonts-radisnoir": "display", "fonts-roboto-unhinted": "text", "fonts-sil-andika": "text",
    "fonts-sil-gentium": "text", "fonts-sil-gentiumplus": "text",
    "fonts-sjfonts": "handwriting", "fonts-staypuft": "display", "fonts-texgyre": "text",
    "fonts-tomsontalks": "handwriting", "fonts-vollkorn": "text",
}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
RENDER_PX = 96  # font size of the large rendering
SLANTS = (0.0, 0.25)  # horizontal shear per unit of height (upright faces get slanted too)
SIZES = (10, 8)  # the longer side of the glyph, in cells
INK = (0.25, 0.5)  # least share of a cell covered for it to be inked
#: At most this many distinct grids per family and character (a random choice, seeded):
#: keeps large families (Noto, hundreds of faces) from filling the file.
MAX_PER_FAMILY = 12
#: ... and at most about this many per package and character, shared among its families
#: (at least 2 each): Aenigma alone has hundreds of one-face families.
MAX_PER_PACKAGE = 400
#: Share of families (per style) held out for validation and for evaluation.
VALIDATION_SHARE, EVALUATION_SHARE = 0.15, 0.2


def package_files(package: str) -> list[str]:
    """The font files a package installed (``dpkg -L``)."""
    listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True,
                             check=True).stdout.split("\n")
    return sorted(p for p in listing if p.lower().endswith(FONT_SUFFIXES) and os.path.isfile(p))


def faces(path: str) -> list[tuple[int, str, set[int]]]:
    """``(index, family, code points)`` of each face in a font file."""
    fonts = TTCollection(path).fonts if path.lower().endswith(".ttc") else [TTFont(path, lazy=True)]
    out = []
    for index, font in enumerate(fonts):
        names = font["name"]
        family = names.getDebugName(16) or names.getDebugName(1) or Path(path).stem
        cmap = font.getBestCmap() or {}
        out.append((index, family, set(cmap)))
    return out


def _version(package: str) -> str:
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True,
                          text=True, check=True).stdout


def family_key(family: str) -> str:
    """The unit of the split: the family name's first word, case-folded."""
    return family.split()[0].casefold() if family.split() else family.casefold()


def render(path: str, index: int, char: str) -> list[tuple[int, np.ndarray]]:
    """The glyph's grids with the index of their ink level: one per slant, size and ink
    level (fewer if some are nearly empty)."""
    font = ImageFont.truetype(path, RENDER_PX, index=index)
    left, top, right, bottom = font.getbbox(char)
    if right <= left or bottom <= top:
        return []
    pad = RENDER_PX // 2
    image = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad))
    ImageDraw.Draw(image).text((pad - left, pad - top), char, font=font, fill=255)
    grids = []
    for slant in SLANTS:
        shown = image if not slant else image.transform(
            image.size, Image.Transform.AFFINE, (1, slant, -slant * image.size[1] / 2, 0, 1, 0),
            resample=Image.Resampling.BILINEAR)
        box = shown.getbbox()
        if box is None:
            continue
        ink = shown.crop(box)
        for size in SIZES:
            scale = size / max(ink.size)
            w, h = max(1, round(ink.size[0] * scale)), max(1, round(ink.size[1] * scale))
            cover = np.asarray(ink.resize((w, h), Image.Resampling.BOX), dtype=np.float64) / 255
            for k, level in enumerate(INK):
                glyph = cover >= level
                if glyph.sum() < 2:
                    continue
                grid = np.zeros((10, 10), dtype=bool)
                r, c = (10 - h) // 2, (10 - w) // 2
                grid[r:r + h, c:c + w] = glyph
                grids.append((k, grid))
    return grids


def render_face(job: tuple[str, str, int, str]
                ) -> tuple[str, str, str, dict[str, list[tuple[int, bytes]]]]:
    """One face's characters as (ink level, packed grid)."""
    package, path, index, family = job
    out = {}
    for char in CHARACTERS:
        out[char] = [(k, np.packbits(g.ravel()).tobytes()) for k, g in render(path, index, char)]
    return package, family, path, out


def collect() -> list[tuple[str, str, int, str]]:
    """Every face to render: ``(package, file, index, family)``; faces without all of
    a-z (most Noto fonts for other scripts) are skipped."""
    jobs, needed = [], {ord(c) for c in "abcdefghijklmnopqrstuvwxyz"}
    for package in PACKAGES:
        for path in package_files(package):
            for index, family, points in faces(path):
                if needed <= points:
                    jobs.append((package, path, index, family))
    return jobs


def split_families(families: dict[str, str], seed: int = 2026) -> dict[str, str]:
    """family -> "train" | "validation" | "evaluation", a seeded choice within each style
    (so that each role has text, display and handwriting-style families)."""
    roles = {}
    for style in STYLES:
        names = sorted(f for f, s in families.items() if s == style)
        order = np.random.default_rng(seed).permutation(len(names))
        n_val = round(len(names) * VALIDATION_SHARE)
        n_eval = round(len(names) * EVALUATION_SHARE)
        for rank, i in enumerate(order):
            roles[names[i]] = ("validation" if rank < n_val else
                               "evaluation" if rank < n_val + n_eval else "train")
    return roles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true", help="apt-get install the packages")
    parser.add_argument("-o", "--output", default=str(OUT))
    args = parser.parse_args()
    if args.install:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        *PACKAGES], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return

    LICENSES.write_text("".join(
        f"{'-' * 78}\n{package} {_version(package)}\n{'-' * 78}\n"
        + Path(f"/usr/share/doc/{package}/copyright").read_text(encoding="utf-8", errors="replace")
        for package in sorted(PACKAGES)), encoding="utf-8")
    jobs = collect()
    print(f"{len(jobs)} faces in {len({j[0] for j in jobs})} packages", file=sys.stderr)
    grids: dict[tuple[str, str], set[tuple[int, bytes]]] = defaultdict(set)
    style_of: dict[str, str] = {}
    packages_of: dict[str, set[str]] = defaultdict(set)
    with ProcessPoolExecutor() as pool:
        for package, family, _path, chars in pool.map(render_face, jobs, chunksize=4):
            key = family_key(family)
            # A family is handwriting-style if any of its packages is (none mixes both).
            style_of[key] = max(style_of.get(key, "text"), PACKAGES[package],
                                key=STYLES.index)
            packages_of[key].add(package)
            for char, packed in chars.items():
                grids[key, char].update(packed)

    rng = np.random.default_rng(2026)
    families = sorted(style_of)
    roles = split_families(style_of)
    rows, labels, family_index, ink = [], [], [], []
    in_package = defaultdict(int)
    for key in families:
        in_package[min(packages_of[key])] += 1
    for (key, char), found in sorted(grids.items()):
        found = sorted(found)
        cap = min(MAX_PER_FAMILY, max(2, MAX_PER_PACKAGE // in_package[min(packages_of[key])]))
        if len(found) > cap:
            found = [found[i] for i in sorted(rng.choice(len(found), cap, replace=False))]
        rows += [g for _, g in found]
        ink += [k for k, _ in found]
        labels += [CHARACTERS.index(char)] * len(found)
        family_index += [families.index(key)] * len(found)
    meta = {"characters": CHARACTERS, "families": families,
            "styles": [style_of[f] for f in families], "roles": [roles[f] for f in families],
            "packages": [sorted(packages_of[f]) for f in families],
            "render": {"px": RENDER_PX, "slants": SLANTS, "sizes": SIZES, "ink": INK,
                       "max_per_family": MAX_PER_FAMILY}}
    packed = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), -1)
    np.savez_compressed(args.output, grids=packed, labels=np.array(labels, dtype=np.uint8),
                        families=np.array(family_index, dtype=np.uint16),
                        ink=np.array(ink, dtype=np.uint8),
                        meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    digest = hashlib.sha256(Path(args.output).read_bytes()).hexdigest()[:16]
    data = Fonts.load(Path(args.output))
    print(f"wrote {args.output}: {len(rows)} grids, {len(families)} families "
          f"({Path(args.output).stat().st_size / 1e3:.0f} kB, sha256 {digest}); "
          f"{data.summary()}", file=sys.stderr)


if __name__ == "__main__":
    main()
