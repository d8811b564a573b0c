"""The Python side of the browser worker: JSON text in, JSON text out.

The worker keeps the registry's entries in IndexedDB (one record per model) and hands
them to ``App.load``. A change is two steps: ``App.plan`` works out the records to write
and delete without changing anything, the worker writes them in one transaction, and
only then does ``App.adopt`` make the change the registry Python serves (``discard``
when the write failed). So Python's registry is always one that storage holds. Python
decides, JavaScript only stores. Everything here also runs on CPython, where the tests
drive it exactly as the worker does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import registry, settings
from ..data.examples import check_new_letter, check_sample, check_split, drawings, with_splits
from ..data.synthetic import default_templates
from ..messages import coded, explain
from ..registry import Document, RegistryError, history
from ..registry.model_card import model_card
from ..registry.project import check_project, make_project
from ..training.trainer import Trainer
from . import monitoring
from .evaluation import compare
from .serving import Service

_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)  # built once: cheaper


def _dump(obj: Any) -> str:
    return _ENCODER.encode(obj)


class _Change:
    """A planned registry change, waiting for storage to commit it."""

    def __init__(self, doc: Document, removed: list[Any], *, clears_damaged: bool = False,
                 registers: bool = False) -> None:
        self.doc, self.removed = doc, removed
        self.clears_damaged, self.registers = clears_damaged, registers


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


# --- registry operations: (app, args) -> (new document, result) -------------------------


def _register(app: App, args: dict[str, Any]) -> tuple[Document, Any]:
    """Register the model training just finished. ``promote``: true, false, or
    "if_better": only if it beats production on the test drawings among ``samples``
    (the result's ``gate`` says what was decided and why; the promotion's note is that
    reason, worded by the page's ``words`` when ``plan`` was given them)."""
    if not app.trainer.finished:
        raise coded(RegistryError, "nothing_to_register")
    promote = args.get("promote", False)
    if promote not in (True, False, "if_better"):
        raise ValueError(f'promote must be true, false or "if_better", got {promote!r}')
    t = app.trainer.result
    doc, entry = registry.register(app.doc, t.model_dict(), accuracy=t.accuracy,
                                   metrics=t.metrics, dataset_info=t.dataset_info,
                                   lineage=t.lineage, promote=promote is True,
                                   note=args.get("note"))
    if promote != "if_better":
        return doc, registry.summary(entry)
    X, y = drawings(args.get("samples") or [], "test")
    gate = compare(app.service.evaluate(None, X, y),
                   app.service.evaluate_entry(entry, X, y, registered=False))
    gate["promoted"] = gate["verdict"] == "better"
    if gate["promoted"]:
        words = args.get("words")
        note = gate["reason"] if words is None else str(words.gate_reason(_dump(gate)))
        doc = registry.set_production(doc, entry["version"], note=args.get("note") or note)
        entry = registry.get(doc, entry["version"])
    return doc, {**registry.summary(entry), "gate": gate}


def _repair(app: App, args: dict[str, Any]) -> tuple[Document, Any]:
    """Damaged records go (a damaged history starts again empty); if the production
    model was one of them, the newest intact model takes its place."""
    doc, promoted = app.doc, None
    if doc["models"] and not any(e["is_production"] for e in doc["models"]):
        promoted = max(doc["models"], key=lambda e: e["created_at"])["version"]
        doc = registry.set_production(doc, promoted, how="repair")
    return doc, {"removed": len(app.damaged_keys), "promoted": promoted}


def _restore(app: App, args: dict[str, Any]) -> tuple[Document, Any, dict[str, Any]]:
    """Replace everything with a saved project: its models and history exactly, and
    (third item, for storage) its letters and examples."""
    project = check_project(args["project"])
    doc = project["registry"]
    production = next((e["version"] for e in doc["models"] if e["is_production"]), None)
    result = {"models": len(doc["models"]), "letters": len(project["letters"]),
              "examples": len(project["examples"]), "production": production}
    return doc, result, {"letters": project["letters"], "examples": project["examples"]}


def _rollback(app: App, args: dict[str, Any]) -> tuple[Document, Any]:
    doc, version = registry.rollback(app.doc, args.get("note"))
    return doc, {"production": version}


def _update(app: App, args: dict[str, Any]) -> tuple[Document, Any]:
    doc, entry = registry.annotate(app.doc, args["version"], notes=args.get("notes"),
                                   tags=args.get("tags"))
    return doc, registry.summary(entry)


OPERATIONS: dict[str, Callable[[App, dict[str, Any]], tuple[Any, ...]]] = {
    "set_production": lambda app, a: (registry.set_production(
        app.doc, a["version"], note=a.get("note")), {"production": a["version"]}),
    "rollback": _rollback,
    "update": _update,
    "delete": lambda app, a: (registry.delete(app.doc, a["version"]),
                              {"deleted": a["version"]}),
    "import": lambda app, a: registry.import_bundle(app.doc, a["bundle"]),
    "register": _register,
    "repair": _repair,
    "reset": lambda app, a: registry.reset(app.doc, a["bundle"]),
    "restore": _restore,
}
#: Operations after which no damaged record is left in storage.
_CLEARS_DAMAGED = frozenset({"repair", "reset", "restore"})


class App:
    """The registry one worker serves, the prediction service over it and the training
    in progress."""

    def __init__(self) -> None:
        self.doc: Document = registry.empty_registry()
        self.bad: list[dict[str, Any]] = []  # damaged stored records: index, version, error
        self.damaged_keys: list[Any] = []  # their storage keys
        self.damaged_history = False  # the stored history was unreadable (set aside)
        self.service = Service(lambda: self.doc)
        self.trainer = Trainer()
        self._change: _Change | None = None

    # --- loading -------------------------------------------------------------------------

    def load(self, entries_json: str, history_json: str = "[]") -> str:
        """Adopt the stored entries and production history. Damaged entries (and a
        damaged history) are set aside, listed in ``bad``, so that every intact model
        stays usable. Returns ``{"models", "bad"}``."""
        entries, stored_history = json.loads(entries_json), json.loads(history_json)
        good, bad, keys = [], [], []
        try:
            stored_history = history.check_history(stored_history or [])
            self.damaged_history = False
        except history.HistoryError as e:
            bad.append({"index": None, "version": "history", "error": explain(e)})
            stored_history, self.damaged_history = [], True
        for i, entry in enumerate(entries):
            try:
                good.append(registry.validate_entry(entry, f"models[{i}]"))
            except RegistryError as e:
                version = entry.get("version") if isinstance(entry, dict) else None
                bad.append({"index": i, "version": str(version), "error": explain(e)})
                if isinstance(version, str | int | float):  # a key storage can delete by
                    keys.append(version)
        good.sort(key=lambda e: e["created_at"])
        try:
            self.doc = registry.validate({"schema_version": registry.SCHEMA_VERSION,
                                          "models": good, "history": stored_history})
        except RegistryError as e:  # e.g. two production flags written by a bad edit
            bad.append({"index": None, "version": "*", "error": explain(e)})
            self.doc = {"schema_version": registry.SCHEMA_VERSION,
                        "models": [{**m, "is_production": False} for m in good],
                        "history": stored_history}
        self.bad, self.damaged_keys, self._change = bad, keys, None
        self.service.reload(removed=[e["version"] for e in entries if isinstance(e, dict)
                                     and isinstance(e.get("version"), str)])
        return _dump({"models": len(self.doc["models"]), "bad": bad})

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

    def predict_all(self, pattern_json: str) -> str:
        """The drawing through every model (``Service.predict_all``)."""
        return _dump(self.service.predict_all(json.loads(pattern_json)))

    def predict_all_bits(self, bits: str) -> str:
        """``predict_all`` for the compact form."""
        return _dump(self.service.predict_all_bits(bits))

    def model_info(self) -> str:
        return _dump(self.service.model_info())

    def health(self) -> str:
        return _dump({**self.service.health(), "models": len(self.doc["models"]),
                      "bad_entries": len(self.bad)})

    def list(self) -> str:
        return _dump(registry.list_models(self.doc))

    def get(self, version: str) -> str:
        """The full entry; ``notes``, ``tags`` and ``lineage`` are there (empty or None)
        for entries made before they were kept."""
        return _dump({"notes": "", "tags": [], "lineage": None,
                      **registry.get(self.doc, version)})

    def export(self, versions_json: str = "null") -> str:
        return _dump(registry.export_bundle(self.doc, json.loads(versions_json)))

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
        return _dump(model_card(entry, test, self.doc["history"],
                                None if words is None else _PageWords(words)))

    def compare(self, version: str, samples_json: str) -> str:
        """Production against model ``version`` on validation and on the test drawings
        among ``samples`` (``evaluation.compare``), before a promotion."""
        X, y = drawings(json.loads(samples_json), "test")
        return _dump(compare(self.service.evaluate(None, X, y),
                             self.service.evaluate(version, X, y)))

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
        """Work out one registry operation without applying it; ``words`` (the page's,
        worker/training.js) word what it writes in the page's language.

        ``op`` is one of ``OPERATIONS``: ``set_production`` (version, note?),
        ``rollback`` (note?), ``update`` (version, notes?, tags?), ``delete`` (version),
        ``import`` (bundle: JSON text or object), ``register`` (the model training just
        finished; promote: true, false or "if_better" with samples; note?), ``repair``
        (drop damaged records; keep one production model) or ``reset`` (bundle: replaces
        every model) or ``restore`` (project: replaces everything). Returns ``{"result",
        "put", "removed"}``, ``"history"`` when the production history changed and
        ``"data": {"letters", "examples"}`` when those are replaced: what to write, in one
        transaction. Nothing changes here until ``adopt``.
        """
        if op not in OPERATIONS:
            raise ValueError(f"unknown registry operation {op!r}; known: "
                             f"{', '.join(OPERATIONS)}")
        args = json.loads(args_json)
        if words is not None:
            args["words"] = words
        doc, result, *data = OPERATIONS[op](self, args)
        before = {e["version"]: e for e in self.doc["models"]}
        after = {e["version"]: e for e in doc["models"]}
        put = [e for v, e in after.items() if before.get(v) is not e]
        removed: list[Any] = [v for v in before if v not in after]
        clears = op in _CLEARS_DAMAGED
        if clears:
            removed += [k for k in self.damaged_keys if k not in after and k not in removed]
        self._change = _Change(doc, removed, clears_damaged=clears,
                               registers=op == "register")
        out = {"result": result, "put": put, "removed": removed}
        if doc["history"] is not self.doc["history"] or (clears and self.damaged_history):
            out["history"] = doc["history"]
        if data:  # the person's letters and examples, replaced with the registry
            out["data"] = data[0]
        return _dump(out)

    def adopt(self) -> None:
        """Make the planned change the served registry: storage has committed it."""
        change, self._change = self._change, None
        if change is None:
            raise RuntimeError("no planned registry change to adopt")
        self.doc = change.doc
        if change.clears_damaged:
            self.bad, self.damaged_keys, self.damaged_history = [], [], False
        if change.registers:
            self.trainer.take()
        self.service.reload(removed=change.removed)

    def discard(self) -> None:
        """Forget the planned change: storage did not commit it."""
        self._change = None
