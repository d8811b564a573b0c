"""Synthetic letter data: 10x10 templates, augmentation, pixel-flip noise, stratified split.

Every function here is pure given its ``seed``: the same arguments give the same arrays.
Work is vectorized over samples; the only Python loops run over classes and the handful
of size/stroke variants of each template.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import product
from typing import Any

import numpy as np

from ..limits import GRID, N_PIXELS, NONE_LABEL
from ..messages import coded, within
from .drawing import read_pattern

# Bold (2-cell) strokes, b left-aligned and d right-aligned as in a line of text: the
# templates differ in 45 to 61 cells, so even a 30% pixel-flip rate leaves each letter
# recoverable (nearest-template accuracy 99.7%). Thin variants come from augmentation.
_TEMPLATE_ROWS: dict[str, tuple[str, ...]] = {
    "b": (
        "##........",
        "##........",
        "##........",
        "##........",
        "######....",
        "#######...",
        "##...##...",
        "##...##...",
        "#######...",
        "######....",
    ),
    "d": (
        "........##",
        "........##",
        "........##",
        "........##",
        "....######",
        "...#######",
        "...##...##",
        "...##...##",
        "...#######",
        "....######",
    ),
    "f": (
        "...#####..",
        "..######..",
        "..##......",
        "..##......",
        "######....",
        "######....",
        "..##......",
        "..##......",
        "..##......",
        "..##......",
    ),
}


#: Letter heights (in cells) that augmentation rescales a template to.
AUGMENT_HEIGHTS = (5, 6, 7, 8, 9, 10)
#: Width factors on top of the template's own aspect (people draw narrow and wide).
AUGMENT_STRETCH = (0.75, 1.0, 1.3)
#: Column shift per row of slanted variants (0.2: one cell every five rows).
AUGMENT_SLANT = (-0.2, 0.2)
#: Smallest rescaled height that still gets a bold variant.
MIN_BOLD_HEIGHT = 8


def parse_template(rows: Sequence[str]) -> np.ndarray:
    """Turn 10 strings of ``#`` (ink) and ``.`` (blank) into a 10x10 0/1 uint8 array."""
    if len(rows) != GRID or any(len(r) != GRID for r in rows):
        raise ValueError(f"a template needs {GRID} rows of {GRID} characters")
    bad = {c for r in rows for c in r} - {"#", "."}
    if bad:
        raise ValueError(f"template characters must be '#' or '.', got {sorted(bad)}")
    return np.array([[c == "#" for c in r] for r in rows], dtype=np.uint8)


def default_templates() -> dict[str, np.ndarray]:
    """A fresh copy of the built-in templates for b, d and f."""
    return {k: parse_template(v) for k, v in _TEMPLATE_ROWS.items()}


def check_template(letter: str, pattern: Any, where: str | None = "templates") -> np.ndarray:
    """A template for the class ``letter`` as a 10x10 uint8 array: 100 values or 10 rows
    of 10, each 0 or 1, or the same as text (``drawing.read_pattern``). A bad pattern is
    named ``{where}.{letter}`` (unnamed when ``where`` is None)."""
    if not isinstance(letter, str) or not letter.strip() or len(letter) > 32:
        raise coded(ValueError, "letter_name")
    if letter == NONE_LABEL:
        raise coded(ValueError, "letter_reserved", name=NONE_LABEL)
    try:
        arr = read_pattern(pattern).reshape(GRID, GRID)
    except ValueError as e:
        raise within(ValueError, e, where and f"{where}.{letter}") from None
    if arr.sum() < 3:
        raise coded(ValueError, "template_cells", letter=letter)
    return arr.astype(np.uint8)


# --- augmentation building blocks (single glyphs; tiny, run once per variant) ---------


def _crop(img: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(img.any(axis=1))
    cols = np.flatnonzero(img.any(axis=0))
    if rows.size == 0:
        return img[:0, :0]
    return img[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _overlap_matrix(n_out: int, n_in: int) -> np.ndarray:
    """Row i holds the fraction of output cell i covered by each input cell."""
    edges_out = np.linspace(0, n_in, n_out + 1)
    lo = np.maximum(edges_out[:-1, None], np.arange(n_in)[None, :])
    hi = np.minimum(edges_out[1:, None], np.arange(1, n_in + 1)[None, :])
    return np.clip(hi - lo, 0, None) * (n_out / n_in)


def _resize(glyph: np.ndarray, height: int, width: int) -> np.ndarray:
    """Area-weighted resize of a binary glyph; a cell is inked if >= 30% of it is ink."""
    cover = _overlap_matrix(height, glyph.shape[0]) @ glyph @ _overlap_matrix(
        width, glyph.shape[1]
    ).T
    return (cover >= 0.3).astype(np.uint8)


def _thicken(glyph: np.ndarray) -> np.ndarray:
    """Paint with a 2x2 brush: every stroke gains one cell to the right and below."""
    out = np.zeros((glyph.shape[0] + 1, glyph.shape[1] + 1), dtype=np.uint8)
    for dy in (0, 1):
        for dx in (0, 1):
            out[dy : dy + glyph.shape[0], dx : dx + glyph.shape[1]] |= glyph
    return out


def _thin(glyph: np.ndarray) -> np.ndarray:
    """Erode with a 2x2 brush (the inverse of ``_thicken``): 2-cell strokes become 1 cell."""
    g = glyph
    return g[:-1, :-1] & g[1:, :-1] & g[:-1, 1:] & g[1:, 1:]


def _has_thick_strokes(glyph: np.ndarray) -> bool:
    return bool((glyph[:-1, :-1] & glyph[1:, :-1] & glyph[:-1, 1:] & glyph[1:, 1:]).any())


def _slant(glyph: np.ndarray, per_row: float) -> np.ndarray:
    """Shift each row sideways by ``per_row`` cells per row from the middle (italics)."""
    h, w = glyph.shape
    shifts = np.round(per_row * (np.arange(h) - (h - 1) / 2)).astype(int)
    shifts -= shifts.min()
    out = np.zeros((h, w + shifts.max()), dtype=np.uint8)
    for r in range(h):
        out[r, shifts[r]: shifts[r] + w] = glyph[r]
    return out


def glyph_variants(template: np.ndarray) -> list[np.ndarray]:
    """Cropped size/width/slant/stroke variants of one template, each small enough for
    the grid."""
    base = _crop(np.asarray(template, dtype=np.uint8))
    # A bold template is also drawn thin before resizing: people draw small letters
    # with thin strokes, and eroding a small bold glyph breaks its strokes apart.
    bases = [base, _crop(_thin(base))] if _has_thick_strokes(base) else [base]
    variants = []
    for height, stretch, b in product(AUGMENT_HEIGHTS, AUGMENT_STRETCH, bases):
        h, w = b.shape
        width = max(2, min(GRID, round(w * height / h * stretch)))
        sized = _crop(_resize(b, height, width))
        # Bold glyphs get a thin twin, thin ones a bold twin (only when tall enough:
        # bold small letters fill their own bowls, and people draw bold letters big).
        if _has_thick_strokes(sized):
            twin = _crop(_thin(sized))
        elif sized.shape[0] >= MIN_BOLD_HEIGHT:
            twin = _thicken(sized)
        else:
            twin = sized
        for g in (sized, twin):
            variants += [g, *(_crop(_slant(g, s)) for s in AUGMENT_SLANT)]
    variants = [g for g in variants
                if g.sum() >= 3 and g.shape[0] <= GRID and g.shape[1] <= GRID]
    # Identical variants (e.g. 'thin' of an already thin glyph) would skew sampling.
    unique = {g.tobytes() + bytes(g.shape): g for g in variants}
    return list(unique.values())


# --- vectorized sample generation ------------------------------------------------------


def _place(glyphs: np.ndarray, sizes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move each top-left-aligned 10x10 glyph of size ``sizes[i]`` to a random spot
    where it fits (a full-size glyph stays where it is)."""
    n = glyphs.shape[0]
    offset = rng.integers(0, GRID - sizes + 1)  # (n, 2): row and column shift
    r = np.arange(GRID)[None, :, None] - offset[:, 0, None, None]
    c = np.arange(GRID)[None, None, :] - offset[:, 1, None, None]
    inside = (r >= 0) & (c >= 0)
    idx = np.arange(n)[:, None, None]
    return np.where(inside, glyphs[idx, np.clip(r, 0, None), np.clip(c, 0, None)], 0)


def flip_pixels(X: np.ndarray, rates: np.ndarray | float,
                rng: np.random.Generator) -> np.ndarray:
    """Flip each pixel of each row of ``X`` independently with that row's probability."""
    rates = np.broadcast_to(np.asarray(rates, dtype=float), (X.shape[0],))
    flips = rng.random(X.shape) < rates[:, None]
    return np.where(flips, 1 - X, X).astype(X.dtype)


def _glyph_bank(templates: Mapping[str, np.ndarray], letters: list[str]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All glyphs as top-left-aligned 10x10 canvases, with their sizes.

    For class k, row ``first[k]`` is the exact template (size 10x10, so it is never
    moved) and the next ``count[k]`` rows are its size/stroke variants.
    Returns ``(canvases, sizes, first, count)``.
    """
    banks = [_template_bank(check_template(letter, templates[letter]).tobytes())
             for letter in letters]
    rows = np.array([len(canvases) for canvases, _ in banks])
    first = np.concatenate([[0], np.cumsum(rows)[:-1]])
    return (np.concatenate([c for c, _ in banks]), np.concatenate([s for _, s in banks]),
            first, rows - 1)


def prepare_glyphs(templates: Mapping[str, np.ndarray]) -> Iterator[str]:
    """Make the glyph variants of each of ``templates`` (letter -> 10x10 pattern) ahead
    of the data sets that draw them, one template per step; yields its letter."""
    for letter, template in templates.items():
        _template_bank(check_template(letter, template).tobytes())
        yield letter


@lru_cache(maxsize=256)
def _template_bank(exact: bytes) -> tuple[np.ndarray, np.ndarray]:
    """One 10x10 template's rows of ``_glyph_bank``: itself, then ``glyph_variants`` of
    it, each top-left on a 10x10 canvas, and their sizes. Read-only and kept: a template
    always gives the same rows, and making them is most of drawing a small data set
    (0.7 s in Pyodide for the default letters and non-letters, each training and
    fine-tuning)."""
    template = np.frombuffer(exact, dtype=np.uint8).reshape(GRID, GRID)
    variants = glyph_variants(template)
    canvases = np.zeros((1 + len(variants), GRID, GRID), dtype=np.uint8)
    canvases[0] = template
    for canvas, g in zip(canvases[1:], variants, strict=True):
        canvas[: g.shape[0], : g.shape[1]] = g
    sizes = np.array([(GRID, GRID), *(g.shape for g in variants)])
    canvases.flags.writeable = sizes.flags.writeable = False
    return canvases, sizes


def make_dataset(
    n_samples: int,
    *,
    templates: Mapping[str, np.ndarray] | None = None,
    clean_fraction: float = 0.1,
    noise_range: tuple[float, float] = (0.01, 0.30),
    augment: float = 0.0,
    augment_noise_max: float = 0.05,
    seed: int = 42,
) -> tuple[np.ndarray, np.ndarray]:
    """Balanced synthetic dataset of flattened 10x10 letters.

    Each sample picks a class (classes are balanced). A share ``augment`` (0 to 1) of
    samples is a random size/stroke variant of the template placed anywhere it fits;
    the rest are the exact template. ``clean_fraction`` of samples stay noise-free; the
    rest flip each pixel with a rate drawn uniformly from ``noise_range``, capped at
    ``augment_noise_max`` for augmented samples (people's drawings are off-centre, small
    or bold, but not 30% speckle).

    Returns ``X`` of shape (n_samples, 100), float64 0/1, and ``y``, an array of labels.
    """
    templates = default_templates() if templates is None else dict(templates)
    if not templates or n_samples < len(templates):
        raise ValueError(f"n_samples must be at least the number of classes ({len(templates)})")
    lo, hi = noise_range
    if not (0.0 <= lo <= hi <= 0.5):
        raise ValueError("noise_range must satisfy 0 <= low <= high <= 0.5")
    for name, value in (("clean_fraction", clean_fraction), ("augment", augment),
                        ("augment_noise_max", augment_noise_max)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    rng = np.random.default_rng(seed)
    letters = sorted(templates)
    canvases, sizes, first, count = _glyph_bank(templates, letters)

    labels = rng.permutation(np.arange(n_samples) % len(letters))
    augmented = rng.random(n_samples) < augment
    variant = 1 + (rng.random(n_samples) * count[labels]).astype(int)
    pick = first[labels] + np.where(augmented, variant, 0)
    X = _place(canvases[pick], sizes[pick], rng).reshape(n_samples, N_PIXELS)

    noisy = rng.random(n_samples) >= clean_fraction
    rates = np.where(noisy, rng.uniform(lo, hi, n_samples), 0.0)
    rates = np.where(augmented, np.minimum(rates, augment_noise_max), rates)
    return flip_pixels(X.astype(np.float64), rates, rng), np.array(letters)[labels]


def render(pattern: np.ndarray) -> str:
    """ASCII picture of a 100-pixel pattern (``#`` for ink), for CLIs and test messages."""
    grid = np.asarray(pattern).reshape(GRID, GRID)
    return "\n".join("".join("#" if v else "." for v in row) for row in grid)
