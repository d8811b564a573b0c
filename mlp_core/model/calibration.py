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
MARGINS = np.arange(0.0, 3.01, 0.25)
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


#: What rejection should reach on held-out data: other characters rejected overall, and
#: each character with at least ``MIN_ROWS`` rows; ``choose_margins`` gives up at most
#: ``MAX_LETTER_LOSS`` of the letters kept (mean over letters) to get there.
REJECT_ALL, REJECT_EACH, MIN_ROWS, MAX_LETTER_LOSS = 0.95, 0.8, 10, 0.03


def choose_margins(margin: np.ndarray, best: np.ndarray, truth: np.ndarray,
                   other: np.ndarray, n_letters: int,
                   group: np.ndarray | None = None,
                   max_loss: dict[int, float] | None = None) -> np.ndarray:
    """Per-letter rejection margins (``MARGINS`` values, in letter order) from held-out
    rows: a row is recognized when ``margin > margins[best]``.

    ``margin``: log p(best letter) - log p(none of these); ``best``: the best letter's
    index; ``truth``: the true letter's index, or -1 for a row that is none of them;
    ``other``: the character of each such row (anything for letters); ``group``: which
    set each letter row comes from (e.g. fonts, drawings), each kept within its own limit
    (``max_loss[group]``, else ``MAX_LETTER_LOSS``).

    Starts at 0 for every letter (a letter more probable than "none of these"), then
    raises the margin of one letter at a time, by one step of ``MARGINS``: the step that
    removes the most shortfall from ``REJECT_ALL``/``REJECT_EACH`` per letter lost, while
    a shortfall remains and the letters kept of every group stay within their limit of
    the start. So a letter confused with some other character (b with h) gets a margin,
    and rejection never costs more letters than the limits allow.
    """
    is_letter = truth >= 0
    if not is_letter.any() or is_letter.all():
        return np.zeros(n_letters)
    right = best == truth
    group = np.zeros(len(truth), dtype=int) if group is None else np.asarray(group)
    sets = [(g, [i for i in range(n_letters) if np.any((truth == i) & (group == g))])
            for g in np.unique(group[is_letter])]
    chars, inverse = np.unique(other[~is_letter], return_inverse=True)
    counted = np.bincount(inverse, minlength=len(chars)) >= MIN_ROWS

    def kept(k: np.ndarray) -> np.ndarray:
        """Per group: the mean over letters of the share kept and read right."""
        ok = (margin > MARGINS[k][best]) & right
        return np.array([np.mean([ok[(truth == i) & (group == g)].mean() for i in letters])
                         for g, letters in sets])

    def shortfall(k: np.ndarray) -> float:
        rejected = (margin <= MARGINS[k][best])[~is_letter]
        each = np.bincount(inverse, weights=rejected, minlength=len(chars)) / np.maximum(
            np.bincount(inverse, minlength=len(chars)), 1)
        return (max(0.0, REJECT_ALL - rejected.mean())
                + float(np.maximum(0.0, REJECT_EACH - each[counted]).sum()) / max(1, counted.sum()))

    k = np.zeros(n_letters, dtype=int)  # MARGINS[0] = 0: a letter beats "none of these"
    floor = kept(k) - np.array([(max_loss or {}).get(int(g), MAX_LETTER_LOSS) for g, _ in sets])
    while (short := shortfall(k)) > 0:
        now, steps = kept(k), []
        for i in range(n_letters):
            if k[i] + 1 < len(MARGINS):
                up = k.copy()
                up[i] += 1
                after = kept(up)
                gain, cost = short - shortfall(up), float(np.sum(now - after))
                if gain > 0 and np.all(after >= floor):
                    steps.append((gain / (cost + 1e-3), i))
        if not steps:
            break
        k[max(steps)[1]] += 1
    return MARGINS[k].astype(float)


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

