"""Classification metrics: accuracy, confusion matrix, per-class precision/recall/F1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _positions(labels: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of each value in ``labels`` (vectorized); ValueError for unknown values."""
    sorter = np.argsort(labels)
    found = np.searchsorted(labels, values, sorter=sorter)
    idx = sorter[np.clip(found, 0, len(labels) - 1)]
    bad = labels[idx] != values
    if bad.any():
        raise ValueError(f"label {values[bad].tolist()[0]!r} is not in labels {labels.tolist()}")
    return idx


def confusion_matrix(y_true: Sequence, y_pred: Sequence,
                     labels: Sequence | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples of true class ``labels[i]`` predicted as ``labels[j]``."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in shape: {y_true.shape} vs {y_pred.shape}")
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(
        labels)
    k = len(labels)
    t, p = _positions(labels, y_true), _positions(labels, y_pred)
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


def per_class(cm: np.ndarray, labels: Sequence) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per class from a confusion matrix (0 where undefined)."""
    tp = np.diag(cm).astype(float)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return {str(c): {"precision": float(precision[i]), "recall": float(recall[i]),
                     "f1": float(f1[i]), "support": int(actual[i])}
            for i, c in enumerate(labels)}


def evaluate(y_true: Sequence, y_pred: Sequence,
             labels: Sequence | None = None) -> dict[str, Any]:
    """All metrics as a JSON-safe dict.

    Keys: ``accuracy``, ``correct``, ``total``, ``labels``, ``confusion_matrix`` (rows are
    true classes), ``per_class`` (precision/recall/f1/support) and ``macro_f1``.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
    cm = confusion_matrix(y_true, y_pred, labels)
    correct, total = int(np.trace(cm)), int(cm.sum())
    classes = per_class(cm, labels)
    return {
        "accuracy": correct / total if total else 0.0,
        "correct": correct,
        "total": total,
        "labels": [str(c) for c in labels],
        "confusion_matrix": cm.tolist(),
        "per_class": classes,
        "macro_f1": float(np.mean([c["f1"] for c in classes.values()])) if classes else 0.0,
    }
