"""Monitoring on this device: what the page's prediction log says about a model.

The page logs each prediction it shows as ``{"id", "at", "model", "letter",
"recognized", "confidence", "none_probability", "bits"}``: when, which model, its answer
as ``Service.predict`` gave it, and the drawing (100 characters "0"/"1"). Two keys may
follow: ``shadow``, the answer of a model run silently beside production (shadow mode:
``{"model", "letter", "recognized", "confidence", "none_probability"}``), and
``review``, what the person made of the drawing (``{"label", "at"}``: a letter,
``NONE_LABEL``, or None when dismissed). A review never removes an entry: the counts stay
what was seen.

These pure functions summarize a log and pick the drawings to review: those a model was
unsure about (active learning), and those where production and its shadow disagree. A
prediction's answer is its letter, or ``NONE_LABEL`` when not recognized; its confidence
is the probability of that answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..data.drawing import parse_bits
from ..data.synthetic import NONE_LABEL
from ..limits import MAX_CLASS_NAME, MAX_PREDICTION_LOG
from ..messages import coded, within
from ..registry.history import parse_time

#: Below this probability of its own answer, a prediction counts as low-confidence.
LOW_CONFIDENCE = 0.8
#: The confidence histogram's bins: 10 of equal width from 0 to 1.
BINS = 10
LOG_KEYS = ("id", "at", "model", "letter", "recognized", "confidence", "none_probability",
            "bits")
OPTIONAL_LOG_KEYS = ("shadow", "review")
ANSWER_KEYS = ("model", "letter", "recognized", "confidence", "none_probability")
REVIEW_KEYS = ("label", "at")

Log = Sequence[dict[str, Any]]


def _probability(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int | float) and 0 <= v <= 1


def answer(e: dict[str, Any]) -> tuple[str, float]:
    """A logged prediction's answer and the probability the model gave it."""
    return (e["letter"], e["confidence"]) if e["recognized"] else (
        NONE_LABEL, e["none_probability"])


def _check_answer(e: Any, where: str) -> None:
    """An answer as ``Service.predict`` gives it: ``ANSWER_KEYS``."""
    if not isinstance(e, dict) or set(e) != set(ANSWER_KEYS):
        raise coded(ValueError, "field_keys", where=where, keys=", ".join(ANSWER_KEYS))
    if not isinstance(e["recognized"], bool):
        raise coded(ValueError, "field_bool", where=f"{where}.recognized")
    if not _probability(e["confidence"]):
        raise coded(ValueError, "field_number", where=f"{where}.confidence", min=0, max=1)
    if not ((e["none_probability"] is None and e["recognized"])
            or _probability(e["none_probability"])):
        raise coded(ValueError, "field_number", where=f"{where}.none_probability",
                    min=0, max=1)
    if not isinstance(e["model"], str) or not 0 < len(e["model"]) <= 64:
        raise coded(ValueError, "field_text", where=f"{where}.model", limit=64)
    if not isinstance(e["letter"], str) or not 0 < len(e["letter"]) <= MAX_CLASS_NAME:
        raise coded(ValueError, "field_text", where=f"{where}.letter",
                    limit=MAX_CLASS_NAME)


def check_log(log: Any) -> list[dict[str, Any]]:
    """A whole log (as stored, or from a project file), checked: at most
    ``MAX_PREDICTION_LOG`` well-formed entries (``LOG_KEYS``, and any of
    ``OPTIONAL_LOG_KEYS``). Raises ``ValueError``."""
    if not isinstance(log, list) or len(log) > MAX_PREDICTION_LOG:
        raise coded(ValueError, "field_list", where="log", limit=MAX_PREDICTION_LOG)
    for i, e in enumerate(log):
        where = f"log[{i}]"
        if not isinstance(e, dict) or not set(LOG_KEYS) <= set(e) <= {*LOG_KEYS,
                                                                       *OPTIONAL_LOG_KEYS}:
            raise coded(ValueError, "field_keys", where=where, keys=", ".join(LOG_KEYS))
        parse_time(e["at"], f"{where}.at")
        if not isinstance(e["id"], int) or isinstance(e["id"], bool) or e["id"] < 1:
            raise coded(ValueError, "field_id", where=f"{where}.id")
        _check_answer({k: e[k] for k in ANSWER_KEYS}, where)
        try:
            parse_bits(e["bits"])
        except ValueError as err:
            raise within(ValueError, err, f"{where}.bits") from None
        if "shadow" in e:
            _check_answer(e["shadow"], f"{where}.shadow")
        if "review" in e:
            review = e["review"]
            if not isinstance(review, dict) or set(review) != set(REVIEW_KEYS):
                raise coded(ValueError, "field_keys", where=f"{where}.review",
                            keys=", ".join(REVIEW_KEYS))
            parse_time(review["at"], f"{where}.review.at")
            label = review["label"]
            if label is not None and (not isinstance(label, str)
                                      or not 0 < len(label) <= MAX_CLASS_NAME):
                raise coded(ValueError, "field_text", where=f"{where}.review.label",
                            limit=MAX_CLASS_NAME)
    return log


def _of(log: Log, version: str | None) -> list[dict[str, Any]]:
    return [e for e in log if version is None or e["model"] == version]


def _mean(x: np.ndarray) -> float | None:
    return float(np.mean(x)) if len(x) else None


def disagrees(e: dict[str, Any]) -> bool:
    """Whether the shadow model answered the logged drawing otherwise than production."""
    return "shadow" in e and answer(e)[0] != answer(e["shadow"])[0]


def summary(log: Log, version: str | None = None) -> dict[str, Any]:
    """The predictions of model ``version`` (None: every model) in ``log``:
    ``{"version", "predictions", "per_letter": {answer: n}, "low_confidence_share",
    "rejected_share", "confidence_histogram": {"edges", "counts"}, "over_time": [{"day",
    "predictions", "low_confidence_share", "rejected_share"}], "threshold", "reviewed":
    {"labelled", "dismissed"}, "shadow": [{"model", "compared", "disagreements",
    "disagreement_share"}]}`` (shares None without predictions). Every prediction
    counts, reviewed or not."""
    mine = _of(log, version)
    given = [answer(e) for e in mine]
    confidence = np.array([c for _, c in given], dtype=np.float64)
    low = confidence < LOW_CONFIDENCE
    rejected = np.array([a == NONE_LABEL for a, _ in given], dtype=bool)
    answers, counts = np.unique(np.array([a for a, _ in given], dtype=str),
                                return_counts=True)
    hist, edges = np.histogram(confidence, bins=BINS, range=(0.0, 1.0))
    days = np.array([e["at"][:10] for e in mine], dtype=str)
    over_time = [{"day": str(d), "predictions": int(np.sum(days == d)),
                  "low_confidence_share": float(np.mean(low[days == d])),
                  "rejected_share": float(np.mean(rejected[days == d]))}
                 for d in np.unique(days)]
    reviews = [e["review"] for e in mine if "review" in e]
    shadows = sorted({e["shadow"]["model"] for e in mine if "shadow" in e})
    shadow = []
    for model in shadows:
        beside = [e for e in mine if "shadow" in e and e["shadow"]["model"] == model]
        n = sum(disagrees(e) for e in beside)
        shadow.append({"model": model, "compared": len(beside), "disagreements": n,
                       "disagreement_share": n / len(beside)})
    return {"version": version, "predictions": len(mine),
            "per_letter": {str(a): int(n) for a, n in zip(answers, counts, strict=True)},
            "low_confidence_share": _mean(low), "rejected_share": _mean(rejected),
            "confidence_histogram": {"edges": edges.round(6).tolist(),
                                     "counts": hist.tolist()},
            "over_time": over_time, "threshold": LOW_CONFIDENCE,
            "reviewed": {"labelled": sum(r["label"] is not None for r in reviews),
                         "dismissed": sum(r["label"] is None for r in reviews)},
            "shadow": shadow}


def _to_review(picked: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` of ``picked`` not reviewed yet, newest first, each with its
    ``pattern`` (100 ints) to show and label, and its shadow's answer if it has one."""
    picked = sorted((e for e in picked if "review" not in e),
                    key=lambda e: (e["at"], e["id"]), reverse=True)
    out = []
    for e in picked[:limit]:
        item = {"id": e["id"], "at": e["at"], "model": e["model"], "answer": answer(e)[0],
                "confidence": answer(e)[1], "pattern": [int(c) for c in e["bits"]]}
        if "shadow" in e:
            item["shadow"] = {"model": e["shadow"]["model"], "answer": answer(e["shadow"])[0],
                              "confidence": answer(e["shadow"])[1]}
        out.append(item)
    return out


def unsure(log: Log, version: str | None = None, limit: int = 24) -> list[dict[str, Any]]:
    """The newest ``limit`` drawings not reviewed yet that model ``version`` (None: any)
    answered with less than ``LOW_CONFIDENCE``, newest first (``_to_review``)."""
    return _to_review([e for e in _of(log, version) if answer(e)[1] < LOW_CONFIDENCE], limit)


def disagreements(log: Log, limit: int = 24) -> list[dict[str, Any]]:
    """The newest ``limit`` drawings not reviewed yet on which production and its shadow
    answered differently, newest first (``_to_review``): labelled, they become test
    drawings, the evidence the gate weighs."""
    return _to_review([e for e in log if disagrees(e)], limit)
