"""Fine-tuning: a registered model trained further, from its own weights, on the person's
training drawings plus a small replay of synthetic letters so that it keeps what it knew.
A letter the model does not know grows its output layer; the hidden layers are kept."""

from __future__ import annotations

import time
from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from .. import settings
from ..data.synthetic import default_templates
from ..limits import GRID, N_PIXELS, NONE_LABEL
from ..messages import coded
from ..model.preprocess import center
from ..model.split import train_val_split
from ..registry import Entry, load_model
from .lineage import data_sha256, lineage
from .train import (
    TrainResult,
    check_data_config,
    dataset,
    describe,
    letters,
    rejection_rows,
    training_drawings,
    validation_rows,
)


def finetune_steps(parent: Entry, config: Mapping[str, Any] | None = None, *,
                   templates: Mapping[str, Any] | None = None,
                   samples: Any = None) -> Generator[dict[str, Any], None, TrainResult]:
    """Fine-tune the model of registry entry ``parent`` one epoch per ``next()``, like
    ``train.train_steps``; the result's lineage names ``parent`` as its parent.

    ``config`` holds the fine-tuning settings (``settings.FINETUNE``). The data are the
    person's ``samples`` of split "train" (each shown ``repeat`` times per epoch) and
    ``replay`` synthetic samples drawn as the parent's were (its data settings, its
    letters, the person's new letters in ``templates``). The rate is the parent's times
    ``learning_rate_scale``, kept constant: a parent's decay is fitted to its own
    epochs, and 0.5 over 15 epochs would leave the last ones nothing to learn with.
    Validation is a share of the replay only, so early stopping watches what the model
    already knew.
    """
    started = time.perf_counter()
    cfg = settings.check("finetune", config)
    model = load_model(parent)
    if model.n_features_in_ != N_PIXELS:
        raise coded(ValueError, "model_inputs", version=parent["version"],
                    count=model.n_features_in_, grid=GRID)
    known = [str(c) for c in model.classes_]
    preprocessing = parent["model"].get("preprocessing", "none")
    prepare = center if preprocessing == "center" else np.asarray  # as the parent saw them
    info = parent["dataset_info"]
    data = check_data_config({k: info[k] for k in settings.defaults("data") if k in info})
    data = {**data, "n_samples": cfg["replay"],
            "negatives": data["negatives"] if NONE_LABEL in known else 0.0}
    all_templates = letters({**info.get("templates", {}), **(templates or {})})
    hp = {**model.hyperparameters, "max_epochs": cfg["epochs"], "learning_rate_decay": 1.0,
          "learning_rate": model.hyperparameters["learning_rate"] * cfg["learning_rate_scale"]}
    X, y = dataset(data, all_templates, seed=hp["seed"])
    X_tr, X_val, y_tr, y_val = train_val_split(
        prepare(X), y.astype(str), validation_fraction=hp["validation_fraction"] or 0.2,
        seed=hp["seed"])
    # The rejection margins are chosen again, as in training, on held-out font families.
    Xv, yv, cv = validation_rows(data, all_templates, len(y_val), hp["seed"])
    Xs, ys = training_drawings(samples, all_templates)
    added = {k: v for k, v in all_templates.items() if k not in default_templates()}
    fingerprint = data_sha256({**hp, "finetune": cfg, "parent": parent["version"]}, data,
                              added, Xs, ys)
    X_tr = np.vstack([X_tr, np.repeat(prepare(Xs), cfg["repeat"], axis=0)])
    y_tr = np.concatenate([y_tr, np.repeat(ys, cfg["repeat"])])
    model.set_params(**{k: hp[k] for k in ("max_epochs", "learning_rate",
                                           "learning_rate_decay")})
    epochs = model.fine_tune_epochs(X_tr, y_tr, X_val=X_val, y_val=y_val)

    def run() -> Generator[dict[str, Any], None, TrainResult]:
        yield from epochs
        info = {**data, "seed": hp["seed"], "train_samples": len(y_tr)}
        return describe(model, X_val, y_val, info, user_samples=len(ys), added=added,
                        extra={"finetune": cfg},
                        lineage=lineage(fingerprint, time.perf_counter() - started,
                                        parent=parent["version"]),
                        preprocessing=preprocessing,
                        rejection_set=rejection_rows(X_val, y_val, (prepare(Xv), yv, cv)))

    return run()
