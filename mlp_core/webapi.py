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
from .registry import RegistryError
from .service import Service


def _dump(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


class App:
    """The registry held by one worker, plus the prediction service over it."""

    def __init__(self) -> None:
        self.doc: registry.Document = registry.empty_registry()
        self.bad: list[dict[str, str]] = []
        self.service = Service(lambda: self.doc)

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
                bad.append({"version": str(version), "error": str(e)})
        good.sort(key=lambda e: e["created_at"])
        try:
            self.doc = registry.validate({"schema_version": registry.SCHEMA_VERSION,
                                          "models": good})
        except RegistryError as e:  # e.g. two production flags written by a bad edit
            bad.append({"version": "*", "error": str(e)})
            self.doc = {"schema_version": registry.SCHEMA_VERSION,
                        "models": [{**m, "is_production": False} for m in good]}
        self.bad = bad
        self.service.reload()
        return _dump({"models": len(self.doc["models"]), "bad": bad})

    @staticmethod
    def bundle_entries(bundle_text: str) -> str:
        """Validate a bundle (e.g. the default one) and return its entries as JSON."""
        return _dump(registry.loads(bundle_text)["models"])

    # --- queries -------------------------------------------------------------------------

    def predict(self, pattern_json: str) -> str:
        return _dump(self.service.predict(json.loads(pattern_json)))

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

    # --- changes -------------------------------------------------------------------------

    def mutate(self, op: str, args_json: str = "{}") -> str:
        """Apply one registry operation to the loaded registry.

        ``op`` is ``set_production`` (version), ``delete`` (version) or ``import``
        (bundle: JSON text or object). Returns ``{"result", "put", "removed"}``: the
        records the worker must write and the versions it must delete, in one transaction.
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
        if old_production is None or old_production not in after or not after[
                old_production]["is_production"]:
            self.service.reload()
        return {"result": result, "put": put, "removed": removed}
