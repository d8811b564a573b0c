"""The serving facade: ``predict``, ``model_info`` and ``health`` over a registry.

This is the in-browser counterpart of the server era's ``POST /predict``,
``GET /model/info`` and ``GET /health``. It gets its registry from a callable, so the
same code serves a file on CPython and IndexedDB in the browser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import registry
from ..data.drawing import parse_bits, validate_pattern
from ..data.heldout import open_set_report
from ..limits import GRID, N_PIXELS
from ..messages import coded, explain
from ..model.recognizer import Recognizer
from .evaluation import evaluate_drawings
from .gate import compare


def as_bits(x: np.ndarray) -> str:
    """A checked drawing (``validate_pattern``) in the compact form ``predict_bits``
    reads."""
    return (x.astype(np.uint8) + ord("0")).tobytes().decode("ascii")


class Service:
    """Predictions, model info and health over the registry ``get_registry`` returns.

    Every prediction goes one way: a drawing in its compact form through a model's
    ``Recognizer`` (loaded on first use and kept by version). Call ``reload()`` after
    the registry changes, so that the production model is looked up again.
    """

    def __init__(self, get_registry: Callable[[], registry.Document]) -> None:
        self._get_registry = get_registry
        self._production: registry.Entry | None = None
        self._recognizers: dict[str, Recognizer] = {}
        self._open_set: dict[str, dict[str, Any]] = {}

    def reload(self, removed: Iterable[str] = ()) -> None:
        """Look the production model up again on next use, and forget the loaded models
        of the ``removed`` versions (entries never change under one version)."""
        self._production = None
        for version in removed:
            self._recognizers.pop(version, None)
            self._open_set.pop(version, None)

    def _recognizer(self, entry: registry.Entry) -> Recognizer:
        version = entry["version"]
        if version not in self._recognizers:
            self._recognizers[version] = registry.load_recognizer(entry)
        return self._recognizers[version]

    def _load(self) -> tuple[registry.Entry, Recognizer]:
        if self._production is None:
            self._production = registry.get_production(self._get_registry())
        return self._production, self._recognizer(self._production)

    def _readable(self, entry: registry.Entry, keep: bool = True) -> Recognizer:
        """The entry's recognizer (kept loaded if ``keep``), or ``ValueError`` if it
        cannot read a drawing."""
        recognizer = self._recognizer(entry) if keep else registry.load_recognizer(entry)
        if recognizer.n_features != N_PIXELS:
            raise coded(ValueError, "model_inputs", version=entry["version"],
                        count=recognizer.n_features, grid=GRID)
        return recognizer

    def _answer(self, entry: registry.Entry, bits: str) -> dict[str, Any]:
        recognizer = self._readable(entry)
        out = recognizer.predict_prepared(parse_bits(bits, centered=recognizer.centers))
        out["model_version"] = entry["version"]
        return out

    def predict(self, pattern: Any) -> dict[str, Any]:
        """``{"letter", "recognized", "probabilities": {letter: p}, "none_probability",
        "confidence", "model_version"}``: ``recognized`` is false when the drawing looks
        like none of the model's letters (``letter`` is then only the closest guess)."""
        return self.predict_bits(as_bits(validate_pattern(pattern)))

    def predict_bits(self, bits: str) -> dict[str, Any]:
        """``predict`` for the compact form, 100 characters "0" or "1" (row-major): the
        latency path (one NumPy call to read it, centering on the string)."""
        return self._answer(self._load()[0], bits)

    def predict_with_bits(self, version: str, bits: str) -> dict[str, Any]:
        """``predict_bits`` by model ``version`` rather than production (shadow mode)."""
        return self._answer(registry.get(self._get_registry(), version), bits)

    def predict_all(self, pattern: Any) -> list[dict[str, Any]]:
        """The drawing through every model, in registry order, each answer as
        ``predict``'s; a model that cannot read it is listed as ``{"model_version",
        "error"}``, the reason as ``messages.explain`` gives it."""
        return self.predict_all_bits(as_bits(validate_pattern(pattern)))

    def predict_all_bits(self, bits: str) -> list[dict[str, Any]]:
        """``predict_all`` for the compact form (as ``predict_bits``)."""
        parse_bits(bits)  # a bad drawing is one error, not one per model
        out = []
        for entry in self._get_registry()["models"]:
            try:
                out.append(self._answer(entry, bits))
            except ValueError as e:
                out.append({"model_version": entry["version"], "error": explain(e)})
        return out

    def evaluate(self, version: str | None, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
        """The model ``version`` (default: production) on drawings ``X`` labelled ``y``:
        ``{"version", "validation": {"accuracy", "n"}, "test": evaluate_drawings(...)}``."""
        entry = registry.get(self._get_registry(), version) if version else self._load()[0]
        return self.evaluate_entry(entry, X, y)

    def evaluate_entry(self, entry: registry.Entry, X: np.ndarray, y: np.ndarray, *,
                       registered: bool = True) -> dict[str, Any]:
        """``evaluate`` for an entry; one not ``registered`` yet is not kept loaded."""
        recognizer = self._readable(entry) if registered else registry.load_recognizer(entry)
        validation = {"accuracy": entry["accuracy"],
                      "n": entry["dataset_info"].get("val_samples")}
        return {"version": entry["version"], "validation": validation,
                "test": evaluate_drawings(recognizer, X, y)}

    def gate(self, challenger: str | registry.Entry, X: np.ndarray,
             y: np.ndarray) -> dict[str, Any]:
        """Production against ``challenger`` (a registered version, or an entry not
        registered yet, which is not kept loaded) on test drawings ``X`` labelled ``y``:
        ``gate.compare``."""
        champion = self._load()[0]
        entry = (registry.get(self._get_registry(), challenger)
                 if isinstance(challenger, str) else challenger)
        return compare((champion, self._readable(champion)),
                       (entry, self._readable(entry, keep=isinstance(challenger, str))), X, y)

    def model_info(self) -> dict[str, Any]:
        """Version, accuracy, created_at, hyperparameters, architecture, dataset_info,
        metrics and classes of the production model, how it rejects (``rejection``) and
        how it does on the held-out drawings (``open_set``)."""
        entry, recognizer = self._load()
        info = registry.summary(entry)
        del info["is_production"]
        version = entry["version"]
        if version not in self._open_set:  # measured when it was trained; older: now
            stored = entry["metrics"].get("open_set")
            self._open_set[version] = stored if isinstance(stored, dict) else (
                open_set_report(recognizer))
        info["rejection"] = recognizer.describe()
        info["open_set"] = self._open_set[version]
        return info

    def health(self) -> dict[str, Any]:
        """``{"status": "healthy"|"degraded", "model_loaded", "model_version"}``;
        when degraded, ``error`` says why (``messages.explain``)."""
        try:
            entry, _ = self._load()
        except (ValueError, OSError) as e:
            return {"status": "degraded", "model_loaded": False, "model_version": None,
                    "error": explain(e)}
        return {"status": "healthy", "model_loaded": True, "model_version": entry["version"]}
