"""Model cards: Markdown from what the registry recorded and the test drawings."""

from __future__ import annotations

import json

from drawings import DRAWINGS, as_bits

from mlp_core import registry
from mlp_core.registry import store
from mlp_core.registry.model_card import model_card, wilson
from mlp_core.service.webapi import App


def test_the_card_of_the_default_model(tmp_path):
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    app = App()
    app.load(json.dumps(doc["models"]), json.dumps(doc["history"]))
    entry = doc["models"][0]
    tests = [{"label": k, "pattern": as_bits(d), "split": "test"}
             for k in "bdf" for d in DRAWINGS[k]]
    card = json.loads(app.model_card(entry["version"], json.dumps(tests)))
    for heading in ("# Model card: " + entry["version"], "## Intended use", "## Data",
                    "## Settings", "## Metrics", "### On the person's test drawings",
                    "## Lineage", "## Production history", "## Known limits"):
        assert heading in card.splitlines(), heading
    assert "accuracy 85.1%" in card
    assert "Accuracy 100.0% (12 of 12; 95% interval 75.7% to 100.0%)" in card
    assert "| b | 4 | 0 | 0 | 0 |" in card  # the test confusion matrix
    assert entry["lineage"]["data_sha256"] in card
    assert "| hidden_layer_sizes | [128] |" in card
    without = json.loads(app.model_card(entry["version"], "[]"))
    assert "No test drawings" in without
    # how it leaves the app: the ONNX file, its opset and its input layout
    assert "## Use elsewhere" in card.splitlines()
    assert (f"ONNX: `{entry['version']}.onnx`, opset 13. Input `drawing`: float32 [N, 100] "
            "(N = 1 for one drawing), the 10x10 grid row-major, 1 = ink, 0 = blank.") in card
    assert "Centring is inside the graph" in card
    assert "Also as MLflow, scikit-learn, JavaScript, Python" in card


def test_the_card_of_an_imported_model_says_where_it_came_from():
    from mlp_core.export import card_facts, export_model, import_sklearn

    doc = store.read_registry(store.DEFAULT_BUNDLE)
    raw = export_model(registry.get_production(doc), "sklearn").files["model.skops"]
    doc, report = import_sklearn(doc, raw, "mine.skops")
    entry = registry.get(doc, report["imported"][0])
    card = model_card(entry, exports=card_facts(entry))
    assert "Imported from mine.skops (CenterDrawing -> MLPClassifier; scikit-learn 1.6.1" in card
    assert "Imported with mlp_core" in card and "Trained in" not in card
    assert "the other settings are defaults" in card


def test_a_card_for_an_old_model_says_what_was_not_recorded(two_model_registry):
    entry = two_model_registry["models"][1]  # no lineage, no notes, no test figures
    card = model_card(entry)
    assert "Not recorded: the model was made before lineage was kept." in card
    assert "It cannot say \"none of these\"" in card
    notes, _ = registry.annotate(two_model_registry, entry["version"], notes="line one\nline two",
                                 tags=["old"])
    card = model_card(registry.get(notes, entry["version"]))
    assert "> line one\n> line two" in card and "Tags: old." in card


def test_wilson_interval():
    low, high = wilson(12, 12)
    assert round(low, 3) == 0.757 and high == 1.0
    low, high = wilson(50, 100)
    assert round(low, 3) == 0.404 and round(high, 3) == 0.596
