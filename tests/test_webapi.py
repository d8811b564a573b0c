"""The worker's Python side, driven exactly as web/worker.js drives it (JSON text)."""

from __future__ import annotations

import copy
import json

import pytest

from mlp_core import registry
from mlp_core.registry import RegistryError
from mlp_core.webapi import App


def _app(doc) -> App:
    app = App()
    entries = json.loads(App.bundle_entries(registry.dumps(doc)))
    assert json.loads(app.load(json.dumps(entries))) == {"models": 2, "bad": []}
    return app


def test_queries(two_model_registry):
    app = _app(two_model_registry)
    result = json.loads(app.predict(json.dumps([0] * 100)))
    assert result["model_version"] == two_model_registry["models"][0]["version"]
    assert json.loads(app.health())["status"] == "healthy"
    assert len(json.loads(app.list())) == 2
    v1 = two_model_registry["models"][1]["version"]
    assert json.loads(app.get(v1))["version"] == v1
    assert json.loads(app.export(json.dumps([v1])))["models"][0]["version"] == v1


def test_mutations_return_exactly_what_to_store(two_model_registry):
    app = _app(two_model_registry)
    v0, v1 = (e["version"] for e in two_model_registry["models"])
    out = json.loads(app.mutate("set_production", json.dumps({"version": v1})))
    assert out["result"] == {"production": v1} and out["removed"] == []
    assert {e["version"]: e["is_production"] for e in out["put"]} == {v0: False, v1: True}
    assert json.loads(app.predict(json.dumps([1] * 100)))["model_version"] == v1
    out = json.loads(app.mutate("delete", json.dumps({"version": v0})))
    assert out == {"result": {"deleted": v0}, "put": [], "removed": [v0]}
    bundle = registry.export_bundle(two_model_registry, [v0])
    out = json.loads(app.mutate("import", json.dumps({"bundle": registry.dumps(bundle)})))
    assert out["result"]["imported"] == [v0] and [e["version"] for e in out["put"]] == [v0]
    assert not out["put"][0]["is_production"]  # the registry keeps its production model


def test_refused_mutation_changes_nothing(two_model_registry):
    app = _app(two_model_registry)
    before = app.export()
    with pytest.raises(RegistryError, match="promote another model first"):
        app.mutate("delete", json.dumps({"version": two_model_registry["models"][0]["version"]}))
    with pytest.raises(RegistryError, match="not valid JSON"):
        app.mutate("import", json.dumps({"bundle": "{oops"}))
    with pytest.raises(ValueError, match="unknown registry operation"):
        app.mutate("drop_table", "{}")
    assert app.export() == before


def test_damaged_entries_are_set_aside_not_fatal(two_model_registry):
    entries = copy.deepcopy(two_model_registry["models"])
    entries[1]["model"]["weights"] = "garbage"
    entries.append({"version": "hand-edited"})
    app = App()
    report = json.loads(app.load(json.dumps(entries)))
    assert report["models"] == 1
    assert [b["version"] for b in report["bad"]] == [entries[1]["version"], "hand-edited"]
    assert "weights" in report["bad"][0]["error"]
    assert json.loads(app.health())["bad_entries"] == 2
    assert json.loads(app.predict(json.dumps([0] * 100)))["model_version"] == entries[0][
        "version"]
