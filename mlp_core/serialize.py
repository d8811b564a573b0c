"""Model <-> JSON-safe dict. Loading trusts nothing: every field is checked.

JSON numbers are IEEE doubles, and Python writes floats with ``repr`` (shortest
round-trip form), so ``model_from_dict(model_to_dict(m))`` predicts bit-identically.
"""

from __future__ import annotations

import math
from itertools import chain, pairwise
from typing import Any

import numpy as np

from .calibration import T_RANGE
from .data import NONE_LABEL
from .limits import MAX_CLASS_NAME, MAX_CLASSES, MAX_EPOCHS, MAX_PARAMETERS
from .mlp import MLP, check_hyperparameters
from .preprocess import PREPROCESSING

FORMAT = "mlp_core/model"
FORMAT_VERSION = 1
HISTORY_KEYS = ("train_loss", "val_loss", "val_accuracy")


class ModelFormatError(ValueError):
    """A model dict is malformed; the message says which field and why."""


def model_to_dict(model: MLP, *, preprocessing: str = "none") -> dict[str, Any]:
    """Everything needed to rebuild ``model``, as plain lists, numbers and strings.

    ``none_class`` names the output that means "none of these letters" (``NONE_LABEL``
    when the model was trained on non-letters, else null: it cannot reject),
    ``calibration.temperature`` divides the logits before softmax, and
    ``preprocessing`` says what drawings go through before the network (``"center"``,
    or ``"none"``; models written before it existed have none).
    """
    if preprocessing not in PREPROCESSING:
        raise ValueError(f"preprocessing must be one of {PREPROCESSING}")
    model._check_fitted()
    hp = dict(model.hyperparameters)
    hp["hidden_layer_sizes"] = list(hp["hidden_layer_sizes"])
    classes = [str(c) for c in model.classes_]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "classes": classes,
        "none_class": NONE_LABEL if NONE_LABEL in classes else None,
        "calibration": {"temperature": float(model.temperature_)},
        "preprocessing": preprocessing,
        "hyperparameters": hp,
        "architecture": {"layer_sizes": model.layer_sizes,
                         "activation": hp["activation"], "output": "softmax"},
        "weights": [W.tolist() for W in model.weights_],
        "biases": [b.tolist() for b in model.biases_],
        "history": {k: [float(v) for v in model.history_.get(k, [])] for k in HISTORY_KEYS},
        "training": {"best_epoch": int(model.best_epoch_), "stop_reason": model.stop_reason_,
                     "fit_seconds": round(float(model.fit_seconds_), 4)},
    }


def _fail(msg: str) -> ModelFormatError:
    return ModelFormatError(f"invalid model: {msg}")


def _array(value: Any, shape: tuple[int, ...], name: str) -> np.ndarray:
    """A finite float64 array of exactly ``shape`` from nested lists, or a clear error."""
    if not isinstance(value, list):
        raise _fail(f"{name} must be a list, got {type(value).__name__}")
    try:
        arr = np.array(value)
    except ValueError:
        raise _fail(f"{name} has shape other than {shape}") from None
    if arr.shape != shape:
        raise _fail(f"{name} has shape {arr.shape}, expected {shape}")
    # numpy would turn "1" or true into numbers; only JSON numbers are weights. The leaf
    # types are collected by C loops (map/chain), not a Python loop over every weight.
    leaves = chain.from_iterable(value) if len(shape) == 2 else value
    if arr.dtype.kind not in "if" or not set(map(type, leaves)) <= {float, int}:
        raise _fail(f"{name} must be a (nested) list of numbers")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise _fail(f"{name} contains NaN or infinite values")
    return arr


def model_from_dict(data: Any) -> MLP:
    """Rebuild an ``MLP`` from ``model_to_dict`` output, validating every field.

    Raises ``ModelFormatError`` (a ``ValueError``) that names the first problem found.
    """
    if not isinstance(data, dict):
        raise _fail(f"expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise _fail(f"'format' must be {FORMAT!r}, got {data.get('format')!r}")
    if data.get("format_version") != FORMAT_VERSION:
        raise _fail(f"unsupported format_version {data.get('format_version')!r} "
                    f"(this version reads {FORMAT_VERSION})")
    hp = data.get("hyperparameters")
    if not isinstance(hp, dict):
        raise _fail("'hyperparameters' must be an object")
    try:
        hp = check_hyperparameters(hp)
    except ValueError as e:
        raise _fail(str(e)) from None
    classes = data.get("classes")
    if (not isinstance(classes, list) or not 2 <= len(classes) <= MAX_CLASSES
            or not all(isinstance(c, str) and 0 < len(c) <= MAX_CLASS_NAME for c in classes)):
        raise _fail(f"'classes' must be 2 to {MAX_CLASSES} non-empty strings of at most "
                    f"{MAX_CLASS_NAME} characters")
    if len(set(classes)) != len(classes) or classes != sorted(classes):
        raise _fail("'classes' must be unique and sorted")
    arch = data.get("architecture")
    if not isinstance(arch, dict):
        raise _fail("'architecture' must be an object")
    sizes = arch.get("layer_sizes")
    if (not isinstance(sizes, list) or len(sizes) < 3
            or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 1
                       for s in sizes)):
        raise _fail("architecture.layer_sizes must be a list of at least 3 positive integers")
    if tuple(sizes[1:-1]) != hp["hidden_layer_sizes"]:
        raise _fail(f"architecture.layer_sizes {sizes} disagree with hidden_layer_sizes "
                    f"{list(hp['hidden_layer_sizes'])}")
    if sizes[-1] != len(classes):
        raise _fail(f"output layer has {sizes[-1]} units but there are {len(classes)} classes")
    if arch.get("activation") != hp["activation"] or arch.get("output") != "softmax":
        raise _fail("architecture.activation must equal hyperparameters.activation and "
                    "architecture.output must be 'softmax'")
    n_params = sum(a * b + b for a, b in pairwise(sizes))
    if n_params > MAX_PARAMETERS:
        raise _fail(f"{n_params} parameters exceed the limit of {MAX_PARAMETERS}")
    weights, biases = data.get("weights"), data.get("biases")
    if not isinstance(weights, list) or not isinstance(biases, list) or not (
            len(weights) == len(biases) == len(sizes) - 1):
        raise _fail(f"'weights' and 'biases' must be lists of {len(sizes) - 1} layers")
    model = MLP(**hp)
    model.classes_ = np.array(classes)
    model.n_features_in_ = sizes[0]
    model.weights_ = [_array(w, (a, b), f"weights[{i}]")
                      for i, (w, a, b) in enumerate(zip(weights, sizes[:-1], sizes[1:],
                                                        strict=True))]
    model.biases_ = [_array(v, (b,), f"biases[{i}]")
                     for i, (v, b) in enumerate(zip(biases, sizes[1:], strict=True))]
    history = data.get("history", {})
    if not isinstance(history, dict):
        raise _fail("'history' must be an object")
    model.history_ = {}
    for key in HISTORY_KEYS:
        values = history.get(key, [])
        if (not isinstance(values, list) or len(values) > MAX_EPOCHS
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           and math.isfinite(v) for v in values)):
            raise _fail(f"history.{key} must be a list of at most {MAX_EPOCHS} finite numbers")
        model.history_[key] = [float(v) for v in values]
    training = data.get("training", {})
    if not isinstance(training, dict):
        raise _fail("'training' must be an object")
    best_epoch = training.get("best_epoch", 0)
    stop_reason = training.get("stop_reason", "")
    fit_seconds = training.get("fit_seconds", 0.0)
    if not (isinstance(best_epoch, int) and not isinstance(best_epoch, bool)
            and 0 <= best_epoch <= MAX_EPOCHS):
        raise _fail(f"training.best_epoch must be an integer from 0 to {MAX_EPOCHS}")
    if not (isinstance(stop_reason, str) and len(stop_reason) <= 32):
        raise _fail("training.stop_reason must be a string of at most 32 characters")
    if not (isinstance(fit_seconds, int | float) and not isinstance(fit_seconds, bool)
            and math.isfinite(fit_seconds) and fit_seconds >= 0):
        raise _fail("training.fit_seconds must be a finite number >= 0")
    model.best_epoch_, model.stop_reason_ = best_epoch, stop_reason
    none_class = data.get("none_class")
    if none_class is not None and (none_class != NONE_LABEL or none_class not in classes):
        raise _fail(f"none_class must be null or {NONE_LABEL!r}, one of the classes")
    calibration = data.get("calibration", {"temperature": 1.0})
    temperature = calibration.get("temperature") if isinstance(calibration, dict) else None
    if not (type(temperature) in (int, float)
            and T_RANGE[0] <= temperature <= T_RANGE[1]):
        raise _fail(f"calibration.temperature must be a number from {T_RANGE[0]} to "
                    f"{T_RANGE[1]}")
    model.temperature_ = float(temperature)
    if data.get("preprocessing", "none") not in PREPROCESSING:
        raise _fail(f"preprocessing must be one of {', '.join(PREPROCESSING)}")
    model.fit_seconds_ = float(fit_seconds)
    return model
