"""The Python side of the browser worker: JSON text in, JSON text out.

The worker keeps the registry's entries in IndexedDB (one record per model) and hands
them to ``App.load``; every change goes through ``App.mutate``, which returns the records
to write and delete. Python decides, JavaScript only stores. Everything here also runs on
CPython, where the tests drive it exactly as the worker does.
"""

from __future__ import annotations

import json
from typing import Any

from . import registry
from .data import check_template, default_templates
from .registry import RegistryError
from .service import Service, validate_pattern
from .train import TrainResult, check_samples, train_steps

_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)  # built once: cheaper


def _dump(obj: Any) -> str:
    return _ENCODER.encode(obj)


class App:
    """The registry held by one worker, plus the prediction service over it."""

    def __init__(self) -> None:
        self.doc: registry.Document = registry.empty_registry()
        self.bad: list[dict[str, str]] = []
        self.service = Service(lambda: self.doc)
        self._training: Any = None  # the epoch generator of a training in progress
        self._trained: TrainResult | None = None  # finished, not yet registered
        self._models: dict[str, Any] = {}  # loaded recognizers for predict_all, by version

    # --- loading -------------------------------------------------------------------------

    def load(self, entries_json: str) -> str:
        """Adopt the stored entries. Damaged entries are set aside (listed in ``bad``)
        so that every intact model stays usable. Returns ``{"models", "bad"}``."""
        entries = json.loads(entries_json)
        good, bad = [], []
        for i, entry in enumerate(entries):
            try:
                good.append(registry.validate_entry(entry, f"stored model {i + 1}"))
            except RegistryError as e:
                version = entry.get("version") if isinstance(entry, dict) else None
                bad.append({"index": i, "version": str(version), "error": str(e)})
        good.sort(key=lambda e: e["created_at"])
        try:
            self.doc = registry.validate({"schema_version": registry.SCHEMA_VERSION,
                                          "models": good})
        except RegistryError as e:  # e.g. two production flags written by a bad edit
            bad.append({"index": None, "version": "*", "error": str(e)})
            self.doc = {"schema_version": registry.SCHEMA_VERSION,
                        "models": [{**m, "is_production": False} for m in good]}
        self.bad = bad
        self._models.clear()
        self.service.reload()
        return _dump({"models": len(self.doc["models"]), "bad": bad})

    @staticmethod
    def bundle_entries(bundle_text: str) -> str:
        """Validate a bundle (e.g. the default one) and return its entries as JSON."""
        return _dump(registry.loads(bundle_text)["models"])

    # --- queries -------------------------------------------------------------------------

    @staticmethod
    def echo(text: str) -> str:
        """A no-op: the floor of a worker round trip through Python (for benchmarks)."""
        return text

    def predict(self, pattern_json: str) -> str:
        return _dump(self.service.predict(json.loads(pattern_json)))

    def predict_bits(self, bits: str) -> str:
        """``predict`` for the compact form: 100 characters "0" or "1", row-major."""
        return _dump(self.service.predict_bits(bits))

    def predict_all(self, pattern_json: str) -> str:
        """The drawing through every model, in registry order: ``[{"version", "letter",
        "recognized", "confidence", "probabilities", "none_probability"}]``; a model
        that cannot read a 10x10 drawing appears with ``error`` saying why."""
        x = validate_pattern(json.loads(pattern_json))
        out = []
        for entry in self.doc["models"]:
            version = entry["version"]
            if version not in self._models:
                self._models[version] = registry.load_recognizer(entry)
            recognizer = self._models[version]
            if recognizer.n_features != x.shape[0]:
                out.append({"version": version, "error": f"this model reads "
                            f"{recognizer.n_features} inputs, not a 10x10 drawing"})
                continue
            out.append({"version": version, **recognizer.predict_one(x)})
        return _dump(out)

    def model_info(self) -> str:
        return _dump(self.service.model_info())

    def health(self) -> str:
        return _dump({**self.service.health(), "models": len(self.doc["models"]),
                      "bad_entries": len(self.bad)})

    def list(self) -> str:
        return _dump(registry.list_models(self.doc))

    def get(self, version: str) -> str:
        return _dump(registry.get(self.doc, version))

    def export(self, versions_json: str = "null") -> str:
        return _dump(registry.export_bundle(self.doc, json.loads(versions_json)))

    # --- the person's own data -----------------------------------------------------------

    @staticmethod
    def templates() -> str:
        """The built-in letters and their templates: ``[{"letter", "template"}]``."""
        return _dump([{"letter": k, "template": v.ravel().astype(int).tolist()}
                      for k, v in sorted(default_templates().items())])

    @staticmethod
    def check_sample(sample_json: str, letters_json: str) -> str:
        """A drawn example ``{"label", "pattern"}`` checked against the known letters;
        returns it normalized (pattern as 100 ints)."""
        X, y = check_samples([json.loads(sample_json)], json.loads(letters_json))
        return _dump({"label": str(y[0]), "pattern": X[0].astype(int).tolist()})

    @staticmethod
    def check_class(class_json: str, letters_json: str) -> str:
        """A new letter ``{"letter", "template"}``: a fresh name and a drawable template."""
        c = json.loads(class_json)
        letter = c.get("letter") if isinstance(c, dict) else None
        if isinstance(letter, str):
            letter = letter.strip()
        if letter in json.loads(letters_json):
            raise ValueError(f"there is already a letter called {letter!r}")
        template = check_template(letter, validate_pattern(c.get("template")))
        return _dump({"letter": letter, "template": template.ravel().astype(int).tolist()})

    # --- training ------------------------------------------------------------------------

    def start_training(self, config_json: str) -> str:
        """Check a training configuration and get ready to train one epoch per
        ``train_step``. Config: ``{"hyperparameters", "data", "templates": {letter:
        pattern}, "samples": [{"label", "pattern"}]}``."""
        config = json.loads(config_json)
        unknown = set(config) - {"hyperparameters", "data", "templates", "samples"}
        if unknown:
            raise ValueError(f"unknown training setting(s): {', '.join(sorted(unknown))}")
        self._training = train_steps(config.get("hyperparameters"), config.get("data"),
                                     templates=config.get("templates"),
                                     samples=config.get("samples"))
        self._trained = None
        return _dump({"started": True})

    def train_step(self) -> str:
        """Train one epoch: ``{"epoch", "train_loss", ...}``, or, after the last one,
        ``{"done": true, "accuracy", "metrics", "dataset_info", "history", ...}``."""
        if self._training is None:
            raise RuntimeError("no training in progress: start one first")
        try:
            return _dump(next(self._training))
        except StopIteration as finished:
            self._training, self._trained = None, finished.value
            result = finished.value
            return _dump({"done": True, "accuracy": result.accuracy, "metrics": result.metrics,
                          "dataset_info": result.dataset_info,
                          "history": result.model.history_,
                          "epochs": len(result.model.history_["train_loss"]),
                          "stop_reason": result.model.stop_reason_})
        except BaseException:
            self._training = None
            raise

    def cancel_training(self) -> None:
        """Drop the training in progress (or the trained, unregistered model)."""
        if self._training is not None:
            self._training.close()
        self._training = self._trained = None

    # --- changes -------------------------------------------------------------------------

    def mutate(self, op: str, args_json: str = "{}") -> str:
        """Apply one registry operation to the loaded registry.

        ``op`` is ``set_production`` (version), ``delete`` (version), ``import``
        (bundle: JSON text or object), ``register`` (the model ``train_step`` just
        finished; promote: bool), ``repair`` (make sure there is a production model) or
        ``reset`` (bundle: replaces every model). Returns
        ``{"result", "put", "removed"}``: the records the worker must write and the
        versions it must delete, in one transaction.
        """
        args = json.loads(args_json)
        before = {e["version"]: e for e in self.doc["models"]}
        if op == "set_production":
            doc, result = registry.set_production(self.doc, args["version"]), {
                "production": args["version"]}
        elif op == "delete":
            doc, result = registry.delete(self.doc, args["version"]), {
                "deleted": args["version"]}
        elif op == "import":
            doc, result = registry.import_bundle(self.doc, args["bundle"])
        elif op == "register":
            if self._trained is None:
                raise RegistryError("there is no trained model to register: train one first")
            t = self._trained
            doc, entry = registry.register(self.doc, t.model_dict(), accuracy=t.accuracy,
                                           metrics=t.metrics, dataset_info=t.dataset_info,
                                           promote=bool(args.get("promote")))
            self._trained, result = None, registry.summary(entry)
        elif op == "repair":  # after damaged records are dropped: keep one production model
            doc, result = self.doc, {"promoted": None}
            if doc["models"] and not any(e["is_production"] for e in doc["models"]):
                newest = max(doc["models"], key=lambda e: e["created_at"])["version"]
                doc, result = registry.set_production(doc, newest), {"promoted": newest}
        elif op == "reset":
            doc, result = registry.import_bundle(registry.empty_registry(), args["bundle"])
        else:
            raise ValueError(f"unknown registry operation {op!r}")
        return _dump(self._commit(doc, before, result))

    def _commit(self, doc: registry.Document, before: dict[str, registry.Entry],
                result: Any) -> dict[str, Any]:
        after = {e["version"]: e for e in doc["models"]}
        put = [e for v, e in after.items() if before.get(v) is not e]
        removed = [v for v in before if v not in after]
        old_production = next((v for v, e in before.items() if e["is_production"]), None)
        self.doc = doc
        for version in removed:
            self._models.pop(version, None)
        if old_production is None or old_production not in after or not after[
                old_production]["is_production"]:
            self.service.reload()
        return {"result": result, "put": put, "removed": removed}
