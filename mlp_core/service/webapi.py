"""The Python side of the browser worker: JSON text in, JSON text out.

One method per call the worker makes (web/worker/handlers.js names them): each parses
its arguments, asks the registry served (``stored.StoredRegistry``: load, then plan →
commit → adopt), the prediction service or a checker, and returns JSON text. Python
decides, JavaScript only stores. Everything here also runs on CPython, where the tests
drive it exactly as the worker does.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from .. import data as data_package
from .. import registry, settings
from ..data import sources
from ..data.examples import check_new_letter, check_sample, check_split, drawings, with_splits
from ..data.synthetic import default_templates
from ..messages import explain
from ..registry import Document
from ..registry.model_card import model_card
from ..registry.project import make_project
from ..training.preparation import preparation_steps
from . import monitoring
from .stored import StoredRegistry

_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)  # built once: cheaper


def _dump(obj: Any) -> str:
    return _ENCODER.encode(obj)


def _reader_of(path: Any) -> ModuleType:
    """The module of ``mlp_core.data`` that reads data file ``path``: by convention it
    names the file ``PATH`` and reads it once, through a cached ``shipped()``."""
    for module in vars(data_package).values():
        if isinstance(module, ModuleType) and getattr(module, "PATH", None) == path:
            return module
    raise LookupError(f"no module of mlp_core.data reads {path}")


class _PageWords:
    """``model_card.Words`` said by the page (shared/i18n.js pythonWords), which takes the
    parameters as JSON text."""

    def __init__(self, js: Any) -> None:
        self.js = js

    def t(self, key: str, params: dict[str, Any]) -> str:
        return str(self.js.t(key, json.dumps(params)))

    def pct(self, p: float) -> str:
        return str(self.js.pct(p))

    def number(self, x: float, digits: int) -> str:
        return str(self.js.number(x, digits))

    def date(self, iso: str) -> str:
        return str(self.js.date(iso))


class App:
    """The registry one worker serves, the prediction service over it and the training
    in progress."""

    def __init__(self) -> None:
        self.stored = StoredRegistry()
        self.service, self.trainer = self.stored.service, self.stored.trainer
        self._preparation: Iterator[str] | None = None
        self._prepared = False

    @property
    def doc(self) -> Document:
        """The registry served: storage's, as last loaded or adopted."""
        return self.stored.doc

    # --- loading -------------------------------------------------------------------------

    def load(self, entries_json: str, history_json: str = "[]") -> str:
        """Adopt the stored entries and production history (``StoredRegistry.load``):
        damaged ones are set aside and listed. Returns ``{"models", "bad"}``."""
        return _dump(self.stored.load(json.loads(entries_json), json.loads(history_json)))

    @staticmethod
    def bundle_entries(bundle_text: str) -> str:
        """Validate a bundle (e.g. the default one) and return what storage keeps of it:
        ``{"models": [entries], "history": [events]}``."""
        doc = registry.loads(bundle_text)
        return _dump({"models": doc["models"], "history": doc["history"]})

    # --- queries -------------------------------------------------------------------------

    @staticmethod
    def echo(text: str) -> str:
        """A no-op: the floor of a worker round trip through Python (for benchmarks)."""
        return text

    @staticmethod
    def settings() -> str:
        """The training settings' schema and presets (``settings.as_json``)."""
        return _dump(settings.as_json())

    def predict(self, pattern_json: str) -> str:
        return _dump(self.service.predict(json.loads(pattern_json)))

    def predict_bits(self, bits: str) -> str:
        """``predict`` for the compact form: 100 characters "0" or "1", row-major."""
        return _dump(self.service.predict_bits(bits))

    def predict_with_bits(self, version: str, bits: str) -> str:
        """``predict_bits`` by model ``version`` (the shadow of shadow mode)."""
        return _dump(self.service.predict_with_bits(version, bits))

    def predict_all(self, pattern_json: str) -> str:
        """The drawing through every model (``Service.predict_all``)."""
        return _dump(self.service.predict_all(json.loads(pattern_json)))

    def predict_all_bits(self, bits: str) -> str:
        """``predict_all`` for the compact form."""
        return _dump(self.service.predict_all_bits(bits))

    def model_info(self) -> str:
        return _dump(self.service.model_info())

    def health(self) -> str:
        """The service's health, with the registry's counts and whether what a first
        training makes has been made ahead (``prepare_step``)."""
        return _dump({**self.service.health(), "models": len(self.doc["models"]),
                      "bad_entries": len(self.stored.bad), "training_prepared": self._prepared})

    def list(self) -> str:
        return _dump(registry.list_models(self.doc))

    def get(self, version: str) -> str:
        """The full entry; ``notes``, ``tags`` and ``lineage`` are there (empty or None)
        for entries made before they were kept."""
        return _dump({"notes": "", "tags": [], "lineage": None,
                      **registry.get(self.doc, version)})

    def export(self, versions_json: str = "null") -> str:
        return _dump(registry.export_bundle(self.doc, json.loads(versions_json)))

    def export_as(self, version: str, fmt: str) -> str:
        """Model ``version`` in export format ``fmt`` (``export.FORMATS``): ``{"name",
        "media_type", "data"}``, ``data`` the file in base64 (a zip for several files)."""
        from ..export import export_model  # rarely used: not at the worker's start

        out = export_model(registry.get(self.doc, version), fmt)
        return _dump({"name": out.file_name, "media_type": out.format.media_type,
                      "data": base64.b64encode(out.single()).decode("ascii")})

    def production_history(self) -> str:
        """Every change of the production model, oldest first: ``[{"from", "to", "at",
        "how", "note"}]``."""
        return _dump(self.doc["history"])

    def weights(self, version: str) -> str:
        """What the first hidden layer looks at: ``{"version", "inputs", "units": [[w
        per input] per hidden unit], "max"}`` (``max``: the largest absolute weight)."""
        W = registry.get(self.doc, version)["model"]["weights"][0]  # inputs x units
        units = [list(column) for column in zip(*W, strict=True)]
        largest = max((abs(w) for row in W for w in row), default=0.0)
        return _dump({"version": version, "inputs": len(W), "units": units, "max": largest})

    def training_history(self, version: str) -> str:
        """The model's loss and accuracy per training epoch: ``{"train_loss",
        "val_loss", "val_accuracy"}``."""
        return _dump(registry.get(self.doc, version)["model"]["history"])

    def evaluate(self, version: str, samples_json: str) -> str:
        """The model ``version`` ("" for production) on the person's test drawings among
        ``samples`` (``Service.evaluate``)."""
        X, y = drawings(json.loads(samples_json), "test")
        return _dump(self.service.evaluate(version or None, X, y))

    def evaluate_all(self, samples_json: str) -> str:
        """Every model's accuracy on the test drawings: ``[{"version", "accuracy",
        "n"}]`` (``accuracy`` None without drawings; ``error`` for a model that cannot
        read them)."""
        X, y = drawings(json.loads(samples_json), "test")
        if not len(y):  # nothing to judge by: no model needs loading
            return _dump([{"version": e["version"], "accuracy": None, "n": 0}
                          for e in self.doc["models"]])
        out = []
        for entry in self.doc["models"]:
            try:
                test = self.service.evaluate(entry["version"], X, y)["test"]
                out.append({"version": entry["version"], "accuracy": test["accuracy"],
                            "n": test["n"]})
            except ValueError as e:
                out.append({"version": entry["version"], "error": explain(e)})
        return _dump(out)

    def model_card(self, version: str, samples_json: str, words: Any = None) -> str:
        """Model ``version`` described in Markdown (``model_card.model_card``), with its
        figures on the test drawings among ``samples`` when it can read drawings; in the
        language of ``words`` (the page's shared/i18n.js pythonWords), else English."""
        entry = registry.get(self.doc, version)
        X, y = drawings(json.loads(samples_json), "test")
        try:
            test = self.service.evaluate(version, X, y)["test"]
        except ValueError:  # a model that cannot read a drawing has no test figures
            test = None
        from ..export import card_facts

        return _dump(model_card(entry, test, self.doc["history"],
                                None if words is None else _PageWords(words),
                                exports=card_facts(entry)))

    def compare(self, version: str, samples_json: str) -> str:
        """Production against model ``version`` on validation and on the test drawings
        among ``samples`` (``gate.compare``), before a promotion."""
        X, y = drawings(json.loads(samples_json), "test")
        return _dump(self.service.gate(version, X, y))

    def project(self, letters_json: str, examples_json: str, saved_at: str) -> str:
        """Everything to save as a project file (``project.make_project``)."""
        return _dump(make_project(self.doc, json.loads(letters_json),
                                  json.loads(examples_json), saved_at))

    # --- monitoring ----------------------------------------------------------------------

    def _log_of(self, log_json: str, version: str) -> tuple[list[dict[str, Any]], str | None]:
        """The checked prediction log and the model it is read for: ``version``, the
        production model for "", every model (None) for "*"."""
        log = monitoring.check_log(json.loads(log_json))
        if version == "*":
            return log, None
        return log, version or registry.get_production(self.doc)["version"]

    def monitoring_summary(self, log_json: str, version: str = "") -> str:
        """What the local prediction log says about model ``version`` (default:
        production; ``"*"``: every model): ``monitoring.summary``."""
        return _dump(monitoring.summary(*self._log_of(log_json, version)))

    def monitoring_unsure(self, log_json: str, version: str = "", limit: int = 24) -> str:
        """The drawings model ``version`` (default: production; ``"*"``: any) was unsure
        about, newest first (``monitoring.unsure``)."""
        return _dump(monitoring.unsure(*self._log_of(log_json, version), int(limit)))

    def monitoring_disagreements(self, log_json: str, limit: int = 24) -> str:
        """The drawings production and its shadow answered differently, not reviewed
        yet, newest first (``monitoring.disagreements``)."""
        return _dump(monitoring.disagreements(monitoring.check_log(json.loads(log_json)),
                                              int(limit)))

    # --- the person's own data -----------------------------------------------------------

    @staticmethod
    def with_splits(samples_json: str) -> str:
        """The stored examples, each with its ``split`` (``examples.with_splits``)."""
        return _dump(with_splits(json.loads(samples_json)))

    @staticmethod
    def templates() -> str:
        """The built-in letters and their templates: ``[{"letter", "template"}]``."""
        return _dump([{"letter": k, "template": v.ravel().astype(int).tolist()}
                      for k, v in sorted(default_templates().items())])

    @staticmethod
    def check_sample(sample_json: str, letters_json: str) -> str:
        """A drawn example ``{"label", "pattern"}`` checked against the known letters."""
        return _dump(check_sample(json.loads(sample_json), json.loads(letters_json)))

    @staticmethod
    def check_split(split_json: str) -> str:
        """``"train"`` or ``"test"`` (as JSON), checked."""
        return _dump(check_split(json.loads(split_json)))

    @staticmethod
    def check_class(class_json: str, letters_json: str) -> str:
        """A new letter ``{"letter", "template"}``: a fresh name and a drawable template."""
        return _dump(check_new_letter(json.loads(class_json), json.loads(letters_json)))

    # --- training ------------------------------------------------------------------------

    def install_data(self, name: str, data: Any) -> None:
        """Put data file ``name`` (one of ``sources.DATA_FILES``; bytes or a JavaScript
        byte array) where its source reads it: the site's wheel leaves these files out,
        and the worker fetches each before a training or a fine-tuning."""
        path = next((s.data_file for s in sources.SOURCES
                     if s.data_file and s.data_file.name == name), None)
        if path is None:
            raise ValueError(f"{name!r} is not a data file training reads; "
                             f"expected one of {', '.join(sources.DATA_FILES)}")
        raw = data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)
        # A start from the runtime snapshot unpacks no files of packages it restored.
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        reader = _reader_of(path)
        reader.shipped.cache_clear()
        reader.shipped()  # refuses a damaged file now, not in the middle of a training

    def prepare_step(self) -> str:
        """Make one more part of what a first training would make
        (``training.preparation``), once the data files are installed: ``{"made": what,
        "done": false}``, then ``{"made": null, "done": true}``."""
        if self._preparation is None:
            self._preparation = preparation_steps()
        made = next(self._preparation, None)
        self._prepared = made is None
        return _dump({"made": made, "done": self._prepared})

    def start_training(self, config_json: str) -> str:
        """Check a training configuration and get ready to train one epoch per
        ``train_step`` (``Trainer.start``). Of the ``samples``, only training drawings
        are trained on: test drawings are set aside to judge models."""
        config = json.loads(config_json)
        if isinstance(config.get("samples"), list):
            config["samples"] = with_splits(config["samples"])
        self.trainer.start(config)
        return _dump({"started": True})

    def start_finetune(self, config_json: str) -> str:
        """``start_training`` for a fine-tuning of the production model on the training
        drawings among ``samples`` (``Trainer.start_finetune``); the model it registers
        names production as its parent."""
        config = json.loads(config_json)
        if isinstance(config.get("samples"), list):
            config["samples"] = with_splits(config["samples"])
        self.trainer.start_finetune(registry.get_production(self.doc), config)
        return _dump({"started": True})

    def train_step(self) -> str:
        """Train one epoch (``Trainer.step``)."""
        return _dump(self.trainer.step())

    def cancel_training(self) -> None:
        """Drop the training in progress (or the trained, unregistered model)."""
        self.trainer.cancel()

    # --- changes -------------------------------------------------------------------------

    def plan(self, op: str, args_json: str = "{}", words: Any = None) -> str:
        """Work out one registry operation without applying it (``StoredRegistry.plan``);
        ``words`` (the page's, worker/training.js) word what it writes in the page's
        language. Returns what to write, in one transaction."""
        return _dump(self.stored.plan(op, json.loads(args_json), words))

    def adopt(self) -> None:
        """Make the planned change the served registry: storage has committed it."""
        self.stored.adopt()

    def discard(self) -> None:
        """Forget the planned change: storage did not commit it."""
        self.stored.discard()
