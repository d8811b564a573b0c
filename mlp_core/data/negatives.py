"""Drawings that are none of the letters: the training data of the "none of these" class.

A model trained with these as one more class, ``NONE_LABEL``, can answer "this is not b,
d or f" instead of being sure of anything drawn. Four kinds, generated vectorized:

- glyphs: other letters, digits and shapes from a 5x7 bitmap font, through the same
  size/stroke augmentation and placement as the letters themselves;
- strokes: 1 to 3 straight lines anywhere, and scribbles (random walks);
- noise: every pixel inked with one probability per drawing, from 10% to 70%;
- blocks: an empty grid, a full one, a filled rectangle.

Glyphs named like one of the model's letters are left out (case-insensitively), so a
person's own new letter "e" never teaches the model that an e is "none of these".
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .synthetic import GRID, N_PIXELS, NONE_LABEL, _glyph_bank, _place, flip_pixels

__all__ = ["KIND_SHARES", "NONE_LABEL", "font_glyphs", "make_negatives"]

# 5 columns x 7 rows, rows separated by "/". No b, d or f (nor B, D, F: people may draw
# those for the letters). The held-out set (``heldout.py``) draws its non-letters with
# another method (strokes), and also has shapes that are not here.
_FONT: dict[str, str] = {
    "a": "...../...../.###./....#/.####/#...#/.####",
    "c": "...../...../.###./#..../#..../#...#/.###.",
    "e": "...../...../.###./#...#/#####/#..../.###.",
    "g": "...../.####/#...#/#...#/.####/....#/.###.",
    "h": "#..../#..../#.##./##..#/#...#/#...#/#...#",
    "i": "..#../...../.##../..#../..#../..#../.###.",
    "j": "...#./...../..##./...#./...#./#..#./.##..",
    "k": "#..../#..../#..#./#.#../##.../#.#../#..#.",
    "l": ".##../..#../..#../..#../..#../..#../.###.",
    "m": "...../...../##.#./#.#.#/#.#.#/#.#.#/#.#.#",
    "n": "...../...../#.##./##..#/#...#/#...#/#...#",
    "o": "...../...../.###./#...#/#...#/#...#/.###.",
    "p": "...../...../####./#...#/####./#..../#....",
    "q": "...../...../.####/#...#/.####/....#/....#",
    "r": "...../...../#.##./##..#/#..../#..../#....",
    "s": "...../...../.###./#..../.###./....#/####.",
    "t": ".#.../.#.../###../.#.../.#.../.#..#/..##.",
    "u": "...../...../#...#/#...#/#...#/#..##/.##.#",
    "v": "...../...../#...#/#...#/#...#/.#.#./..#..",
    "w": "...../...../#...#/#...#/#.#.#/#.#.#/.#.#.",
    "x": "...../...../#...#/.#.#./..#../.#.#./#...#",
    "y": "...../...../#...#/#...#/.####/....#/.###.",
    "z": "...../...../#####/...#./..#../.#.../#####",
    "A": ".###./#...#/#...#/#####/#...#/#...#/#...#",
    "E": "#####/#..../#..../####./#..../#..../#####",
    "H": "#...#/#...#/#...#/#####/#...#/#...#/#...#",
    "L": "#..../#..../#..../#..../#..../#..../#####",
    "P": "####./#...#/#...#/####./#..../#..../#....",
    "R": "####./#...#/#...#/####./#.#../#..#./#...#",
    "T": "#####/..#../..#../..#../..#../..#../..#..",
    "0": ".###./#...#/#..##/#.#.#/##..#/#...#/.###.",
    "1": "..#../.##../..#../..#../..#../..#../.###.",
    "2": ".###./#...#/....#/...#./..#../.#.../#####",
    "3": "#####/...#./..#../...#./....#/#...#/.###.",
    "4": "...#./..##./.#.#./#..#./#####/...#./...#.",
    "5": "#####/#..../####./....#/....#/#...#/.###.",
    "6": "..##./.#.../#..../####./#...#/#...#/.###.",
    "7": "#####/....#/...#./..#../.#.../.#.../.#...",
    "8": ".###./#...#/#...#/.###./#...#/#...#/.###.",
    "9": ".###./#...#/#...#/.####/....#/...#./.##..",
    "plus": "...../..#../..#../#####/..#../..#../.....",
    "square": "#####/#...#/#...#/#...#/#...#/#...#/#####",
    "triangle": "..#../..#../.#.#./.#.#./#...#/#...#/#####",
}

#: Share of each kind among the negatives (glyphs, strokes, scribbles, noise, blocks).
KIND_SHARES = {"glyphs": 0.55, "strokes": 0.15, "scribbles": 0.12, "noise": 0.10,
               "blocks": 0.08}


def font_glyphs(exclude: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """The font's glyphs as 10x10 canvases (top-left), without names in ``exclude``."""
    skip = {str(e).casefold() for e in exclude}
    out = {}
    for name, rows in _FONT.items():
        if name.casefold() in skip:
            continue
        canvas = np.zeros((GRID, GRID), dtype=np.uint8)
        glyph = np.array([[c == "#" for c in r] for r in rows.split("/")], dtype=np.uint8)
        canvas[: glyph.shape[0], : glyph.shape[1]] = glyph
        out[name] = canvas
    return out


def _glyphs(n: int, exclude: Iterable[str], noise_max: float,
            rng: np.random.Generator) -> np.ndarray:
    """Augmented font glyphs (never the bare top-left canvas), moved anywhere they fit,
    with up to ``noise_max`` of their pixels flipped."""
    glyphs = font_glyphs(exclude)
    names = sorted(glyphs)
    canvases, sizes, first, count = _glyph_bank(glyphs, names)
    k = rng.integers(0, len(names), n)
    pick = first[k] + 1 + (rng.random(n) * count[k]).astype(int)
    X = _place(canvases[pick], sizes[pick], rng).reshape(n, N_PIXELS).astype(np.float64)
    return flip_pixels(X, rng.uniform(0.0, noise_max, n), rng)


def _ink(points: np.ndarray) -> np.ndarray:
    """Rasterize points ``(n, m, 2)`` (row, column in cell units) onto n empty grids."""
    n, m, _ = points.shape
    cells = np.clip(np.floor(points).astype(int), 0, GRID - 1)
    X = np.zeros((n, N_PIXELS))
    X[np.repeat(np.arange(n), m), (cells[..., 0] * GRID + cells[..., 1]).ravel()] = 1.0
    return X


def _strokes(n: int, rng: np.random.Generator) -> np.ndarray:
    """1 to 3 straight lines between random points of the grid."""
    t = np.linspace(0.0, 1.0, 3 * GRID)[None, None, :, None]
    ends = rng.uniform(0, GRID, (n, 3, 2, 2))
    pts = ends[:, :, 0, None, :] + t * (ends[:, :, 1, None, :] - ends[:, :, 0, None, :])
    used = np.arange(3)[None, :] < rng.integers(1, 4, n)[:, None]
    # An unused line repeats the first one, which inks nothing new.
    pts = np.where(used[:, :, None, None], pts, pts[:, :1])
    return _ink(pts.reshape(n, -1, 2))


def _scribbles(n: int, rng: np.random.Generator, steps: int = 40) -> np.ndarray:
    """Random walks with momentum, 8 to 40 steps long, from a random start."""
    turn = rng.normal(0.0, 0.8, (n, steps)).cumsum(axis=1)
    step = np.stack([np.sin(turn), np.cos(turn)], axis=-1) * 0.8
    length = rng.integers(8, steps + 1, n)
    step[np.arange(steps)[None, :] >= length[:, None]] = 0.0
    pts = rng.uniform(1, GRID - 1, (n, 1, 2)) + step.cumsum(axis=1)
    # Reflect off the edges rather than pile up along them.
    pts = np.abs(pts) % (2 * GRID)
    pts = np.where(pts >= GRID, 2 * GRID - pts - 1e-9, pts)
    return _ink(pts)


def _noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Speckle: each pixel inked with one probability per drawing, from 10% to 70% (the
    densities of noisy letters; emptier and fuller grids come from ``_blocks``)."""
    return (rng.random((n, N_PIXELS)) < rng.uniform(0.1, 0.7, (n, 1))).astype(np.float64)


def _blocks(n: int, rng: np.random.Generator) -> np.ndarray:
    """Empty grids, full grids and filled rectangles of at least 3x3 cells."""
    kind = rng.integers(0, 3, n)
    top, left = rng.integers(0, GRID - 2, (2, n))
    bottom = top + 3 + (rng.random(n) * (GRID - top - 2)).astype(int)
    right = left + 3 + (rng.random(n) * (GRID - left - 2)).astype(int)
    r, c = np.arange(GRID)[None, :, None], np.arange(GRID)[None, None, :]
    rect = ((r >= top[:, None, None]) & (r < bottom[:, None, None])
            & (c >= left[:, None, None]) & (c < right[:, None, None]))
    X = np.where(kind[:, None] == 0, 0.0, 1.0) * np.ones((n, N_PIXELS))
    return np.where(kind[:, None] == 2, rect.reshape(n, N_PIXELS), X)


_KINDS = {"glyphs": None, "strokes": _strokes, "scribbles": _scribbles, "noise": _noise,
          "blocks": _blocks}


def make_negatives(n: int, *, exclude: Iterable[str] = (), noise_max: float = 0.05,
                   seed: int = 0) -> np.ndarray:
    """``n`` drawings that are none of the letters, as float64 rows of 100 zeros and ones.

    ``exclude`` names the model's letters: glyphs of the same name are left out.
    ``noise_max`` caps the pixel-flip rate of the glyphs.
    """
    rng = np.random.default_rng(seed)
    shares = np.array(list(KIND_SHARES.values()))
    counts = np.floor(shares * n).astype(int)
    counts[0] += n - counts.sum()
    parts = [_glyphs(counts[0], list(exclude), noise_max, rng)]
    parts += [_KINDS[kind](int(k), rng) for kind, k in zip(list(KIND_SHARES)[1:],
                                                             counts[1:], strict=True)]
    X = np.vstack(parts)
    return X[rng.permutation(n)]
