"""Honest confidence: expected calibration error and temperature scaling.

A network trained with cross-entropy tends to be surer than it is right. Temperature
scaling (Guo et al., 2017) divides the logits by one number ``T`` fitted on validation
data to minimize the negative log-likelihood; it changes no prediction, only how sure
each one claims to be.
"""

from __future__ import annotations

import numpy as np

#: The range searched for the temperature (log-spaced golden-section search).
T_RANGE = (0.05, 20.0)
#: The margins tried for rejection (``choose_margin``), and the range a stored one may take.
MARGINS = np.arange(-1.0, 3.01, 0.25)
MARGIN_RANGE = (-10.0, 10.0)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def nll(logits: np.ndarray, y: np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of class indices ``y`` under ``softmax(logits / T)``."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_p = z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))
    return float(-log_p.mean())


def choose_margin(letter_margin: np.ndarray, letter_right: np.ndarray,
                  other_margin: np.ndarray) -> float:
    """The rejection margin that best balances the two errors on held-out data: a drawing
    is recognized when ``log p(best letter) - log p(none of these) > margin``. Maximizes
    the mean of (letters recognized *and* read right) and (other characters rejected);
    on a tie, the margin nearest 0. ``letter_margin``/``letter_right``: each letter's
    margin and whether its best letter is right; ``other_margin``: each non-letter's."""
    if not len(letter_margin) or not len(other_margin):
        return 0.0
    accepted = (letter_margin[None, :] > MARGINS[:, None]) & letter_right[None, :]
    rejected = other_margin[None, :] <= MARGINS[:, None]
    score = (accepted.mean(axis=1) + rejected.mean(axis=1)) / 2
    best = np.flatnonzero(score >= score.max() - 1e-12)
    return float(MARGINS[best[np.argmin(np.abs(MARGINS[best]))]])


def fit_temperature(logits: np.ndarray, y: np.ndarray, iterations: int = 60) -> float:
    """The ``T`` in ``T_RANGE`` that minimizes ``nll(logits, y, T)`` (NLL is unimodal in
    log T for temperature scaling, so a golden-section search finds it)."""
    lo, hi = np.log(T_RANGE[0]), np.log(T_RANGE[1])
    g = (np.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(logits, y, np.exp(a)), nll(logits, y, np.exp(b))
    for _ in range(iterations):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(logits, y, np.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(logits, y, np.exp(b))
    return float(np.exp((lo + hi) / 2))


def expected_calibration_error(probabilities: np.ndarray, y: np.ndarray,
                               bins: int = 15) -> float:
    """ECE: the gap between confidence (top probability) and accuracy, averaged over
    ``bins`` equal-width confidence bins weighted by how many predictions fall in each."""
    confidence = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == y).astype(float)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    gap = np.abs(np.bincount(which, correct - confidence, minlength=bins))
    return float(gap.sum() / max(len(y), 1))


def calibrated(logits: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(logits / temperature)``."""
    return _softmax(logits / temperature)

