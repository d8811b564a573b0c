"""How a model does on the person's own test drawings: the judge of "is it better on
real drawings?", beside the validation accuracy measured on synthetic samples."""

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


#: What a comparison concludes about the challenger, judged on the test drawings.
VERDICTS = ("better", "equal", "worse", "untested")


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def compare(champion: dict[str, Any], challenger: dict[str, Any]) -> dict[str, Any]:
    """Production (``champion``) against a ``challenger``, each as ``Service.evaluate``
    returns them: ``{"champion", "challenger", "difference": {"validation", "test"}
    (challenger minus champion), "verdict", "reason"}``. The verdict (one of
    ``VERDICTS``) comes from the person's test drawings only: validation accuracy is
    measured on each model's own synthetic samples, so it does not decide."""
    a, b = champion["test"], challenger["test"]
    diff = {"validation": _difference(champion["validation"]["accuracy"],
                                      challenger["validation"]["accuracy"]),
            "test": _difference(a["accuracy"], b["accuracy"])}
    if not b["n"]:
        verdict, reason = "untested", ("there are no test drawings to judge by: mark some "
                                       "examples as test drawings (My data)")
    else:
        verdict = ("better" if diff["test"] > 0 else "worse" if diff["test"] < 0
                   else "equal")
        reason = (f"on {b['n']} test drawings the challenger is right on "
                  f"{b['accuracy']:.1%} and production on {a['accuracy']:.1%}")
    return {"champion": champion, "challenger": challenger, "difference": diff,
            "verdict": verdict, "reason": reason}
