"""The training recipe shared by the CLI, ``build.py`` and the browser worker:
make data, split, fit, evaluate, and describe the result for the registry."""

from __future__ import annotations

import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import settings
from ..data.examples import check_samples
from ..data.handwriting import handwriting_summary
from ..data.heldout import open_set_report
from ..data.sources import mix
from ..data.synthetic import check_template, default_templates
from ..limits import MAX_CLASSES, NONE_LABEL
from ..messages import coded
from ..model.calibration import (
    calibrated,
    choose_margins,
    expected_calibration_error,
    fit_temperature,
)
from ..model.metrics import evaluate
from ..model.network import MLP, EpochCallback, TrainingCancelled, check_hyperparameters
from ..model.preprocess import center
from ..model.recognizer import Recognizer
from ..model.serialize import model_to_dict
from ..model.split import train_val_split
from ..settings import DEFAULT_PRESET, PRESETS
from .lineage import data_sha256, lineage

#: What every drawing goes through before the network, in training and prediction.
PREPROCESSING = "center"
DEFAULT_SEED: int = settings.BY_NAME["seed"].default

#: The configuration of the pretrained default model (``build.py pretrain``).
DEFAULT_CONFIG: dict[str, dict[str, Any]] = PRESETS[DEFAULT_PRESET].config()


def check_data_config(cfg: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate data settings (``settings.SETTINGS``); return a normalized copy with
    defaults filled in."""
    return settings.check("data", cfg)


def dataset(cfg: Mapping[str, Any], templates: Mapping[str, Any] | None = None, *,
            seed: int = DEFAULT_SEED, role: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """``cfg["n_samples"]`` drawings, a share ``negatives`` of them none of the letters
    (labelled ``NONE_LABEL``), from every source of ``data.sources`` by its share; fonts
    and handwriting from families and writers in ``role``."""
    templates = default_templates() if templates is None else templates
    n_none = round(cfg["n_samples"] * cfg["negatives"])
    X, y, _ = mix(cfg["n_samples"] - n_none, n_none, templates, cfg,
                  np.random.default_rng([seed, 2]), seed=seed, role=role)
    return X, y


def validation_rows(cfg: Mapping[str, Any], templates: Mapping[str, Any], n_val: int,
                    seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_val`` rows from the *validation* families and writers of the sources that hold
    some out (none if their shares are 0), letters and other characters in the data's
    proportions, with their labels and characters: they choose the rejection margins."""
    n_none = round(n_val * cfg["negatives"])
    return mix(n_val - n_none, n_none, templates, cfg, np.random.default_rng([seed, 3]),
               seed=seed, role="validation", held_out_only=True)


#: The keys of a trained model's metrics (``describe``): a stored format.
METRICS_KEYS = ("accuracy", "correct", "total", "labels", "confusion_matrix", "per_class",
                "macro_f1", "calibration", "open_set", "handwriting")


@dataclass
class TrainResult:
    """A fitted model with what the registry records about it."""

    model: MLP
    accuracy: float
    metrics: dict[str, Any]
    dataset_info: dict[str, Any]
    lineage: dict[str, Any] = field(default_factory=dict)
    preprocessing: str = PREPROCESSING

    def model_dict(self) -> dict[str, Any]:
        """The model as the registry stores it (``serialize.model_to_dict``)."""
        return model_to_dict(self.model, preprocessing=self.preprocessing)


def train_steps(
    hyperparameters: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    *,
    templates: Mapping[str, Any] | None = None,
    samples: Any = None,
) -> Generator[dict[str, Any], None, TrainResult]:
    """The training recipe one epoch at a time: generate synthetic letters from the
    templates (default b, d, f, plus any given), add the person's ``samples``
    (``[{"label", "pattern", "split"?}]``; those with split "test" are checked but not
    trained on), split, then yield each epoch's info; the generator's return value is
    the ``TrainResult``. Settings are checked before it is returned.
    """
    started = time.perf_counter()
    hp = check_hyperparameters(dict(hyperparameters or {}))
    cfg = check_data_config(data or {})
    all_templates = letters(templates)
    X, y = dataset(cfg, all_templates, seed=hp["seed"])
    y = y.astype(str)
    Xs, ys = training_drawings(samples, all_templates)
    added = {k: v for k, v in all_templates.items() if k in (templates or {})}
    fingerprint = data_sha256(hp, cfg, added, Xs, ys)
    X, y = center(np.vstack([X, Xs])), np.concatenate([y, ys])
    if not hp["validation_fraction"]:
        raise coded(ValueError, "needs_validation")
    X_tr, X_val, y_tr, y_val = train_val_split(
        X, y, validation_fraction=hp["validation_fraction"], seed=hp["seed"])
    # Fonts of families held out of training: they choose the rejection margin.
    Xv, yv, cv = validation_rows(cfg, all_templates, len(y_val), hp["seed"])
    model = MLP(**hp)
    epochs = model.fit_epochs(X_tr, y_tr, X_val=X_val, y_val=y_val)

    def run() -> Generator[dict[str, Any], None, TrainResult]:
        yield from epochs
        info = {**cfg, "seed": hp["seed"], "train_samples": len(y_tr)}
        return describe(model, X_val, y_val, info, user_samples=len(ys), added=added,
                        lineage=lineage(fingerprint, time.perf_counter() - started),
                        rejection_set=rejection_rows(X_val, y_val, (center(Xv), yv, cv)))

    return run()


def letters(templates: Mapping[str, Any] | None) -> dict[str, np.ndarray]:
    """The built-in letters' templates plus ``templates`` (letter -> pattern), checked."""
    out = default_templates()
    for letter, pattern in (templates or {}).items():
        out[letter] = check_template(letter, pattern)
    if len(out) > MAX_CLASSES:
        raise coded(ValueError, "too_many_letters", limit=MAX_CLASSES)
    return out


def training_drawings(samples: Any, known: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The person's drawings ``[{"label", "pattern", "split"?}]`` of the ``known``
    letters, checked; those with split "test" are left out: they judge models and are
    never trained on."""
    samples = samples if samples is not None else []
    Xs, ys = check_samples(samples, sorted(known))
    trained = np.array([s.get("split") != "test" for s in samples], dtype=bool)
    return Xs[trained], ys[trained]


def describe(model: MLP, X_val: np.ndarray, y_val: np.ndarray, info: dict[str, Any], *,
             user_samples: int, added: Mapping[str, Any], lineage: dict[str, Any],
             extra: Mapping[str, Any] | None = None,
             preprocessing: str = PREPROCESSING,
             rejection_set: tuple[np.ndarray, ...] | None = None
             ) -> TrainResult:
    """A trained ``model`` as the registry records it: metrics on validation (with
    calibration, which sets the model's temperature, and the held-out open-set report),
    and its data (``info``, plus counts, classes, ``extra`` and the ``added`` letters'
    templates). ``rejection_set`` (prepared drawings, labels and characters, from font
    families held out of training) sets the model's rejection margins; without it they
    are 0."""
    metrics = evaluate(y_val, model.predict(X_val), labels=model.classes_)
    metrics["calibration"] = calibrate(model, X_val, y_val)
    model.none_margins_ = rejection_margins(model, *rejection_set) if rejection_set else {}
    metrics["calibration"]["none_margins"] = dict(model.none_margins_)
    recognizer = recognizer_of(model, preprocessing)
    metrics["open_set"] = open_set_report(recognizer)
    metrics["handwriting"] = handwriting_summary(recognizer)
    dataset_info = {**info, "val_samples": len(y_val), "user_samples": user_samples,
                    "classes": [str(c) for c in model.classes_ if c != NONE_LABEL],
                    **(extra or {})}
    if added:
        dataset_info["templates"] = {k: np.asarray(v).astype(int).ravel().tolist()
                                     for k, v in added.items()}
    return TrainResult(model, metrics["accuracy"], metrics, dataset_info, lineage,
                       preprocessing)


def calibrate(model: MLP, X_val: np.ndarray, y_val: np.ndarray) -> dict[str, float]:
    """Fit ``model.temperature_`` on validation data; returns the temperature and the
    expected calibration error on that data before and after."""
    z = model.logits(X_val)
    y = np.searchsorted(model.classes_, y_val)
    before = expected_calibration_error(calibrated(z, 1.0), y)
    model.temperature_ = fit_temperature(z, y)
    after = expected_calibration_error(calibrated(z, model.temperature_), y)
    return {"temperature": model.temperature_, "ece_before": before, "ece_after": after}


#: The most a rejection margin may cost the validation split's letters (generated and the
#: person's own): they are what people draw, so they give up less than font letters.
SPLIT_LETTER_LOSS = 0.005


def rejection_rows(X_val: np.ndarray, y_val: np.ndarray,
                   fonts: tuple[np.ndarray, np.ndarray, np.ndarray]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """What chooses the rejection margins: the held-out font rows (letters and other
    characters) plus the validation split's letters (generated, noisy, the person's), so
    that a margin does not buy rejection with the letters people draw; and each row's
    group (0 fonts, 1 the split). None without fonts."""
    X, y, chars = fonts
    if not len(y):
        return None
    mine = y_val != NONE_LABEL
    return (np.vstack([X, X_val[mine]]), np.concatenate([y, y_val[mine]]),
            np.concatenate([chars, y_val[mine]]),
            np.concatenate([np.zeros(len(y), dtype=int), np.ones(int(mine.sum()), dtype=int)]))


def rejection_margins(model: MLP, X: np.ndarray, y: np.ndarray, chars: np.ndarray,
                      group: np.ndarray | None = None) -> dict[str, float]:
    """Per-letter margins (``calibration.choose_margins``) on prepared held-out drawings
    ``X`` with labels ``y`` (letters and ``NONE_LABEL``) and characters ``chars``; none
    if the model cannot reject."""
    labels = [str(c) for c in model.classes_]
    if NONE_LABEL not in labels or not len(y):
        return {}
    log_p = np.log(np.maximum(model.predict_proba(X), 1e-300))
    none = labels.index(NONE_LABEL)
    letters = [c for c in labels if c != NONE_LABEL]
    cols = [labels.index(c) for c in letters]
    best = log_p[:, cols].argmax(axis=1)
    margin = log_p[np.arange(len(y)), np.array(cols)[best]] - log_p[:, none]
    truth = np.array([letters.index(c) if c in letters else -1 for c in np.asarray(y)])
    margins = choose_margins(margin, best, truth, np.asarray(chars), len(letters), group,
                             max_loss={1: SPLIT_LETTER_LOSS})
    return {c: float(m) for c, m in zip(letters, margins, strict=True) if m}


def recognizer_of(model: MLP, preprocessing: str = PREPROCESSING) -> Recognizer:
    """A trained model as a ``Recognizer`` (it rejects if it was trained on
    non-letters)."""
    return Recognizer(model, NONE_LABEL if NONE_LABEL in model.classes_ else None,
                      preprocessing)


def train_model(
    hyperparameters: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    *,
    templates: Mapping[str, Any] | None = None,
    samples: Any = None,
    callback: EpochCallback | None = None,
) -> TrainResult:
    """``train_steps`` run to the end. ``callback`` gets each epoch's info; returning
    ``False`` raises ``TrainingCancelled``."""
    steps = train_steps(hyperparameters, data, templates=templates, samples=samples)
    while True:
        try:
            info = next(steps)
        except StopIteration as done:
            return done.value
        if callback is not None and callback(info) is False:
            steps.close()
            raise TrainingCancelled(f"training cancelled at epoch {info['epoch']}")
