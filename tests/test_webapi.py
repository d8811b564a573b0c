"""The worker's Python side, driven exactly as web/worker.js drives it (JSON text)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mlp_core import registry
from mlp_core.registry import RegistryError
from mlp_core.service.webapi import App


def change(app: App, op: str, args: str = "{}") -> dict:
    """A registry change as the worker makes it: plan, (storage commits), adopt."""
    out = json.loads(app.plan(op, args))
    app.adopt()
    return out


def _app(doc) -> App:
    app = App()
    entries = json.loads(App.bundle_entries(registry.dumps(doc)))["models"]
    assert json.loads(app.load(json.dumps(entries))) == {"models": 2, "bad": []}
    return app


def test_queries(two_model_registry):
    app = _app(two_model_registry)
    result = json.loads(app.predict(json.dumps([0] * 100)))
    assert result["model_version"] == two_model_registry["models"][0]["version"]
    assert json.loads(app.health())["status"] == "healthy"
    assert len(json.loads(app.list())) == 2
    v1 = two_model_registry["models"][1]["version"]
    got = json.loads(app.get(v1))
    assert got["version"] == v1
    assert (got["notes"], got["tags"], got["lineage"]) == ("", [], None)  # an old entry
    assert json.loads(app.export(json.dumps([v1])))["models"][0]["version"] == v1


def test_compact_predict_and_echo(two_model_registry):
    app = _app(two_model_registry)
    bits = [i % 3 == 0 for i in range(100)]
    text = "".join("1" if b else "0" for b in bits)
    assert app.predict_bits(text) == app.predict(json.dumps(bits))
    with pytest.raises(ValueError, match="0 or 1"):
        app.predict_bits("01" * 49 + "0x")
    assert app.echo('{"value":[1,0]}') == '{"value":[1,0]}'


def test_mutations_return_exactly_what_to_store(two_model_registry):
    app = _app(two_model_registry)
    v0, v1 = (e["version"] for e in two_model_registry["models"])
    out = change(app, "set_production", json.dumps({"version": v1}))
    assert out["result"] == {"production": v1} and out["removed"] == []
    assert {e["version"]: e["is_production"] for e in out["put"]} == {v0: False, v1: True}
    assert json.loads(app.predict(json.dumps([1] * 100)))["model_version"] == v1
    out = change(app, "delete", json.dumps({"version": v0}))
    assert out == {"result": {"deleted": v0}, "put": [], "removed": [v0]}
    bundle = registry.export_bundle(two_model_registry, [v0])
    out = change(app, "import", json.dumps({"bundle": registry.dumps(bundle)}))
    assert out["result"]["imported"] == [v0] and [e["version"] for e in out["put"]] == [v0]
    assert not out["put"][0]["is_production"]  # the registry keeps its production model


def test_refused_mutation_changes_nothing(two_model_registry):
    app = _app(two_model_registry)
    before = app.export()
    with pytest.raises(RegistryError, match="promote another model first"):
        change(app, "delete", json.dumps({"version": two_model_registry["models"][0]["version"]}))
    with pytest.raises(RegistryError, match="not valid JSON"):
        change(app, "import", json.dumps({"bundle": "{oops"}))
    with pytest.raises(ValueError, match="unknown registry operation"):
        change(app, "drop_table", "{}")
    assert app.export() == before


def test_a_planned_change_is_served_only_once_storage_has_it(two_model_registry):
    app = _app(two_model_registry)
    v0, v1 = (e["version"] for e in two_model_registry["models"])
    before = app.export()
    planned = json.loads(app.plan("set_production", json.dumps({"version": v1})))
    assert planned["result"] == {"production": v1}
    assert app.export() == before  # not yet: storage has not committed it
    assert json.loads(app.predict_bits("0" * 100))["model_version"] == v0
    app.discard()  # the write failed
    with pytest.raises(RuntimeError, match="no planned registry change"):
        app.adopt()
    assert app.export() == before
    app.plan("set_production", json.dumps({"version": v1}))
    app.adopt()
    assert json.loads(app.predict_bits("0" * 100))["model_version"] == v1


def test_reset_also_deletes_damaged_records(two_model_registry):
    entries = copy.deepcopy(two_model_registry["models"])
    entries.append({"version": "hand-edited"})
    app = App()
    app.load(json.dumps(entries))
    out = change(app, "reset", json.dumps({"bundle": registry.dumps(two_model_registry)}))
    assert "hand-edited" in out["removed"]
    assert json.loads(app.health())["bad_entries"] == 0


def test_damaged_entries_are_set_aside_not_fatal(two_model_registry):
    entries = copy.deepcopy(two_model_registry["models"])
    entries[1]["model"]["weights"] = "garbage"
    entries.append({"version": "hand-edited"})
    app = App()
    report = json.loads(app.load(json.dumps(entries)))
    assert report["models"] == 1
    assert [b["version"] for b in report["bad"]] == [entries[1]["version"], "hand-edited"]
    assert "weights" in report["bad"][0]["error"]["message"]
    assert json.loads(app.health())["bad_entries"] == 2
    assert json.loads(app.predict(json.dumps([0] * 100)))["model_version"] == entries[0][
        "version"]


SMALL = {"hyperparameters": {"hidden_layer_sizes": [8], "max_epochs": 3, "patience": 10},
         "data": {"n_samples": 300}}


def _train(app: App, config: dict) -> tuple[list[dict], dict]:
    app.start_training(json.dumps(config))
    steps = []
    while True:
        step = json.loads(app.train_step())
        if step.get("done"):
            return steps, step
        steps.append(step)


def test_training_step_by_step_then_register(two_model_registry):
    app = _app(two_model_registry)
    steps, done = _train(app, SMALL)
    assert [s["epoch"] for s in steps] == [1, 2, 3]
    assert {"train_loss", "val_loss", "val_accuracy", "elapsed", "max_epochs"} <= set(steps[0])
    assert done["epochs"] == 3 and 0 <= done["accuracy"] <= 1
    assert set(done["metrics"]["per_class"]) == {"(none)", "b", "d", "f"}
    assert len(done["metrics"]["confusion_matrix"]) == 4
    out = change(app, "register", json.dumps({"promote": True}))
    version = out["result"]["version"]
    assert out["result"]["is_production"] and "model" not in out["result"]
    assert version in {e["version"] for e in out["put"]}
    assert json.loads(app.predict(json.dumps([0] * 100)))["model_version"] == version
    with pytest.raises(RegistryError, match="no trained model to register"):
        change(app, "register", "{}")


@pytest.mark.parametrize("name", ["fonts.npz", "handwriting.npz"])
def test_each_data_file_is_installed_where_its_source_reads_it(name, tmp_path, monkeypatch):
    """The worker hands each fetched data file to ``install_data``: it lands at its
    source's path and the reading module forgets what it had read. Anything else is
    refused."""
    import dataclasses
    import importlib

    from mlp_core.data import sources
    module = importlib.import_module(f"mlp_core.data.{name.removesuffix('.npz')}")
    target = tmp_path / "data" / name  # not the package's own file: other tests read it
    monkeypatch.setattr(module, "PATH", target)
    monkeypatch.setattr(sources, "SOURCES", tuple(
        dataclasses.replace(s, data_file=target) if s.data_file and s.data_file.name == name
        else s for s in sources.SOURCES))
    before = module.shipped()
    raw = (Path(module.__file__).parent / name).read_bytes()
    App().install_data(name, raw)
    assert target.read_bytes() == raw
    assert module.shipped() is not before  # read again, not the cached copy
    with pytest.raises(ValueError, match="expected one of fonts.npz, handwriting.npz"):
        App().install_data("../registry.json", b"{}")


def test_cancelled_training_registers_nothing(two_model_registry):
    app = _app(two_model_registry)
    before = app.export()
    app.start_training(json.dumps(SMALL))
    json.loads(app.train_step())
    app.cancel_training()
    with pytest.raises(RuntimeError, match="no training in progress"):
        app.train_step()
    with pytest.raises(RegistryError, match="no trained model"):
        change(app, "register", "{}")
    assert app.export() == before


def test_new_letter_and_drawn_samples_are_trained(two_model_registry):
    from drawings import DRAWINGS, as_bits

    x = [[1 if (r == c or r + c == 9) else 0 for c in range(10)] for r in range(10)]
    samples = [{"label": "x", "pattern": [v for row in x for v in row],
                "split": "train"}] * 5 + [
        {"label": "b", "pattern": as_bits(DRAWINGS["b"][0]), "split": "train"}] * 5
    config = {"hyperparameters": {"hidden_layer_sizes": [32], "activation": "relu",
                                  "learning_rate": 0.05, "momentum": 0.9, "max_epochs": 40},
              "data": {"n_samples": 1200, "augment": 0.3}, "templates": {"x": x},
              "samples": samples}
    app = _app(two_model_registry)
    _, done = _train(app, config)
    assert done["dataset_info"]["classes"] == ["b", "d", "f", "x"]
    assert done["dataset_info"]["user_samples"] == 10
    change(app, "register", json.dumps({"promote": True}))
    result = json.loads(app.predict(json.dumps(x)))
    assert result["letter"] == "x" and set(result["probabilities"]) == {"b", "d", "f", "x"}


@pytest.mark.parametrize("config, message", [
    ({"hyperparameters": {"activation": "gelu"}}, "activation must be one of"),
    ({"data": {"n_samples": 5}}, "n_samples must be"),
    ({"samples": [{"label": "q", "pattern": [0] * 100}]}, "not one of the classes"),
    ({"samples": [{"label": "b", "pattern": [2] * 100}]}, r"samples\[0\]: pattern value 0 is 2"),
    ({"templates": {"x": [0] * 100}}, "at least 3 inked cells"),
    ({"epochs": 3}, "unknown training setting"),
])
def test_bad_training_config_is_refused_before_training(config, message):
    with pytest.raises(ValueError, match=message):
        App().start_training(json.dumps(config))


def test_predict_all_runs_every_model(two_model_registry):
    app = _app(two_model_registry)
    out = json.loads(app.predict_all(json.dumps([1] * 100)))
    assert [o["model_version"] for o in out] == [
        e["version"] for e in two_model_registry["models"]]
    assert all(set(o["probabilities"]) == {"b", "d", "f"} for o in out)
    with pytest.raises(ValueError, match="100 values"):
        app.predict_all("[1]")
    bits = "1" * 100
    assert json.loads(app.predict_all_bits(bits)) == out  # the compact form, same answers
    with pytest.raises(ValueError, match="not a string"):
        app.predict_all(json.dumps(bits))
    assert out[0] == json.loads(app.predict(json.dumps([1] * 100)))  # one inference path


def test_predict_all_lists_a_model_that_cannot_read_the_drawing(two_model_registry):
    from mlp_core import MLP

    X = [[i % 2, (i // 2) % 2, 1] for i in range(40)]
    odd = MLP(hidden_layer_sizes=(4,), max_epochs=2).fit(X, ["a", "b"] * 20)
    doc, entry = registry.register(two_model_registry, odd, accuracy=0.5)
    app = App()
    app.load(json.dumps(doc["models"]))
    out = json.loads(app.predict_all_bits("0" * 100))
    assert [o["model_version"] for o in out] == [e["version"] for e in doc["models"]]
    assert out[-1] == {"model_version": entry["version"], "error": {
        "message": f"model {entry['version']} reads 3 inputs, not a 10x10 drawing",
        "code": "py.model_inputs", "params": {"version": entry["version"], "count": 3,
                                              "grid": 10}, "within": []}}


def test_checking_samples_and_new_letters():
    ok = json.loads(App.check_sample(json.dumps({"label": "b", "pattern": [True] * 100}),
                                     '["b", "d", "f"]'))
    assert ok == {"label": "b", "pattern": [1] * 100}
    with pytest.raises(ValueError, match="not one of the classes"):
        App.check_sample(json.dumps({"label": "z", "pattern": [0] * 100}), '["b"]')
    x = json.loads(App.check_class(json.dumps({"letter": " x ", "template": [1] * 100}),
                                   '["b", "d", "f"]'))
    assert x["letter"] == "x" and len(x["template"]) == 100
    with pytest.raises(ValueError, match="already a letter called 'b'"):
        App.check_class(json.dumps({"letter": "b", "template": [1] * 100}), '["b"]')
    with pytest.raises(ValueError, match="non-empty string"):
        App.check_class(json.dumps({"letter": "", "template": [1] * 100}), '["b"]')
    with pytest.raises(ValueError, match="100 values"):
        App.check_class(json.dumps({"letter": "q", "template": [1]}), '["b"]')


def test_repair_promotes_newest_when_production_was_damaged(two_model_registry):
    entries = copy.deepcopy(two_model_registry["models"])
    entries[0]["model"]["biases"] = None  # the production model's record is damaged
    app = App()
    report = json.loads(app.load(json.dumps(entries)))
    assert [b["index"] for b in report["bad"]] == [0]
    assert json.loads(app.health())["status"] == "degraded"
    out = change(app, "repair")
    survivor = entries[1]["version"]
    assert out["result"] == {"promoted": survivor, "removed": 1}
    assert out["removed"] == [entries[0]["version"]]  # Python names the damaged record
    assert [(e["version"], e["is_production"]) for e in out["put"]] == [(survivor, True)]
    assert json.loads(app.health())["status"] == "healthy"
    assert change(app, "repair")["result"] == {"promoted": None, "removed": 0}


def test_two_production_flags_are_reported_and_repaired(two_model_registry):
    entries = copy.deepcopy(two_model_registry["models"])
    for e in entries:
        e["is_production"] = True
    app = App()
    report = json.loads(app.load(json.dumps(entries)))
    assert "more than one production" in report["bad"][0]["error"]["message"]
    assert json.loads(app.load(json.dumps(entries)))["models"] == 2  # both kept
    out = change(app, "repair")
    assert out["result"]["promoted"] in {e["version"] for e in entries}


def test_the_page_asks_for_weights_and_history_not_raw_entries(two_model_registry):
    app = _app(two_model_registry)
    entry = two_model_registry["models"][1]
    w = json.loads(app.weights(entry["version"]))
    W = entry["model"]["weights"][0]  # inputs x units, as stored
    assert w["inputs"] == len(W) == 100 and len(w["units"]) == len(W[0])
    assert w["units"][2] == [row[2] for row in W]  # one unit's weights, input order
    assert w["max"] == max(abs(v) for row in W for v in row)
    assert json.loads(app.training_history(entry["version"])) == entry["model"]["history"]
    with pytest.raises(RegistryError, match="no model with version"):
        app.weights("v9")


def _examples(n_per_letter: int) -> list[dict]:
    from drawings import DRAWINGS, as_bits

    return [{"id": i * 3 + k, "label": letter, "pattern": as_bits(DRAWINGS[letter][0])}
            for i in range(n_per_letter) for k, letter in enumerate("bdf")]


def test_a_stable_30_percent_of_each_letters_examples_are_test_drawings():
    from mlp_core.data.examples import default_split, with_splits

    for letter in ("b", "x", "long name"):
        splits = [default_split(letter, i) for i in range(200)]
        for n in range(1, 200):
            assert int(0.3 * n) <= splits[:n].count("test") <= int(0.3 * n) + 1
    examples = _examples(10)
    examples[0]["split"] = "test"  # the person's own choice stands
    first = with_splits(examples)
    assert first[0]["split"] == "test"
    again = with_splits([*examples, *_examples(5)])  # adding never moves earlier ones
    assert [s["split"] for s in again[:30]] == [s["split"] for s in first]


def test_test_drawings_judge_models_and_are_never_trained_on(two_model_registry):
    app = _app(two_model_registry)
    examples = _examples(10)
    production = two_model_registry["models"][0]["version"]
    out = json.loads(app.evaluate("", json.dumps(examples)))
    assert out["version"] == production
    test = out["test"]
    assert 9 <= test["n"] <= 12 and 0 <= test["accuracy"] <= 1  # ~30% of 30
    assert sum(map(sum, test["confusion"])) == test["n"]
    assert out["validation"]["accuracy"] == two_model_registry["models"][0]["accuracy"]
    listed = json.loads(app.evaluate_all(json.dumps(examples)))
    assert [m["version"] for m in listed] == [e["version"] for e in two_model_registry["models"]]
    assert listed[0] == {"version": production, "accuracy": test["accuracy"], "n": test["n"]}
    assert json.loads(App().evaluate_all("[]")) == []
    assert json.loads(app.evaluate_all("[]")) == [
        {"version": m["version"], "accuracy": None, "n": 0} for m in listed]
    empty = json.loads(app.evaluate("", "[]"))["test"]
    assert empty["n"] == 0 and empty["accuracy"] is None
    # Training uses the training drawings only.
    _, done = _train(app, {**SMALL, "samples": examples})
    trained = sum(s["split"] == "train" for s in json.loads(app.with_splits(json.dumps(examples))))
    assert done["dataset_info"]["user_samples"] == trained == 30 - test["n"]


def test_a_bad_split_is_refused():
    with pytest.raises(ValueError, match="split must be one of train, test"):
        App.check_sample(json.dumps({"label": "b", "pattern": [0] * 100, "split": "dev"}),
                         '["b"]')


def test_a_coded_error_with_a_non_finite_number_is_strict_json():
    """A diverged loss is NaN: the note the worker parses (JSON.parse, which has no NaN)
    and the explained error must still be strict JSON."""
    from mlp_core.messages import NOTE, coded, explain

    err = coded(FloatingPointError, "diverged", epoch=3, loss=float("nan"))
    note = next(n for n in err.__notes__ if n.startswith(NOTE))[len(NOTE):]

    def refuse(name):
        raise AssertionError(f"{name} is not JSON")

    assert json.loads(note, parse_constant=refuse)["params"] == {"epoch": 3, "loss": "nan"}
    assert json.loads(json.dumps(explain(err), allow_nan=False))["params"]["loss"] == "nan"
