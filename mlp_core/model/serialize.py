"""Model <-> JSON-safe dict. Loading trusts nothing: every field is checked.

JSON numbers are IEEE doubles, and Python writes floats with ``repr`` (shortest
round-trip form), so ``model_from_dict(model_to_dict(m))`` predicts bit-identically.
"""

from __future__ import annotations

import math
from itertools import chain, pairwise
from typing import Any

import numpy as np

from ..limits import MAX_CLASS_NAME, MAX_CLASSES, MAX_EPOCHS, MAX_PARAMETERS, NONE_LABEL
from ..messages import coded, unreadable_version, within
from .calibration import MARGIN_RANGE, T_RANGE
from .network import MLP, check_hyperparameters
from .preprocess import PREPROCESSING

FORMAT = "mlp_core/model"
FORMAT_VERSION = 1
HISTORY_KEYS = ("train_loss", "val_loss", "val_accuracy")
#: What ``calibration`` holds (``none_margins`` is optional: absent means 0 for every letter).
CALIBRATION_KEYS = ("temperature", "none_margins")


class ModelFormatError(ValueError):
    """A model dict is malformed; the message says which field and why."""


def model_to_dict(model: MLP, *, preprocessing: str = "none") -> dict[str, Any]:
    """Everything needed to rebuild ``model``, as plain lists, numbers and strings.

    ``none_class`` names the output that means "none of these letters" (``NONE_LABEL``
    when the model was trained on non-letters, else null: it cannot reject),
    ``calibration.temperature`` divides the logits before softmax,
    ``calibration.none_margins`` says, per letter, how far it must beat "none of these"
    (in log probability; a letter it leaves out, or a model made before it, has 0), and
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
        "calibration": dict(zip(CALIBRATION_KEYS, (
            float(model.temperature_),
            {str(k): float(v) for k, v in sorted(model.none_margins_.items())}), strict=True)),
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


def _array(value: Any, shape: tuple[int, ...], where: str) -> np.ndarray:
    """A finite float64 array of exactly ``shape`` from nested lists, or a clear error."""
    def wrong() -> Exception:  # made only when it is raised: loading is a hot path
        return coded(ModelFormatError, "weights", where=where, shape=str(shape))

    if not isinstance(value, list):
        raise wrong()
    try:
        arr = np.array(value)
    except ValueError:
        raise wrong() from None
    # numpy would turn "1" or true into numbers; only JSON numbers are weights. The leaf
    # types are collected by C loops (map/chain), not a Python loop over every weight.
    leaves = chain.from_iterable(value) if len(shape) == 2 else value
    if (arr.shape != shape or arr.dtype.kind not in "if"
            or not set(map(type, leaves)) <= {float, int}):
        raise wrong()
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise wrong()
    return arr


def _is_int(v: Any, low: int, high: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _failing(where: str):
    """A maker of ``ModelFormatError``: ``code`` at ``where`` + ``field``."""
    def fail(code: str, field: str = "", **params: Any) -> ModelFormatError:
        return coded(ModelFormatError, code, where=f"{where}{field}", **params)
    return fail


def _shape(data: Any, where: str) -> tuple[dict[str, Any], list[str], list[int]]:
    """The format, hyperparameters, classes and layer sizes, checked against each other:
    returns ``(hyperparameters, classes, layer_sizes)``."""
    fail = _failing(where)
    if not isinstance(data, dict):
        raise fail("field_object")
    if data.get("format") != FORMAT:
        raise fail("not_model", found=repr(data.get("format")), expected=repr(FORMAT))
    if data.get("format_version") != FORMAT_VERSION:
        raise unreadable_version(ModelFormatError, f"{where}.format_version", FORMAT_VERSION,
                                 data.get("format_version"))
    hp = data.get("hyperparameters")
    if not isinstance(hp, dict):
        raise fail("field_object", ".hyperparameters")
    try:
        hp = check_hyperparameters(hp)
    except ValueError as e:
        raise within(ModelFormatError, e, f"{where}.hyperparameters") from None
    classes = data.get("classes")
    if (not isinstance(classes, list) or not 2 <= len(classes) <= MAX_CLASSES
            or not all(isinstance(c, str) and 0 < len(c) <= MAX_CLASS_NAME for c in classes)
            or len(set(classes)) != len(classes) or classes != sorted(classes)):
        raise fail("classes", ".classes", limit=MAX_CLASSES)
    arch = data.get("architecture")
    if not isinstance(arch, dict):
        raise fail("field_object", ".architecture")
    sizes = arch.get("layer_sizes")
    if (not isinstance(sizes, list) or len(sizes) < 3
            or not all(_is_int(s, 1, MAX_PARAMETERS) for s in sizes)
            or tuple(sizes[1:-1]) != hp["hidden_layer_sizes"] or sizes[-1] != len(classes)):
        raise fail("layers", ".architecture.layer_sizes", classes=len(classes))
    if arch.get("activation") != hp["activation"] or arch.get("output") != "softmax":
        raise fail("architecture", ".architecture")
    n_params = sum(a * b + b for a, b in pairwise(sizes))
    if n_params > MAX_PARAMETERS:
        raise fail("too_many_parameters", count=n_params, limit=MAX_PARAMETERS)
    return hp, classes, sizes


def _history(data: dict[str, Any], where: str) -> dict[str, list[float]]:
    """The per-epoch history: each of ``HISTORY_KEYS`` a list of finite numbers."""
    fail = _failing(where)
    history = data.get("history", {})
    if not isinstance(history, dict):
        raise fail("field_object", ".history")
    out = {}
    for key in HISTORY_KEYS:
        values = history.get(key, [])
        if (not isinstance(values, list) or len(values) > MAX_EPOCHS
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           and math.isfinite(v) for v in values)):
            raise fail("field_numbers", f".history.{key}", limit=MAX_EPOCHS)
        out[key] = [float(v) for v in values]
    return out


def _training(data: dict[str, Any], where: str) -> tuple[int, str, float]:
    """How the training ended: ``(best_epoch, stop_reason, fit_seconds)``."""
    fail = _failing(where)
    training = data.get("training", {})
    if not isinstance(training, dict):
        raise fail("field_object", ".training")
    best_epoch = training.get("best_epoch", 0)
    stop_reason = training.get("stop_reason", "")
    fit_seconds = training.get("fit_seconds", 0.0)
    if not _is_int(best_epoch, 0, MAX_EPOCHS):
        raise fail("field_integer", ".training.best_epoch", min=0, max=MAX_EPOCHS)
    if not (isinstance(stop_reason, str) and len(stop_reason) <= 32):
        raise fail("field_text", ".training.stop_reason", limit=32)
    if not (isinstance(fit_seconds, int | float) and not isinstance(fit_seconds, bool)
            and math.isfinite(fit_seconds) and 0 <= fit_seconds <= 1e7):
        raise fail("field_number", ".training.fit_seconds", min=0, max=10**7)
    return best_epoch, stop_reason, float(fit_seconds)


def model_from_dict(data: Any, where: str = "model") -> MLP:
    """Rebuild an ``MLP`` from ``model_to_dict`` output, validating every field.

    Raises ``ModelFormatError`` (a ``ValueError``) that names the first problem found,
    at its place under ``where``.
    """
    fail = _failing(where)
    hp, classes, sizes = _shape(data, where)
    weights, biases = data.get("weights"), data.get("biases")
    for name, value in (("weights", weights), ("biases", biases)):
        if not isinstance(value, list) or len(value) != len(sizes) - 1:
            raise fail("field_layers", f".{name}", count=len(sizes) - 1)
    model = MLP(**hp)
    model.classes_ = np.array(classes)
    model.n_features_in_ = sizes[0]
    model.weights_ = [_array(w, (a, b), f"{where}.weights[{i}]")
                      for i, (w, a, b) in enumerate(zip(weights, sizes[:-1], sizes[1:],
                                                        strict=True))]
    model.biases_ = [_array(v, (b,), f"{where}.biases[{i}]")
                     for i, (v, b) in enumerate(zip(biases, sizes[1:], strict=True))]
    model.history_ = _history(data, where)
    model.best_epoch_, model.stop_reason_, fit_seconds = _training(data, where)
    none_class = data.get("none_class")
    if none_class is not None and (none_class != NONE_LABEL or none_class not in classes):
        raise fail("none_class", ".none_class", name=NONE_LABEL)
    calibration = data.get("calibration", {"temperature": 1.0})
    temperature = calibration.get("temperature") if isinstance(calibration, dict) else None
    if not (type(temperature) in (int, float)
            and T_RANGE[0] <= temperature <= T_RANGE[1]):
        raise fail("field_number", ".calibration.temperature", min=T_RANGE[0], max=T_RANGE[1])
    model.temperature_ = float(temperature)
    margins = calibration.get("none_margins", {})  # absent in models made before them
    if not isinstance(margins, dict):
        raise fail("field_object", ".calibration.none_margins")
    for letter, margin in margins.items():
        if letter not in classes or letter == none_class:
            raise fail("field_choice", ".calibration.none_margins",
                       choices=", ".join(c for c in classes if c != none_class))
        if not (type(margin) in (int, float) and MARGIN_RANGE[0] <= margin <= MARGIN_RANGE[1]):
            raise fail("field_number", f".calibration.none_margins.{letter}",
                       min=MARGIN_RANGE[0], max=MARGIN_RANGE[1])
    model.none_margins_ = {str(k): float(v) for k, v in margins.items()}
    if data.get("preprocessing", "none") not in PREPROCESSING:
        raise fail("field_choice", ".preprocessing", choices=", ".join(PREPROCESSING))
    model.fit_seconds_ = fit_seconds
    return model
