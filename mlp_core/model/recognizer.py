"""Recognition with rejection: a model's answer, or "none of my letters".

A model trained with non-letters has one more output, ``none_class``; a drawing is
recognized when the most probable letter beats "none of these" by that letter's margin
(``log p(letter) - log p(none) > none_margins_[letter]``, chosen on held-out fonts; 0
for letters without one and for models made before margins existed: the letter is more
probable than "none of these"). A model
without that output (made before rejection existed, or trained with ``negatives`` 0)
recognizes everything, and says so (``can_reject`` is false).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .network import MLP, forward_one, transposed_layers
from .preprocess import PREPROCESSING, center


class Recognizer:
    """A fitted ``MLP`` plus the name of its "none of these" output (or ``None``) and the
    preprocessing its inputs get (``"none"`` or ``"center"``, see ``preprocess``)."""

    def __init__(self, model: MLP, none_class: str | None = None,
                 preprocessing: str = "none") -> None:
        labels = [str(c) for c in model.classes_]
        if none_class is not None and none_class not in labels:
            raise ValueError(f"none_class {none_class!r} is not one of the classes {labels}")
        if preprocessing not in PREPROCESSING:
            raise ValueError(f"preprocessing must be one of {PREPROCESSING}, "
                             f"got {preprocessing!r}")
        self.model = model
        self.preprocessing = preprocessing
        #: True when drawings must be centered before the network sees them.
        self.centers = preprocessing == "center"
        self.labels = labels
        self.none_index = labels.index(none_class) if none_class is not None else None
        #: The model's letters, in output order, without "none of these".
        self.letters = [c for i, c in enumerate(labels) if i != self.none_index]
        self._letter_index = [i for i in range(len(labels)) if i != self.none_index]
        self._layers = transposed_layers((model.weights_, model.biases_))
        self._activation = model.hyperparameters["activation"]
        #: Per letter (output order): p(letter) must beat p(none) times this.
        self._factors = np.exp([model.none_margins_.get(c, 0.0) for c in self.letters])

    @property
    def can_reject(self) -> bool:
        return self.none_index is not None

    @property
    def n_features(self) -> int:
        return self.model.n_features_in_

    def describe(self) -> dict[str, Any]:
        """How this model decides, in words the page and model info can show."""
        common = {"can_reject": self.can_reject, "temperature": self.model.temperature_,
                  "none_margins": dict(self.model.none_margins_),
                  "preprocessing": self.preprocessing}
        if self.can_reject:
            return {**common, "method": "none-of-these class",
                    "rule": "recognized when a letter is more probable than none of these"
                            + ("" if not any(self.model.none_margins_.values()) else
                               " by a factor per letter (" + ", ".join(
                                   f"{c} {f:.2f}" for c, f in zip(self.letters, self._factors,
                                                                  strict=True)) + ")")}
        return {**common, "method": None, "rule": "always answers with one of its letters "
                                                  "(trained without non-letters)"}

    def prepare(self, X: np.ndarray) -> np.ndarray:
        """Drawings (n, 100) as the network takes them (centered if it was trained so)."""
        return center(X) if self.centers else np.asarray(X, dtype=np.float64)

    def predict_one(self, x: np.ndarray) -> dict[str, Any]:
        """One checked drawing (a vector of 100 zeros and ones), as drawn."""
        return self.predict_prepared(self.prepare(x[None, :])[0])

    def predict_prepared(self, x: np.ndarray) -> dict[str, Any]:
        """One drawing already ``prepare``d: ``{"letter", "recognized", "probabilities",
        "none_probability", "confidence"}``. ``letter`` is the top guess among the letters
        even when it is not recognized; ``probabilities`` (per letter) and
        ``none_probability`` sum to 1."""
        p = forward_one(self._layers, x, self._activation, self.model.temperature_)
        ni = self.none_index
        p_none = None if ni is None else p.pop(ni)
        best = max(range(len(p)), key=p.__getitem__)
        return {"letter": self.letters[best],
                "recognized": p_none is None or bool(p[best] > p_none * self._factors[best]),
                "probabilities": dict(zip(self.letters, p, strict=True)),
                "none_probability": p_none,
                "confidence": p[best]}

    def predict_many(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorized ``predict_one``: ``(letters, recognized, probabilities)``, the last
        with every output column (``labels`` order)."""
        P = self.model.predict_proba(self.prepare(X))
        L = P[:, self._letter_index]
        best = L.argmax(axis=1)
        recognized = (np.ones(len(X), dtype=bool) if self.none_index is None
                      else L[np.arange(len(X)), best] > P[:, self.none_index] * self._factors[best])
        return np.array(self.letters)[best], recognized, P

    def accuracy_with_rejection(self, X: np.ndarray, y: np.ndarray) -> float:
        """Share of letters ``y`` read correctly *and* recognized (a rejection is wrong)."""
        letters, recognized, _ = self.predict_many(X)
        return float(np.mean(recognized & (letters == np.asarray(y))))
