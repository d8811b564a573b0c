"""The promotion gate: should a challenger replace production (the champion)?

Three criteria, each passed or failed, and all must pass for an ``if_better`` promotion:

``test``
    The two models are paired on the person's test drawings. Only the drawings where
    exactly one of them is right say anything, and an exact one-sided sign test (McNemar's
    exact test) on those says whether the challenger is better at level ``ALPHA``. With
    too few drawings the verdict is ``unsure``, with an estimate of how many drawings
    would decide it if the disagreements went on as observed.
``rejection``
    The share of non-letters said to be "none of these": the person's "none of these"
    test drawings plus the held-out non-letters shipped with the app
    (``data.heldout``). The challenger may lose at most ``MAX_REJECTION_DROP``.
``validation``
    Accuracy on one synthetic validation set the gate draws itself (``GATE_SEED``) of the
    built-in letters both models know: each model's own validation set was drawn by its
    own training, so the two figures cannot decide. The challenger may lose at most
    ``MAX_VALIDATION_DROP``.

Everything here is pure: models and drawings in, a JSON-ready verdict out.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

import numpy as np

from ..data.heldout import heldout_set
from ..data.synthetic import default_templates, make_dataset
from ..limits import MAX_USER_SAMPLES, N_PIXELS, NONE_LABEL
from ..model.recognizer import Recognizer
from .evaluation import evaluate_drawings

#: One-sided level the sign test must reach for "better" (or "worse").
ALPHA = 0.05
#: Most the challenger may lose on rejecting non-letters, and on the gate's validation set.
MAX_REJECTION_DROP = 0.03
MAX_VALIDATION_DROP = 0.02
#: The gate's own synthetic validation set: same drawings for every comparison.
GATE_SEED = 20261204
GATE_VALIDATION_SAMPLES = 1500
#: What the test drawings can conclude about the challenger.
VERDICTS = ("better", "equal", "unsure", "worse", "untested")
CRITERIA = ("test", "rejection", "validation")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) of a share ``k`` of ``n``; None if n=0."""
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def sign_test(wins: int, losses: int) -> float:
    """One-sided exact p-value that ``wins`` out of ``wins + losses`` disagreements (each
    a fair coin if the models were equally good) are this many or more: McNemar's exact
    test. 1.0 when there are no disagreements."""
    n = wins + losses
    term = math.comb(n, wins)  # C(n, i) for i = wins, wins + 1, ...: each from the last
    tail = 0
    for i in range(wins, n + 1):
        tail += term
        term = term * (n - i) // (i + 1)
    return tail / 2 ** n


def drawings_needed(n: int, wins: int, losses: int, alpha: float = ALPHA) -> int | None:
    """About how many test drawings in all would make ``wins`` against ``losses``
    significant at ``alpha``, if drawings kept disagreeing at the observed rate and the
    same way; None when the observations give no sign the challenger is better (no
    disagreement, a tie or more losses), or when more than ``MAX_USER_SAMPLES`` would be
    needed. Whole drawings make the p-value step up and down as totals grow, so this is
    the fewest within 64 below a total that bisection finds, not always the fewest of
    all (for 16 wins against 15 of 36: 3139, where 3096 would do)."""
    if n <= 0 or wins <= losses:
        return None
    rate, share = (wins + losses) / n, wins / (wins + losses)

    def decides(total: int) -> bool:  # whole drawings, never rounded up
        d = math.floor(rate * total + 1e-9)
        w = math.floor(share * d + 1e-9)
        return d > 0 and sign_test(w, d - w) < alpha

    if not decides(MAX_USER_SAMPLES):
        return None
    low, high = n - 1, MAX_USER_SAMPLES  # decides(high); more drawings only help
    while high - low > 1:  # in about 14 tests, not thousands
        mid = (low + high) // 2
        low, high = (low, mid) if decides(mid) else (mid, high)
    # Whole drawings make the p-value step up and down a little (3 wins of 4: 16 decide,
    # 17 do not, 18 do): look a few totals lower for the fewest.
    return next(t for t in range(max(n, high - 64), high + 1) if decides(t))


def _share(k: int, n: int) -> dict[str, Any]:
    return {"rate": k / n if n else None, "n": n, "interval": wilson(k, n)}


def _rejection(recognizer: Recognizer, X_none: np.ndarray, exclude: set[str]
               ) -> dict[str, Any]:
    """The share of non-letters ``recognizer`` rejects: the drawings ``X_none`` plus the
    held-out non-letters not named like a letter in ``exclude``."""
    _, _, Xo, names = heldout_set()
    keep = np.array([name.casefold() not in exclude for name in names.tolist()])
    X = np.vstack([X_none, Xo[keep]])
    _, recognized, _ = recognizer.predict_many(X)
    return _share(int(np.sum(~recognized)), len(X))


@functools.lru_cache(maxsize=8)
def gate_validation_set(letters: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The gate's synthetic validation set of the built-in ``letters`` (fixed seed)."""
    templates = {k: v for k, v in default_templates().items() if k in letters}
    X, y = make_dataset(GATE_VALIDATION_SAMPLES, templates=templates, seed=GATE_SEED)
    X.flags.writeable = y.flags.writeable = False
    return X, y


def _validation(recognizer: Recognizer, letters: list[str]) -> dict[str, Any]:
    """Accuracy (rejection counts as wrong) on the gate's synthetic validation set."""
    built_in = default_templates().keys()
    letters = [c for c in letters if c in built_in]
    if not letters:
        return _share(0, 0)
    X, y = gate_validation_set(tuple(sorted(letters)))
    letter, recognized, _ = recognizer.predict_many(X)
    return _share(int(np.sum(recognized & (letter == y))), len(y))


def _test_verdict(n: int, wins: int, losses: int) -> tuple[str, float | None]:
    if not n:
        return "untested", None
    if not wins and not losses:
        return "equal", 1.0
    p_better, p_worse = sign_test(wins, losses), sign_test(losses, wins)
    if p_better < ALPHA:
        return "better", p_better
    return ("worse" if p_worse < ALPHA else "unsure"), p_better


def _reason(verdict: str, evidence: dict[str, Any], failed: list[str]) -> str:
    """The decision in an English sentence (the page words it from the same fields)."""
    n, wins, losses = evidence["n"], evidence["challenger_only"], evidence["champion_only"]
    if verdict == "untested":
        text = ("there are no test drawings to judge by: mark some examples as test "
                "drawings (My data)")
    elif verdict == "equal":
        text = f"both models answer the same on all {n} test drawings"
    else:
        text = (f"of {n} test drawings, only the challenger is right on {wins} and only "
                f"production on {losses} (one-sided p = {evidence['p_value']:.3f})")
        if verdict == "unsure":
            needed = evidence["needed"]
            text += ("; too few to tell them apart" + (
                f": about {needed} test drawings in all would decide it if they went on "
                "like these" if needed else ""))
    others = [c for c in failed if c != "test"]
    if others:
        text += "; it does worse on " + " and ".join(
            {"rejection": "rejecting non-letters",
             "validation": "the gate's validation set"}[c] for c in others)
    return text


def compare(champion: tuple[dict[str, Any], Recognizer],
            challenger: tuple[dict[str, Any], Recognizer],
            X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Production (``champion``) against a ``challenger``, each as ``(registry entry,
    recognizer)``, on the test drawings ``X`` labelled ``y`` (letters or ``NONE_LABEL``).

    Returns ``{"champion", "challenger"}`` (each: ``version``, its own ``validation``,
    ``test`` as ``evaluate_drawings`` with a Wilson ``interval``, ``rejection`` and
    ``gate_validation`` as ``{"rate", "n", "interval"}``), ``difference`` (challenger minus
    champion: ``validation``, ``test``, ``rejection``, ``gate_validation``), ``evidence``
    (``n``, ``challenger_only``, ``champion_only``, ``p_value``, ``alpha``, ``needed``),
    ``verdict`` (``VERDICTS``, from the test drawings), ``criteria`` (``[{"name",
    "passed", "limit"}]`` in ``CRITERIA`` order), ``promote`` (every criterion passed) and
    an English ``reason``."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, N_PIXELS)
    y = np.asarray(y, dtype=str)
    common = [c for c in champion[1].letters if c in challenger[1].letters]
    names = {c.casefold() for c in champion[1].letters + challenger[1].letters}
    sides, right = {}, []
    for key, (entry, recognizer) in (("champion", champion), ("challenger", challenger)):
        test = evaluate_drawings(recognizer, X, y)
        if len(y):
            letter, recognized, _ = recognizer.predict_many(X)
            right.append(np.where(recognized, letter, NONE_LABEL) == y)
            test["interval"] = wilson(int(right[-1].sum()), len(y))
        sides[key] = {"version": entry["version"],
                      "validation": {"accuracy": entry["accuracy"],
                                     "n": entry["dataset_info"].get("val_samples")},
                      "test": test,
                      "rejection": _rejection(recognizer, X[y == NONE_LABEL], names),
                      "gate_validation": _validation(recognizer, common)}
    a, b = sides["champion"], sides["challenger"]

    def diff(x: float | None, z: float | None) -> float | None:
        return None if x is None or z is None else z - x

    difference = {"validation": diff(a["validation"]["accuracy"], b["validation"]["accuracy"]),
                  "test": diff(a["test"]["accuracy"], b["test"]["accuracy"]),
                  "rejection": diff(a["rejection"]["rate"], b["rejection"]["rate"]),
                  "gate_validation": diff(a["gate_validation"]["rate"],
                                          b["gate_validation"]["rate"])}
    wins = int(np.sum(right[1] & ~right[0])) if right else 0
    losses = int(np.sum(right[0] & ~right[1])) if right else 0
    verdict, p = _test_verdict(len(y), wins, losses)
    evidence = {"n": len(y), "challenger_only": wins, "champion_only": losses,
                "p_value": p, "alpha": ALPHA, "needed": drawings_needed(len(y), wins, losses)}

    def within(d: float | None, limit: float) -> bool:
        return d is None or d >= -limit - 1e-12

    criteria = [
        {"name": "test", "passed": verdict == "better", "limit": ALPHA},
        {"name": "rejection", "passed": within(difference["rejection"], MAX_REJECTION_DROP),
         "limit": MAX_REJECTION_DROP},
        {"name": "validation",
         "passed": within(difference["gate_validation"], MAX_VALIDATION_DROP),
         "limit": MAX_VALIDATION_DROP},
    ]
    failed = [c["name"] for c in criteria if not c["passed"]]
    return {**sides, "difference": difference, "evidence": evidence, "verdict": verdict,
            "criteria": criteria, "promote": not failed,
            "reason": _reason(verdict, evidence, failed)}


def promotion(promote: bool | str, gate: dict[str, Any] | None, note: str | None = None,
              words: Any = None) -> tuple[bool, str | None]:
    """Whether a model just registered goes to production, and the note its promotion
    keeps: by ``promote`` (True: the person says so; "if_better": the gate decides) and
    the gate's answer (None: none was asked). The note is ``note`` when given, else the
    gate's reason (a promotion it recommended) or its warning (one it did not), worded by
    ``words`` (the page's ``gate_reason``/``gate_warning``) or in English."""
    recommended = bool(gate and gate["promote"])
    if not (promote is True or (promote == "if_better" and recommended)):
        return False, None
    if note or not gate:
        return True, note
    if words is not None:
        text = json.dumps(gate, allow_nan=False)
        return True, str((words.gate_reason if recommended else words.gate_warning)(text))
    return True, gate["reason"] if recommended else (
        f"promoted without passing the gate: {gate['reason']}")
