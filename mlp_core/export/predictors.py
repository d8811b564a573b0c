"""A model as one dependency-free file: a Python module or a JavaScript ES module.

Both are templates in ``shipped/`` (real, linted, tested code) with one line that stands
for the model; the export writes the model's numbers there. The weights travel as
float64, so either file answers as ``mlp_core`` does, to about 1e-15.
"""

from __future__ import annotations

import base64
import json
from importlib import resources
from typing import Any

import numpy as np

from .parts import Parts

#: The template line each file's model replaces.
_PLACEHOLDERS = {"letter_predictor.py": "MODEL = None  # the export writes the model here",
                 "letter-predictor.js": "const MODEL = null; // the export writes the model here"}


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def model_numbers(p: Parts) -> dict[str, Any]:
    """What the predictors embed: names, the decision rule and every layer's weights
    (per output unit, i.e. ``W.T`` row-major) and biases, temperature included."""
    return {"version": p.version, "classes": p.classes, "none_index": p.none_index,
            "margins": dict(zip(p.letters, p.margins, strict=True)),
            "activation": p.activation, "preprocessing": p.preprocessing,
            "layers": [{"inputs": W.shape[0], "outputs": W.shape[1], "weights": _b64(W.T),
                        "bias": _b64(b)} for W, b in zip(p.weights, p.biases, strict=True)]}


def template(name: str) -> str:
    """A file of ``shipped/`` as text."""
    return resources.files(__package__).joinpath("shipped", name).read_text("utf-8")


def _fill(name: str, line: str) -> bytes:
    text = template(name)
    placeholder = _PLACEHOLDERS[name]
    if text.count(placeholder) != 1:
        raise RuntimeError(f"shipped/{name} must hold the line {placeholder!r} once")
    return text.replace(placeholder, line).encode("utf-8")


def to_python(p: Parts) -> bytes:
    """``letter_predictor.py`` with this model in it."""
    return _fill("letter_predictor.py", f"MODEL = {model_numbers(p)!r}")


def to_javascript(p: Parts) -> bytes:
    """``letter-predictor.js`` with this model in it."""
    return _fill("letter-predictor.js",
                 f"const MODEL = {json.dumps(model_numbers(p), separators=(',', ':'))};")
