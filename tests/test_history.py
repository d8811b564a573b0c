"""Production history and rollback, notes and tags, lineage and gated promotion, through
the registry functions, the worker's Python side (``App``) and the CLI."""

from __future__ import annotations

import copy
import json
import sys
from datetime import UTC, datetime, timedelta

import pytest
from drawings import DRAWINGS, as_bits

from mlp_core import cli, registry
from mlp_core.registry import RegistryError
from mlp_core.service.webapi import App
from mlp_core.settings import PRESETS
from mlp_core.training.train import train_model

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
HERE = "browser" if sys.platform == "emscripten" else "cpython"  # this suite runs in both


@pytest.fixture(scope="module")
def three(small_model) -> tuple[registry.Document, list[str]]:
    """Three models registered a second apart; the first is production."""
    doc = registry.empty_registry()
    for i, acc in enumerate((0.91, 0.92, 0.93)):
        doc, _ = registry.register(doc, small_model, accuracy=acc,
                                   now=T0 + timedelta(seconds=i))
    return doc, [e["version"] for e in doc["models"]]


def production(doc) -> str:
    return registry.get_production(doc)["version"]


def test_every_production_change_is_recorded_and_rollback_walks_back(three):
    doc, (a, b, c) = three
    assert [(e["from"], e["to"], e["how"]) for e in doc["history"]] == [(None, a, "promote")]
    doc = registry.set_production(doc, b, note="better on my drawings")
    doc = registry.set_production(doc, b)  # already production: nothing happened
    doc = registry.set_production(doc, c)
    assert [(e["from"], e["to"], e["how"], e["note"]) for e in doc["history"]] == [
        (None, a, "promote", ""), (a, b, "promote", "better on my drawings"),
        (b, c, "promote", "")]

    doc, back = registry.rollback(doc, note="c misreads my f")
    assert back == b == production(doc)
    assert doc["history"][-1] == {**doc["history"][-1], "from": c, "to": b,
                                  "how": "rollback", "note": "c misreads my f"}
    doc, back = registry.rollback(doc)  # a second rollback goes one step further back
    assert back == a == production(doc)
    with pytest.raises(RegistryError, match="no earlier production model"):
        registry.rollback(doc)


def test_rollback_skips_deleted_models_and_history_is_bounded(three, monkeypatch):
    doc, (a, b, c) = three
    doc = registry.set_production(registry.set_production(doc, b), c)
    doc, back = registry.rollback(registry.delete(doc, b))
    assert back == a

    from mlp_core.registry import history
    monkeypatch.setattr(history, "MAX_HISTORY", 3)
    for v in (c, a, c):
        doc = registry.set_production(doc, v)
    assert [e["to"] for e in doc["history"]] == [c, a, c]


def test_history_travels_in_exports_and_is_validated_on_import(three):
    doc, (a, b, c) = three
    doc = registry.set_production(doc, c, note="n")
    bundle = registry.export_bundle(doc)
    assert bundle["history"] == doc["history"]
    restored, _ = registry.import_bundle(registry.empty_registry(), registry.dumps(bundle))
    assert restored == doc  # an empty registry takes the bundle's history as it was

    # A registry with a production model keeps its own history.
    other, _ = registry.register(registry.empty_registry(), registry.get(doc, a)["model"],
                                 accuracy=0.5, now=T0 - timedelta(days=1))
    merged, report = registry.import_bundle(other, bundle)
    assert merged["history"] == other["history"] and len(report["imported"]) == 3

    bad_events = [
        ({"how": "Stolen!"}, "must be a kind of change"),
        ({"to": "v9"}, "is not a model version"),
        ({"at": "yesterday"}, "ISO 8601"),
        ({"note": "x" * 5000}, "the limit is"),
        ({"extra": 1}, "exactly the keys"),
    ]
    for change, message in bad_events:
        broken = copy.deepcopy(bundle)
        broken["history"][-1].update(change)
        with pytest.raises(RegistryError, match=message):
            registry.import_bundle(registry.empty_registry(), registry.dumps(broken))
    shuffled = copy.deepcopy(bundle)
    shuffled["history"].reverse()
    with pytest.raises(RegistryError, match="time order"):
        registry.validate(shuffled)


def test_documents_and_entries_from_before_history_still_load(three):
    doc, versions = three
    old = {"schema_version": 1,
           "models": [{k: v for k, v in e.items() if k not in registry.OPTIONAL_KEYS}
                      for e in doc["models"]]}
    migrated = registry.loads(json.dumps(old))
    assert migrated["schema_version"] == registry.SCHEMA_VERSION
    assert migrated["history"] == []
    listed = registry.list_models(migrated)
    assert [(s["notes"], s["tags"], s["lineage"]) for s in listed] == [("", [], None)] * 3
    # Rolling back needs a history; promoting starts one.
    with pytest.raises(RegistryError, match="no earlier"):
        registry.rollback(migrated)
    promoted = registry.set_production(migrated, versions[2])
    assert registry.rollback(promoted)[1] == versions[0]


def test_notes_and_tags_are_checked_and_kept(three):
    doc, (a, _, _) = three
    doc, entry = registry.annotate(doc, a, notes="first try", tags=[" baseline", "cpu",
                                                                    "baseline"])
    assert (entry["notes"], entry["tags"]) == ("first try", ["baseline", "cpu"])
    doc, entry = registry.annotate(doc, a, tags=[])
    assert (entry["notes"], entry["tags"]) == ("first try", [])
    assert registry.loads(registry.dumps(doc)) == doc
    for tags, message in ((["a,b"], "not a tag"), ([""], "not a tag"),
                          (["x" * 33], "not a tag"), ([str(i) for i in range(17)], "limit"),
                          ("solo", "must be a list")):
        with pytest.raises(RegistryError, match=message):
            registry.annotate(doc, a, tags=tags)
    with pytest.raises(RegistryError, match="limit"):
        registry.annotate(doc, a, notes="x" * 2001)
    # Annotations are the registry's own: importing the same model does not clash.
    bundle = registry.export_bundle(three[0])
    assert registry.import_bundle(doc, bundle)[1]["skipped"] == three[1]


def test_a_trained_model_records_its_lineage():
    hp = {"hidden_layer_sizes": [8], "max_epochs": 2}
    data = {"n_samples": 300}
    samples = [{"label": "b", "pattern": as_bits(DRAWINGS["b"][0])}]
    first = train_model(hp, data, samples=samples).lineage
    assert set(first) == set(registry.LINEAGE_KEYS)
    assert first["parent"] is None and first["trained_in"] == HERE
    assert (first["pyodide"] is None) == (HERE == "cpython")
    assert first["numpy"] and first["mlp_core"]
    assert first["train_seconds"] > 0 and len(first["data_sha256"]) == 64
    # The fingerprint follows the data trained on, not the run.
    assert train_model(hp, data, samples=samples).lineage["data_sha256"] == \
        first["data_sha256"]
    as_test = [{**samples[0], "split": "test"}]  # not trained on: not in the fingerprint
    assert train_model(hp, data, samples=as_test).lineage["data_sha256"] == \
        train_model(hp, data).lineage["data_sha256"] != first["data_sha256"]
    assert train_model({**hp, "seed": 7}, data).lineage["data_sha256"] != \
        train_model(hp, data).lineage["data_sha256"]

    doc, entry = registry.register(registry.empty_registry(),
                                   train_model(hp, data).model_dict(), accuracy=0.5,
                                   lineage=first)
    assert registry.summary(entry)["lineage"] == first
    for bad in ({**first, "parent": "me"}, {**first, "trained_in": "cloud"},
                {**first, "data_sha256": "abc"}, {"parent": None}):
        with pytest.raises(RegistryError, match="lineage"):
            registry.validate_entry({**entry, "lineage": bad})


# --- the worker's side ------------------------------------------------------------------


def change(app: App, op: str, args: dict | None = None) -> dict:
    out = json.loads(app.plan(op, json.dumps(args or {})))
    app.adopt()
    return out


def loaded(doc) -> App:
    app = App()
    app.load(json.dumps(doc["models"]), json.dumps(doc["history"]))
    return app


def test_the_worker_stores_the_history_with_each_change(three):
    doc, (a, b, _) = three
    app = loaded(doc)
    out = change(app, "set_production", {"version": b, "note": "why"})
    assert out["history"][-1]["to"] == b and out["history"][-1]["note"] == "why"
    out = change(app, "update", {"version": a, "notes": "kept", "tags": ["x"]})
    assert "history" not in out and out["put"][0]["tags"] == ["x"]
    out = change(app, "rollback", {"note": "undo"})
    assert out["result"] == {"production": a} and out["history"][-1]["how"] == "rollback"
    assert json.loads(app.production_history()) == out["history"]

    # A damaged stored history is set aside (the models stay usable); repair clears it.
    app = App()
    report = json.loads(app.load(json.dumps(doc["models"]), json.dumps([{"to": 1}])))
    assert [b["version"] for b in report["bad"]] == ["history"]
    assert json.loads(app.health())["status"] == "healthy"
    assert change(app, "repair")["history"] == []


@pytest.fixture(scope="module")
def drawn() -> list[dict]:
    """Every test drawing as an example marked for testing."""
    return [{"label": k, "pattern": as_bits(d), "split": "test"}
            for k, ds in DRAWINGS.items() if k in "bdf" for d in ds]


def test_promotion_is_gated_on_the_test_drawings(three, drawn):
    doc, (a, b, _) = three
    app = loaded(doc)
    samples = drawn
    gate = json.loads(app.compare(b, json.dumps(samples)))
    assert gate["champion"]["version"] == a and gate["challenger"]["version"] == b
    assert gate["verdict"] == "equal"  # the same weights: no better, no worse
    assert gate["difference"] == {"validation": pytest.approx(0.01), "test": 0.0,
                                  "rejection": 0.0, "gate_validation": 0.0}
    assert gate["promote"] is False  # as good is not better
    assert json.loads(app.compare(b, "[]"))["verdict"] == "untested"

    # A model that barely trained is not better than production: "if_better" keeps it.
    app.start_training(json.dumps({"hyperparameters": {"hidden_layer_sizes": [2],
                                                       "max_epochs": 1},
                                   "data": {"n_samples": 60}}))
    while not json.loads(app.train_step()).get("done"):
        pass
    out = change(app, "register", {"promote": "if_better", "samples": samples})
    gate = out["result"]["gate"]
    assert gate["difference"]["test"] < 0 and gate["verdict"] in ("worse", "unsure")
    assert gate["promoted"] is False
    assert gate["champion"]["version"] == a
    assert gate["challenger"]["version"] == out["result"]["version"]
    assert out["result"]["is_production"] is False and "history" not in out
    assert json.loads(app.health())["model_version"] == a
    assert out["result"]["lineage"]["trained_in"] == HERE


def test_a_better_model_is_promoted_by_the_gate_with_its_reason(drawn):
    weak, _ = registry.register(registry.empty_registry(), train_model(
        {"hidden_layer_sizes": [2], "max_epochs": 1}, {"n_samples": 60}).model_dict(),
        accuracy=0.3, now=T0)  # right on a third of the drawings (it says "b" to all)
    app = loaded(weak)
    app.start_training(json.dumps(PRESETS["quick"].config()))  # 83% of the drawings
    while not json.loads(app.train_step()).get("done"):
        pass
    out = change(app, "register", {"promote": "if_better", "samples": drawn})
    gate = out["result"]["gate"]
    assert gate["verdict"] == "better" and gate["promoted"] is True
    assert gate["difference"]["test"] > 0 and "test drawings" in gate["reason"]
    assert out["result"]["is_production"] is True
    assert (out["history"][-1]["how"], out["history"][-1]["note"]) == ("promote", gate["reason"])


# --- the CLI ----------------------------------------------------------------------------


def test_cli_history_and_rollback(three, tmp_path, capsys):
    doc, (a, b, _) = three
    path = tmp_path / "r.json"
    path.write_text(registry.dumps(doc))
    base = ["--registry", str(path), "registry"]
    assert cli.main([*base, "promote", b, "--note", "try b"]) == 0
    assert cli.main([*base, "rollback", "--note", "back"]) == 0
    capsys.readouterr()
    assert cli.main([*base, "history"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(e["to"], e["how"], e["note"]) for e in lines] == [
        (a, "promote", ""), (b, "promote", "try b"), (a, "rollback", "back")]
    assert cli.main([*base, "rollback"]) == 1
    assert "no earlier production model" in capsys.readouterr().err
