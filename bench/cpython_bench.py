"""CPython measurements: our MLP against scikit-learn's MLPClassifier on the same letter
data, architecture, optimizer and stopping rule, and the default model's accuracy by noise.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlp_core import MLP, make_dataset, registry  # noqa: E402
from mlp_core.data.heldout import open_set_report  # noqa: E402
from mlp_core.model.calibration import expected_calibration_error  # noqa: E402
from mlp_core.model.network import check_hyperparameters, softmax  # noqa: E402
from mlp_core.registry import store  # noqa: E402
from mlp_core.training.train import (  # noqa: E402
    DEFAULT_CONFIG,
    check_data_config,
    dataset,
    train_model,
)

NOISE_LEVELS = (0.0, 0.1, 0.2, 0.3, 0.4)


def letter_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The default preset's data (60,000 drawings: b, d, f and as many non-letters, from
    handwriting, fonts and generated letters by the preset's shares; training writers and
    font families)."""
    return dataset(check_data_config(DEFAULT_CONFIG["data"]), seed=seed)


def compare_with_sklearn(runs: int) -> dict:
    """Both fit the same 60,000 drawings of the default preset: 100-128-4 ReLU, SGD with
    momentum 0.9 (no Nesterov), the preset's learning rate (0.08), batch (64) and L2
    (0.03), its budget of ``max_epochs`` (5) epochs and the same stopping rule within it:
    stop when the training loss has not improved by 1e-6 for 10 epochs.

    The preset lowers the learning rate by ``learning_rate_decay`` each epoch;
    scikit-learn has no such schedule (``invscaling`` decays by samples seen, ``adaptive``
    on a plateau), so both keep it constant here (decay 1): the comparison is of the
    trainers on the recipe's data and network, not of the recipe's schedule.

    scikit-learn stops once its no-improvement count *exceeds* ``n_iter_no_change``, so
    ``n_iter_no_change=patience - 1`` is the same rule as mlp_core's ``patience``.
    Each run uses another seed for both; accuracy varies by ~0.8 points between seeds.
    """
    from sklearn.neural_network import MLPClassifier

    hp = {**DEFAULT_CONFIG["hyperparameters"], "learning_rate_decay": 1.0}
    full = check_hyperparameters(hp)
    patience = full["patience"]
    X, y = letter_data(seed=1)
    X_test, y_test = letter_data(seed=2)
    ours, theirs, ours_acc, theirs_acc, ours_epochs, theirs_epochs = [], [], [], [], [], []
    curves = {}
    for run in range(runs):
        m = MLP(**hp, validation_fraction=0.0, seed=run)
        t = time.perf_counter()
        m.fit(X, y)
        ours.append(time.perf_counter() - t)
        ours_acc.append(m.score(X_test, y_test))
        ours_epochs.append(len(m.history_["train_loss"]))
        s = MLPClassifier(hidden_layer_sizes=tuple(hp["hidden_layer_sizes"]),
                          activation="relu", solver="sgd", learning_rate="constant",
                          learning_rate_init=hp["learning_rate"], momentum=hp["momentum"],
                          nesterovs_momentum=False, batch_size=full["batch_size"],
                          alpha=hp["l2"], max_iter=full["max_epochs"],
                          tol=full["tolerance"], n_iter_no_change=patience - 1,
                          early_stopping=False, shuffle=True, random_state=run)
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter
            s.fit(X, y)
        theirs.append(time.perf_counter() - t)
        theirs_acc.append(s.score(X_test, y_test))
        theirs_epochs.append(s.n_iter_)
        if run == 0:
            curves = {"mlp_core": m.history_["train_loss"], "sklearn": list(s.loss_curve_)}
    return {
        "fit_seconds": statistics.median(ours), "accuracy": statistics.median(ours_acc),
        "sklearn_fit_seconds": statistics.median(theirs),
        "sklearn_accuracy": statistics.median(theirs_acc),
        "accuracy_difference": accuracy_difference(ours_acc, theirs_acc),
        "samples": {"fit_seconds": ours, "sklearn_fit_seconds": theirs,
                    "accuracy": ours_acc, "sklearn_accuracy": theirs_acc,
                    "epochs": ours_epochs, "sklearn_epochs": theirs_epochs},
        "loss_curves": curves,
    }


def accuracy_difference(ours: list[float], theirs: list[float]) -> dict[str, float]:
    """Mean accuracy difference (ours - theirs) over independent seeds and its standard
    error: "equal" for two stochastic trainers means a difference within ~2 SE of 0."""
    diff = statistics.fmean(ours) - statistics.fmean(theirs)
    se = (statistics.variance(ours) / len(ours)
          + statistics.variance(theirs) / len(theirs)) ** 0.5
    return {"mean": diff, "standard_error": se}


def _default_recognizer():
    return registry.load_recognizer(registry.get_production(store.read_registry(
        store.DEFAULT_BUNDLE)))


def accuracy_by_noise(n: int = 6000) -> dict[str, dict[str, float]]:
    """The committed default model on fresh test sets where every pixel flips at p:
    ``plain`` reads the top letter, ``with_rejection`` counts "none of these" as wrong."""
    rec = _default_recognizer()
    plain, rejecting = {}, {}
    for p in NOISE_LEVELS:
        X, y = make_dataset(n, clean_fraction=0.0, noise_range=(p, p), seed=1000)
        letters, recognized, _ = rec.predict_many(X)
        plain[str(p)] = float(np.mean(letters == y))
        rejecting[str(p)] = float(np.mean(recognized & (letters == y)))
    return {"plain": plain, "with_rejection": rejecting}


def open_set() -> dict[str, float]:
    """The default model on the held-out drawings (``mlp_core.data.heldout``), and its
    expected calibration error on a fresh test set of its own data recipe (seed 2),
    with the stored temperature and without it (T = 1)."""
    rec = _default_recognizer()
    report = open_set_report(rec)
    X, y = dataset(check_data_config(DEFAULT_CONFIG["data"]), seed=2)
    z = rec.model.logits(rec.prepare(X))
    yi = np.searchsorted(rec.model.classes_, y)
    return {**report, "temperature": rec.model.temperature_,
            "ece_uncalibrated": expected_calibration_error(softmax(z), yi),
            "ece": expected_calibration_error(softmax(z / rec.model.temperature_), yi)}


def default_training_seconds() -> float:
    """One run of the default training configuration (what the page's Train button
    starts): data, split, fit and evaluation."""
    t = time.perf_counter()
    train_model(DEFAULT_CONFIG["hyperparameters"], DEFAULT_CONFIG["data"])
    return time.perf_counter() - t
