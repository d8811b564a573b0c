"""Shipped beside a scikit-learn export of the letter-recognizer app (mlp_core).

The exported ``Pipeline`` starts with ``CenterDrawing``, which moves each drawing's inked
bounding box to the middle of the 10x10 grid, as the app does before its network reads a
drawing. Put this file beside the ``.skops`` file (or anywhere on ``sys.path``) and load:

    import skops.io as sio
    pipe = sio.load("model.skops", trusted=["letter_centering.CenterDrawing"])
    pipe.predict_proba(X)           # X: (n, 100), row-major, 1 = ink
    letter_centering.recognize(pipe, X)   # the app's answer, with "none of these"

``pipe.predict`` gives the most probable class, ``"(none)"`` included. The app decides
"none of these" with a margin per letter (``pipe.none_margins_``): ``recognize`` applies
them; with every margin 0 it agrees with ``predict``.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

GRID = 10
NONE = "(none)"


def center(X):
    """Every row of ``X`` (n, 100) with its ink's bounding box moved to the middle."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    g = X.reshape(n, GRID, GRID)
    rows, cols = g.any(axis=2), g.any(axis=1)
    r0, r1 = rows.argmax(axis=1), GRID - 1 - rows[:, ::-1].argmax(axis=1)
    c0, c1 = cols.argmax(axis=1), GRID - 1 - cols[:, ::-1].argmax(axis=1)
    dr = np.where(rows.any(axis=1), (GRID - (r1 - r0 + 1)) // 2 - r0, 0)
    dc = np.where(rows.any(axis=1), (GRID - (c1 - c0 + 1)) // 2 - c0, 0)
    r = np.arange(GRID)[None, :, None] - dr[:, None, None]
    c = np.arange(GRID)[None, None, :] - dc[:, None, None]
    inside = (r >= 0) & (r < GRID) & (c >= 0) & (c < GRID)
    moved = g[np.arange(n)[:, None, None], np.clip(r, 0, GRID - 1), np.clip(c, 0, GRID - 1)]
    return np.where(inside, moved, 0.0).reshape(n, GRID * GRID)


class CenterDrawing(TransformerMixin, BaseEstimator):
    """A stateless transformer: ``transform(X)`` is ``center(X)``."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def transform(self, X):
        return center(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


def recognize(pipe, X):
    """The app's answers for drawings ``X``: ``(letters, recognized, probabilities)``.
    ``letters`` is the most probable letter of each (never ``"(none)"``)."""
    P = pipe.predict_proba(X)
    classes = [str(c) for c in pipe.classes_]
    margins = getattr(pipe, "none_margins_", {})
    letter_cols = [i for i, c in enumerate(classes) if c != NONE]
    best = np.asarray(letter_cols)[P[:, letter_cols].argmax(axis=1)]
    letters = np.asarray(classes, dtype=object)[best]
    if NONE not in classes:
        return letters, np.ones(len(P), dtype=bool), P
    none = classes.index(NONE)
    factor = np.exp([margins.get(c, 0.0) for c in letters])
    return letters, P[np.arange(len(P)), best] > P[:, none] * factor, P
