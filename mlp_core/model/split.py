"""A validation split that keeps each class's share (used by ``MLP.fit`` and the recipes)."""

from __future__ import annotations

import numpy as np

from ..messages import coded


def train_val_split(
    X: np.ndarray, y: np.ndarray, *, validation_fraction: float = 0.2, seed: int = 42
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stratified shuffle split: each class contributes ``validation_fraction`` of its rows.

    Returns ``X_train, X_val, y_train, y_val``.
    """
    if not 0.0 < validation_fraction < 1.0:
        raise ValueError("validation_fraction must be strictly between 0 and 1")
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    # Rank of each row within its class, in shuffled order.
    classes, inverse = np.unique(y[order], return_inverse=True)
    by_class = np.argsort(inverse, kind="stable")
    counts = np.bincount(inverse, minlength=len(classes))
    rank = np.empty(len(y), dtype=int)
    rank[by_class] = np.arange(len(y)) - np.repeat(np.cumsum(counts) - counts, counts)
    n_val = np.maximum(1, np.round(counts * validation_fraction).astype(int))
    if np.any(n_val >= counts):
        raise coded(ValueError, "class_too_small")
    is_val = rank < n_val[inverse]
    tr, va = order[~is_val], order[is_val]
    return X[tr], X[va], y[tr], y[va]
