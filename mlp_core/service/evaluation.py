"""How a model does on the person's own test drawings (the gate, ``gate.py``, pairs two
models on them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..limits import NONE_LABEL
from ..model.metrics import evaluate
from ..model.recognizer import Recognizer


def evaluate_drawings(recognizer: Recognizer, X: np.ndarray,
                      y: Sequence[str]) -> dict[str, Any]:
    """``{"accuracy", "n", "labels", "confusion", "per_class"}`` of ``recognizer`` on
    drawings ``X`` labelled ``y``. A drawing it calls "none of these" counts as that
    answer (wrong), and so does any drawing of a letter it does not know. ``accuracy``
    is None when there are no drawings."""
    y = np.asarray(y, dtype=str)
    labels = sorted(set(recognizer.letters) | set(y.tolist()))
    if recognizer.can_reject:
        labels.append(NONE_LABEL)
    if not len(y):
        return {"accuracy": None, "n": 0, "labels": labels, "confusion": [],
                "per_class": {}}
    letters, recognized, _ = recognizer.predict_many(np.asarray(X, dtype=np.float64))
    m = evaluate(y, np.where(recognized, letters, NONE_LABEL), labels=labels)
    return {"accuracy": m["accuracy"], "n": m["total"], "labels": m["labels"],
            "confusion": m["confusion_matrix"], "per_class": m["per_class"]}
