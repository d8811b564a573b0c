"""A held-out set for "does it know when it does not know": drawn, never trained on.

Letters and non-letters are drawn the way a person draws on the grid: pen strokes
(polylines and arcs in a unit box) with a random size, position, aspect, slant and
wobble, one or two cells thick. Training uses other processes (templates resized and
moved, a 5x7 font, random lines and walks), and a test checks that no drawing here
occurs in the training data. The non-letters include shapes that are in no training
data at all (``UNSEEN``).

``heldout_set(seed)`` is pure: the same seed gives the same drawings.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import numpy as np

from ..model.recognizer import Recognizer
from .stepwise import stepwise
from .synthetic import GRID, N_PIXELS

#: Drawings rendered per step when the set is made ahead (``stepwise``): about 30 ms.
RENDERED_PER_STEP = 25

Stroke = list[tuple[float, float]]  # (x, y) in a unit box, y pointing down


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float,
         n: int = 12) -> Stroke:
    """Points on an ellipse from angle ``a0`` to ``a1`` (degrees, 0 = right, 90 = down)."""
    a = np.radians(np.linspace(a0, a1, n))
    return list(zip((cx + rx * np.cos(a)).tolist(), (cy + ry * np.sin(a)).tolist(),
                    strict=True))


def _line(*points: tuple[float, float]) -> Stroke:
    return list(points)


# Each drawing: its strokes and its width/height ratio.
LETTERS: dict[str, tuple[list[Stroke], float]] = {
    "b": ([_line((0.1, 0), (0.1, 1)), _arc(0.5, 0.72, 0.4, 0.28, 180, 540)], 0.7),
    "d": ([_line((0.9, 0), (0.9, 1)), _arc(0.5, 0.72, 0.4, 0.28, 0, 360)], 0.7),
    "f": ([_line((0.4, 1), (0.4, 0.25)) + _arc(0.65, 0.25, 0.25, 0.22, 180, 320),
           _line((0.05, 0.42), (0.8, 0.42))], 0.6),
}

NON_LETTERS: dict[str, tuple[list[Stroke], float]] = {
    "a": ([_arc(0.45, 0.7, 0.4, 0.3, 0, 360), _line((0.85, 0.35), (0.85, 1))], 0.8),
    "c": ([_arc(0.55, 0.5, 0.45, 0.5, 40, 320)], 0.8),
    "e": ([_line((0.1, 0.5), (0.9, 0.5)) + _arc(0.5, 0.5, 0.4, 0.45, 0, -320)], 0.8),
    "g": ([_arc(0.45, 0.3, 0.35, 0.3, 0, 360), _line((0.8, 0.1), (0.8, 0.85))
           + _arc(0.5, 0.85, 0.3, 0.15, 0, 160)], 0.7),
    "h": ([_line((0.1, 0), (0.1, 1)), _line((0.1, 0.6)) + _arc(0.5, 0.65, 0.4, 0.2, 180, 360)
           + _line((0.9, 1))], 0.7),
    "k": ([_line((0.15, 0), (0.15, 1)), _line((0.85, 0.35), (0.15, 0.7), (0.85, 1))], 0.7),
    "l": ([_line((0.5, 0), (0.5, 1))], 0.15),
    "n": ([_line((0.1, 0.2), (0.1, 1)), _line((0.1, 0.45)) + _arc(0.5, 0.5, 0.4, 0.3, 180, 360)
           + _line((0.9, 1))], 0.9),
    "o": ([_arc(0.5, 0.5, 0.45, 0.45, 0, 360)], 0.9),
    "p": ([_line((0.1, 0.2), (0.1, 1)), _arc(0.5, 0.42, 0.4, 0.25, 180, 540)], 0.7),
    "q": ([_line((0.9, 0.2), (0.9, 1)), _arc(0.5, 0.42, 0.4, 0.25, 0, 360)], 0.7),
    "r": ([_line((0.15, 0.2), (0.15, 1)), _line((0.15, 0.55)) + _arc(0.55, 0.55, 0.4, 0.3, 180,
                                                                     300)], 0.7),
    "t": ([_line((0.45, 0), (0.45, 0.8)) + _arc(0.7, 0.8, 0.25, 0.2, 180, 60),
           _line((0.05, 0.35), (0.9, 0.35))], 0.6),
    "u": ([_line((0.1, 0.1), (0.1, 0.6)) + _arc(0.5, 0.6, 0.4, 0.4, 180, 0)
           + _line((0.9, 0.1), (0.9, 1))], 0.9),
    "v": ([_line((0, 0), (0.5, 1), (1, 0))], 0.9),
    "x": ([_line((0, 0), (1, 1)), _line((1, 0), (0, 1))], 0.9),
    "y": ([_line((0, 0), (0.5, 0.55)), _line((1, 0), (0.25, 1))], 0.8),
    "z": ([_line((0, 0), (1, 0), (0, 1), (1, 1))], 0.9),
    "1": ([_line((0.2, 0.25), (0.6, 0), (0.6, 1))], 0.5),
    "2": ([_arc(0.5, 0.3, 0.45, 0.3, 200, 390) + _line((0, 1), (1, 1))], 0.8),
    "3": ([_arc(0.45, 0.27, 0.45, 0.27, 220, 450), _arc(0.45, 0.73, 0.5, 0.27, 270, 500)], 0.7),
    "4": ([_line((0.7, 1), (0.7, 0), (0, 0.7), (1, 0.7))], 0.8),
    "5": ([_line((0.9, 0), (0.1, 0), (0.1, 0.45)) + _arc(0.45, 0.68, 0.45, 0.3, 240, 500)],
          0.7),
    "7": ([_line((0, 0), (1, 0), (0.35, 1))], 0.8),
    "plus": ([_line((0.5, 0), (0.5, 1)), _line((0, 0.5), (1, 0.5))], 1.0),
    "square": ([_line((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))], 1.0),
    "triangle": ([_line((0.5, 0), (1, 1), (0, 1), (0.5, 0))], 1.0),
    "minus": ([_line((0, 0.5), (1, 0.5))], 1.0),
    # Not in any training data:
    "heart": ([_arc(0.27, 0.3, 0.25, 0.25, 150, 360) + _arc(0.73, 0.3, 0.25, 0.25, 180, 390)
               + _line((0.5, 1), (0.04, 0.42))], 1.0),
    "star": ([_line((0.5, 0), (0.8, 1), (0, 0.35), (1, 0.35), (0.2, 1), (0.5, 0))], 1.0),
    "smiley": ([_arc(0.5, 0.5, 0.5, 0.5, 0, 360), _arc(0.5, 0.55, 0.27, 0.25, 20, 160),
                _line((0.33, 0.3), (0.33, 0.35)), _line((0.67, 0.3), (0.67, 0.35))], 1.0),
    "arrow": ([_line((0, 0.5), (1, 0.5)), _line((0.6, 0.1), (1, 0.5), (0.6, 0.9))], 1.0),
    "spiral": ([[(0.5 + r * np.cos(a), 0.5 + r * np.sin(a))
                 for a, r in zip(np.linspace(0, 4 * np.pi, 40).tolist(),
                                 np.linspace(0.05, 0.5, 40).tolist(), strict=True)]], 1.0),
    "hash": ([_line((0.35, 0), (0.3, 1)), _line((0.7, 0), (0.65, 1)),
              _line((0, 0.33), (1, 0.33)), _line((0, 0.67), (1, 0.67))], 1.0),
    "question": ([_arc(0.5, 0.27, 0.4, 0.27, 180, 450) + _line((0.5, 0.7)),
                  _line((0.5, 0.95), (0.5, 1))], 0.6),
}
UNSEEN = ("heart", "star", "smiley", "arrow", "spiral", "hash", "question", "minus")


def _render(strokes: Sequence[Stroke], aspect: float, rng: np.random.Generator) -> np.ndarray:
    """One drawing of ``strokes``: random height 6 to 10 cells, width from the aspect
    (+-20%), placed anywhere it fits, slanted up to 15%, each point moved up to 4% of the
    box, then inked along the pen's path with a 1-cell pen, or a 2-cell one (for 30% of
    the drawings 9 or 10 cells tall: a bold pen fills a small letter's bowl)."""
    h = int(rng.integers(6, GRID + 1))
    thick = h >= GRID - 1 and rng.random() < 0.3
    h -= thick
    w = int(np.clip(round(h * aspect * rng.uniform(0.8, 1.2)), 1, GRID - thick))
    top, left = rng.integers(0, GRID - thick - h + 1), rng.integers(0, GRID - thick - w + 1)
    slant = rng.uniform(-0.15, 0.15)
    grid = np.zeros((GRID, GRID), dtype=np.uint8)
    for stroke in strokes:
        p = np.array(stroke, dtype=float) + rng.uniform(-0.04, 0.04, (len(stroke), 2))
        p[:, 0] += slant * (0.5 - p[:, 1])
        p = np.clip(p, 0.0, 1.0)
        # Densely along each segment, then into cells of the h x w box.
        t = np.linspace(0.0, 1.0, 4 * GRID)[None, :, None]
        path = (p[:-1, None, :] + t * (p[1:, None, :] - p[:-1, None, :])).reshape(-1, 2)
        if len(p) == 1:
            path = p
        cols = left + np.minimum((path[:, 0] * w).astype(int), w - 1)
        rows = top + np.minimum((path[:, 1] * h).astype(int), h - 1)
        grid[rows, cols] = 1
        if thick:
            grid[rows + 1, cols] = grid[rows, cols + 1] = grid[rows + 1, cols + 1] = 1
    return grid.reshape(N_PIXELS)


def _procedural(n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """Empty, full, speckle at 3 densities and random pen wanderings (splines through 4
    to 6 random points): ``n`` of each kind."""
    X, names = [np.zeros(N_PIXELS), np.ones(N_PIXELS)], ["empty", "full"]
    for density in (0.1, 0.3, 0.6):
        X += list((rng.random((n, N_PIXELS)) < density).astype(float))
        names += [f"speckle {density:.0%}"] * n
    for _ in range(n):
        pts = rng.uniform(0, 1, (int(rng.integers(4, 7)), 2))
        curve = [tuple(v) for v in _smooth(pts).tolist()]
        X.append(_render([curve], 1.0, rng).astype(float))
        names.append("wandering line")
    return np.array(X), names


def _smooth(pts: np.ndarray, per: int = 6) -> np.ndarray:
    """A Catmull-Rom-like smooth path through ``pts`` (quadratic midpoint smoothing)."""
    mids = (pts[:-1] + pts[1:]) / 2
    t = np.linspace(0, 1, per)[:, None]
    out = [pts[:1]]
    for a, b, c in zip(mids[:-1], pts[1:-1], mids[1:], strict=True):
        out.append((1 - t) ** 2 * a + 2 * (1 - t) * t * b + t ** 2 * c)
    out.append(pts[-1:])
    return np.vstack(out)


@stepwise
def heldout_set(seed: int = 2026, per_letter: int = 100, per_shape: int = 8
                ) -> Generator[None, None, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """``(X_letters, y_letters, X_other, other_names)``: ``per_letter`` drawings of each
    of b, d and f, and ``per_shape`` drawings of each non-letter (plus empty, full,
    speckle and wandering lines). Read-only arrays, made once (``stepwise``)."""
    rng = np.random.default_rng(seed)
    jobs = [(letter, shape) for letter, shape in LETTERS.items() for _ in range(per_letter)]
    jobs += [(name, shape) for name, shape in NON_LETTERS.items() for _ in range(per_shape)]
    drawn = []
    for i, (_, (strokes, aspect)) in enumerate(jobs, 1):
        drawn.append(_render(strokes, aspect, rng))
        if i % RENDERED_PER_STEP == 0:
            yield
    n_letters = len(LETTERS) * per_letter
    X, y = drawn[:n_letters], [name for name, _ in jobs[:n_letters]]
    Xo, names = drawn[n_letters:], [name for name, _ in jobs[n_letters:]]
    Xp, pnames = _procedural(per_shape, rng)
    out = (np.array(X, dtype=float), np.array(y), np.vstack([np.array(Xo, dtype=float), Xp]),
           np.array(names + pnames))
    for a in out:
        a.flags.writeable = False
    return out


def open_set_report(recognizer: Recognizer) -> dict[str, Any]:
    """How ``recognizer`` does on the held-out set: ``reject_rate`` (share of non-letters
    said to be none of its letters), ``accept_rate`` (share of its b, d and f drawings
    recognized *and* read correctly), their counts, and the rejection rate of the shapes
    in no training data (``unseen_reject_rate``). Non-letters named like one of the
    model's letters (e.g. a person's own "e") do not count."""
    X, y, Xo, names = heldout_set()
    mine = {c.casefold() for c in recognizer.letters}
    keep = np.isin(y, recognizer.letters)
    other = np.array([n.casefold() not in mine for n in names.tolist()])
    letters, recognized, _ = recognizer.predict_many(X[keep])
    _, other_recognized, _ = recognizer.predict_many(Xo[other])
    unseen = np.isin(names[other], UNSEEN)
    return {
        "reject_rate": float(np.mean(~other_recognized)) if other.any() else None,
        "accept_rate": float(np.mean(recognized & (letters == y[keep]))) if keep.any()
        else None,
        "unseen_reject_rate": float(np.mean(~other_recognized[unseen])) if unseen.any()
        else None,
        "n_other": int(other.sum()),
        "n_letters": int(keep.sum()),
        "letters": sorted(set(y[keep].tolist())),
        "can_reject": recognizer.can_reject,
    }
