"""The training recipe shared by the CLI, ``build.py`` and the browser worker:
make data, split, fit, evaluate, and describe the result for the registry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .data import check_template, make_dataset, train_val_split
from .metrics import evaluate
from .mlp import MLP, EpochCallback, check_hyperparameters

DATA_DEFAULTS: dict[str, Any] = {
    "n_samples": 3000,
    "clean_fraction": 0.1,
    "noise_min": 0.01,
    "noise_max": 0.30,
    "augment": 0.0,
    "augment_noise_max": 0.05,
    "validation_ratio": 0.2,
    "seed": 42,
}
MAX_SAMPLES = 200_000

#: The configuration of the pretrained default model (``build.py pretrain``).
DEFAULT_CONFIG: dict[str, dict[str, Any]] = {
    "data": {"n_samples": 40000, "augment": 0.5, "noise_max": 0.4},
    "hyperparameters": {"hidden_layer_sizes": [128], "activation": "relu",
                        "learning_rate": 0.05, "momentum": 0.9, "l2": 0.03},
}


def check_data_config(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """Validate data settings; return a normalized copy with defaults filled in."""
    unknown = set(cfg) - set(DATA_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown data setting(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(DATA_DEFAULTS)}")
    out = {**DATA_DEFAULTS, **cfg}
    for key, lo, hi, integer in (("n_samples", 10, MAX_SAMPLES, True),
                                 ("clean_fraction", 0, 1, False),
                                 ("noise_min", 0, 0.5, False), ("noise_max", 0, 0.5, False),
                                 ("augment", 0, 1, False), ("augment_noise_max", 0, 0.5, False),
                                 ("validation_ratio", 0.05, 0.5, False),
                                 ("seed", 0, 2**32 - 1, True)):
        v = out[key]
        if (isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v)
                or (integer and not float(v).is_integer()) or not lo <= v <= hi):
            kind = "an integer" if integer else "a number"
            raise ValueError(f"{key} must be {kind} from {lo} to {hi}, got {v!r}")
        out[key] = int(v) if integer else float(v)
    if out["noise_min"] > out["noise_max"]:
        raise ValueError("noise_min must not exceed noise_max")
    return out


@dataclass
class TrainResult:
    """A fitted model with what the registry records about it."""

    model: MLP
    accuracy: float
    metrics: dict[str, Any]
    dataset_info: dict[str, Any]


def train_model(
    hyperparameters: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    *,
    templates: Mapping[str, Any] | None = None,
    samples: tuple[Any, Any] | None = None,
    callback: EpochCallback | None = None,
) -> TrainResult:
    """Generate synthetic letters (plus optional user ``samples`` as ``(X, y)``), split,
    fit an ``MLP`` and evaluate it on the validation split."""
    hp = check_hyperparameters(dict(hyperparameters or {}))
    cfg = check_data_config(data or {})
    if templates is not None:
        templates = {k: check_template(k, v) for k, v in templates.items()}
    X, y = make_dataset(cfg["n_samples"], templates=templates,
                        clean_fraction=cfg["clean_fraction"],
                        noise_range=(cfg["noise_min"], cfg["noise_max"]),
                        augment=cfg["augment"], augment_noise_max=cfg["augment_noise_max"],
                        seed=cfg["seed"])
    n_user = 0
    if samples is not None:
        Xs = np.asarray(samples[0], dtype=np.float64).reshape(-1, X.shape[1])
        ys = np.asarray(samples[1]).astype(y.dtype if y.dtype.kind == "U" else str)
        X, y, n_user = np.vstack([X, Xs]), np.concatenate([y.astype(str), ys]), len(ys)
    X_tr, X_val, y_tr, y_val = train_val_split(X, y, validation_ratio=cfg["validation_ratio"],
                                               seed=cfg["seed"])
    model = MLP(**hp).fit(X_tr, y_tr, X_val=X_val, y_val=y_val, callback=callback)
    metrics = evaluate(y_val, model.predict(X_val), labels=model.classes_)
    dataset_info = {**cfg, "train_samples": len(y_tr), "val_samples": len(y_val),
                    "user_samples": n_user, "classes": [str(c) for c in model.classes_]}
    return TrainResult(model, metrics["accuracy"], metrics, dataset_info)
