"""Centering: move a drawing's inked bounding box to the middle of the grid.

A multilayer perceptron has no notion of "the same shape, two cells to the left": every
position must be learned separately. Centering every drawing, in training and in
prediction, takes position out of the problem, as MNIST did for its digits (measured on
the development held-out set, ``heldout_set(seed=7)``: letters accepted and read
correctly 92-93% -> 95-99%, non-letters rejected 82-87% -> 87%). A noisy drawing, whose
ink reaches every edge, is left where it is. Drawings are only moved, never resized.

Two forms of one function: ``center`` for batches (vectorized, for training) and
``center_bits`` for one drawing as a string of 100 "0"/"1" (pure Python string
operations, for the latency path, where each NumPy call costs ~10-20 us in a browser
worker). A test checks that they agree on thousands of drawings.
"""

from __future__ import annotations

import numpy as np

from ..limits import GRID, N_PIXELS

#: The preprocessing names a model can record (``"none"``: the drawing as drawn).
PREPROCESSING = ("none", "center")


def _shift(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """How far to move a span ``first..last`` so it sits in the middle (left-leaning)."""
    return (GRID - (last - first + 1)) // 2 - first


def center(X: np.ndarray) -> np.ndarray:
    """Every row of ``X`` (n, 100) with its ink's bounding box moved to the middle of
    the grid; empty rows stay empty. Returns a new float64 array."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    g = X.reshape(n, GRID, GRID)
    rows, cols = g.any(axis=2), g.any(axis=1)
    dr = _shift(rows.argmax(axis=1), GRID - 1 - rows[:, ::-1].argmax(axis=1))
    dc = _shift(cols.argmax(axis=1), GRID - 1 - cols[:, ::-1].argmax(axis=1))
    dr, dc = np.where(rows.any(axis=1), dr, 0), np.where(rows.any(axis=1), dc, 0)
    r = np.arange(GRID)[None, :, None] - dr[:, None, None]
    c = np.arange(GRID)[None, None, :] - dc[:, None, None]
    inside = (r >= 0) & (r < GRID) & (c >= 0) & (c < GRID)
    moved = g[np.arange(n)[:, None, None], np.clip(r, 0, GRID - 1), np.clip(c, 0, GRID - 1)]
    return np.where(inside, moved, 0.0).reshape(n, N_PIXELS)


_BLANK = "0" * GRID


def center_bits(bits: str) -> str:
    """``center`` for one drawing given as 100 characters "0"/"1" (row-major); the
    caller checks the string (``service.parse_bits``)."""
    rows = [bits[i:i + GRID] for i in range(0, N_PIXELS, GRID)]
    inked = [i for i, r in enumerate(rows) if "1" in r]
    if not inked:
        return bits
    mask = 0
    for r in rows:
        mask |= int(r, 2)  # column c is bit GRID - 1 - c
    left, right = GRID - mask.bit_length(), GRID - (mask & -mask).bit_length()
    dr = (GRID - (inked[-1] - inked[0] + 1)) // 2 - inked[0]
    dc = (GRID - (right - left + 1)) // 2 - left
    if dc > 0:
        rows = ["0" * dc + r[:GRID - dc] for r in rows]
    elif dc < 0:
        rows = [r[-dc:] + "0" * -dc for r in rows]
    if dr > 0:
        rows = [_BLANK] * dr + rows[:GRID - dr]
    elif dr < 0:
        rows = rows[-dr:] + [_BLANK] * -dr
    return "".join(rows)
