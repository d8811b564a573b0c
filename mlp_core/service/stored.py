"""The registry one worker serves, as storage holds it: loaded from the stored records,
changed in two steps. ``plan`` works out the records to write and delete without
changing anything; the worker writes them in one IndexedDB transaction; only then does
``adopt`` make the change the registry served (``discard`` when the write failed). So
the registry served is always one that storage holds.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from .. import registry
from ..data.examples import drawings
from ..messages import coded, explain
from ..registry import Document, RegistryError, history
from ..registry.project import check_project
from ..training.trainer import Trainer
from .gate import promotion
from .serving import Service


class _Change:
    """A planned registry change, waiting for storage to commit it."""

    def __init__(self, doc: Document, removed: list[Any], *, clears_damaged: bool = False,
                 registers: bool = False) -> None:
        self.doc, self.removed = doc, removed
        self.clears_damaged, self.registers = clears_damaged, registers


# --- operations: (registry, args) -> (new document, result) ---------------------------


def _register(reg: StoredRegistry, args: dict[str, Any]) -> tuple[Document, Any]:
    """Register the model training just finished. ``promote``: false; true (the person
    decides); or "if_better": only if it passes the gate (``gate.compare``) on the test
    drawings among ``samples``. With ``samples`` given, the result's ``gate`` says what
    the gate found; the promotion's note is its reason ("if_better") or, for a promotion
    it did not recommend, its warning, worded by the page's ``words`` when ``plan`` was
    given them (``gate_reason``, ``gate_warning``)."""
    if not reg.trainer.finished:
        raise coded(RegistryError, "nothing_to_register")
    promote = args.get("promote", False)
    if promote not in (True, False, "if_better"):
        raise ValueError(f'promote must be true, false or "if_better", got {promote!r}')
    t = reg.trainer.result
    doc, entry = registry.register(reg.doc, t.model_dict(), accuracy=t.accuracy,
                                   metrics=t.metrics, dataset_info=t.dataset_info,
                                   lineage=t.lineage, note=args.get("note"))
    gate = None
    if promote == "if_better" or (promote and args.get("samples") is not None):
        gate = reg.service.gate(entry, *drawings(args.get("samples") or [], "test"))
    promoted, note = promotion(promote, gate, args.get("note"), args.get("words"))
    if promoted:
        doc = registry.set_production(doc, entry["version"], note=note)
        entry = registry.get(doc, entry["version"])
    if gate is None:
        return doc, registry.summary(entry)
    gate["promoted"] = entry["is_production"]
    return doc, {**registry.summary(entry), "gate": gate}


def _repair(reg: StoredRegistry, args: dict[str, Any]) -> tuple[Document, Any]:
    """Damaged records go (a damaged history starts again empty); if the production
    model was one of them, the newest intact model takes its place."""
    doc, promoted = reg.doc, None
    if doc["models"] and not any(e["is_production"] for e in doc["models"]):
        promoted = max(doc["models"], key=lambda e: e["created_at"])["version"]
        doc = registry.set_production(doc, promoted, how="repair")
    return doc, {"removed": len(reg.damaged_keys), "promoted": promoted}


def _restore(reg: StoredRegistry, args: dict[str, Any]) -> tuple[Document, Any, dict[str, Any]]:
    """Replace everything with a saved project: its models and history exactly, and
    (third item, for storage) its letters and examples."""
    project = check_project(args["project"])
    doc = project["registry"]
    production = next((e["version"] for e in doc["models"] if e["is_production"]), None)
    result = {"models": len(doc["models"]), "letters": len(project["letters"]),
              "examples": len(project["examples"]), "production": production}
    return doc, result, {"letters": project["letters"], "examples": project["examples"]}


def _rollback(reg: StoredRegistry, args: dict[str, Any]) -> tuple[Document, Any]:
    doc, version = registry.rollback(reg.doc, args.get("note"))
    return doc, {"production": version}


def _import_sklearn(reg: StoredRegistry, args: dict[str, Any]) -> tuple[Document, Any]:
    """A skops file (in base64: registry changes travel as JSON text) registered."""
    from ..export import SkopsError, import_sklearn  # rarely used: not at the worker's start

    try:
        raw = base64.b64decode(args["file"], validate=True)
    except (ValueError, TypeError):
        raise coded(SkopsError, "skops_file") from None
    return import_sklearn(reg.doc, raw, str(args.get("name") or "model.skops"))


def _update(reg: StoredRegistry, args: dict[str, Any]) -> tuple[Document, Any]:
    doc, entry = registry.annotate(reg.doc, args["version"], notes=args.get("notes"),
                                   tags=args.get("tags"))
    return doc, registry.summary(entry)


OPERATIONS: dict[str, Callable[[StoredRegistry, dict[str, Any]], tuple[Any, ...]]] = {
    "set_production": lambda reg, a: (registry.set_production(
        reg.doc, a["version"], note=a.get("note")), {"production": a["version"]}),
    "rollback": _rollback,
    "update": _update,
    "delete": lambda reg, a: (registry.delete(reg.doc, a["version"]),
                              {"deleted": a["version"]}),
    "import": lambda reg, a: registry.import_bundle(reg.doc, a["bundle"]),
    "import_sklearn": _import_sklearn,
    "register": _register,
    "repair": _repair,
    "reset": lambda reg, a: registry.reset(reg.doc, a["bundle"]),
    "restore": _restore,
}
#: Operations after which no damaged record is left in storage.
_CLEARS_DAMAGED = frozenset({"repair", "reset", "restore"})



class StoredRegistry:
    """The served registry (``doc``), the damaged records set aside at load, the
    prediction service over it and the training whose result ``register`` stores."""

    def __init__(self) -> None:
        self.doc: Document = registry.empty_registry()
        self.bad: list[dict[str, Any]] = []  # damaged stored records: index, version, error
        self.damaged_keys: list[Any] = []  # their storage keys
        self.damaged_history = False  # the stored history was unreadable (set aside)
        self.service = Service(lambda: self.doc)
        self.trainer = Trainer()
        self._change: _Change | None = None

    def load(self, entries: list[Any], stored_history: list[Any]) -> dict[str, Any]:
        """Adopt the stored entries and production history. Damaged entries (and a
        damaged history) are set aside, listed in ``bad``, so that every intact model
        stays usable. Returns ``{"models", "bad"}``."""
        good, bad, keys = [], [], []
        try:
            stored_history = history.check_history(stored_history or [])
            self.damaged_history = False
        except history.HistoryError as e:
            bad.append({"index": None, "version": "history", "error": explain(e)})
            stored_history, self.damaged_history = [], True
        for i, entry in enumerate(entries):
            try:
                good.append(registry.validate_entry(registry.migrate_entry(entry),
                                                    f"models[{i}]"))
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
        return {"models": len(self.doc["models"]), "bad": bad}

    def plan(self, op: str, args: dict[str, Any], words: Any = None) -> dict[str, Any]:
        """Work out one registry operation without applying it; ``words`` (the page's,
        worker/training.js) word what it writes in the page's language.

        ``op`` is one of ``OPERATIONS``: ``set_production`` (version, note?),
        ``rollback`` (note?), ``update`` (version, notes?, tags?), ``delete`` (version),
        ``import`` (bundle: JSON text or object), ``import_sklearn`` (file: a skops file
        in base64, name), ``register`` (the model training just
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
        return out

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
