"""What every export writes: a registry model reduced to the numbers inference needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..limits import NONE_LABEL
from ..registry.document import load_recognizer


@dataclass(frozen=True)
class Parts:
    """A model as exports see it. ``weights[i]`` is ``(inputs, outputs)``; the last
    layer's weights and bias are already divided by the temperature, so
    ``softmax(logits)`` is the model's calibrated probabilities."""

    version: str
    classes: list[str]
    none_index: int | None
    letters: list[str]
    letter_index: list[int]
    #: Per letter (``letters`` order): log p(letter) - log p(none) must exceed this.
    margins: list[float]
    temperature: float
    activation: str
    centers: bool
    weights: list[np.ndarray]
    biases: list[np.ndarray]

    @property
    def can_reject(self) -> bool:
        return self.none_index is not None

    @property
    def preprocessing(self) -> str:
        return "center" if self.centers else "none"

    def describe(self) -> dict[str, Any]:
        """The facts a model card and an export's metadata name."""
        return {"version": self.version, "classes": self.classes,
                "none_class": NONE_LABEL if self.can_reject else None,
                "letters": self.letters, "margins": dict(zip(self.letters, self.margins,
                                                             strict=True)),
                "temperature_in_weights": self.temperature, "activation": self.activation,
                "preprocessing": self.preprocessing,
                "layer_sizes": [self.weights[0].shape[0], *(W.shape[1] for W in self.weights)]}


def parts(entry: dict[str, Any]) -> Parts:
    """The ``Parts`` of a (validated) registry entry."""
    r = load_recognizer(entry)
    m = r.model
    T = float(m.temperature_)
    weights = [np.asarray(W, dtype=np.float64) for W in m.weights_]
    biases = [np.asarray(b, dtype=np.float64) for b in m.biases_]
    weights[-1], biases[-1] = weights[-1] / T, biases[-1] / T
    return Parts(version=entry["version"], classes=list(r.labels), none_index=r.none_index,
                 letters=list(r.letters),
                 letter_index=[i for i in range(len(r.labels)) if i != r.none_index],
                 margins=[float(m.none_margins_.get(c, 0.0)) for c in r.letters],
                 temperature=T, activation=m.hyperparameters["activation"],
                 centers=r.centers, weights=weights, biases=biases)
