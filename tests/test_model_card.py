"""Model cards: Markdown from what the registry recorded and the test drawings."""

from __future__ import annotations

import copy
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
    assert f"accuracy {100 * entry['accuracy']:.1f}%" in card
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
    assert "Real handwriting: — (imported: not measured)." in card
    assert "Where they come from" not in card


def test_a_card_for_an_old_model_says_what_was_not_recorded(two_model_registry):
    entry = two_model_registry["models"][1]  # no lineage, no notes, no test figures
    card = model_card(entry)
    assert "Not recorded: the model was made before lineage was kept." in card
    assert "It cannot say \"none of these\"" in card
    notes, _ = registry.annotate(two_model_registry, entry["version"], notes="line one\nline two",
                                 tags=["old"])
    card = model_card(registry.get(notes, entry["version"]))
    assert "> line one\n> line two" in card and "Tags: old." in card


#: ``metrics["handwriting"]`` as training records it (``data.handwriting.handwriting_summary``).
HANDWRITING = {"role": "evaluation", "writers": 22, "n": 1234, "right": 0.91, "rejected": 0.06,
               "wrong": 0.03, "top1": 0.95, "by_letter": {"b": 0.93, "d": 0.9, "f": 0.89},
               "by_pen": {"thin": 0.9, "thick": 0.92}, "writer_median": 0.94,
               "writer_p10": 0.8, "others_n": 7000, "others_rejected": 0.9}


def _default_entry(metrics: dict | None = None, **data) -> dict:
    """The default model's entry with its metrics' handwriting figure replaced (or left
    out: None) and ``data`` settings over its own (a key given as None is left out)."""
    entry = copy.deepcopy(registry.get_production(store.read_registry(store.DEFAULT_BUNDLE)))
    entry["metrics"].pop("handwriting", None)
    entry["metrics"].update(metrics or {})
    entry["dataset_info"].update(data)
    entry["dataset_info"] = {k: v for k, v in entry["dataset_info"].items() if v is not None}
    return entry


def test_the_card_leads_its_metrics_with_real_handwriting_and_names_every_source():
    card = model_card(_default_entry({"handwriting": HANDWRITING}, fonts=0.3, handwriting=0.2))
    metrics = card.split("## Metrics")[1]
    assert metrics.index("Real handwriting") < metrics.index("Validation (a held-out part")
    assert ("Real handwriting, by 22 writers it never saw (UNIPEN's evaluation writers), 1234 "
            "drawings of b, d, f in both pen widths: 91.0% read right and accepted, 6.0% "
            "rejected as \"none of these\", 3.0% read wrong (top-1, ignoring rejection: "
            "95.0%).") in card
    assert ("By letter: b 93.0%, d 90.0%, f 89.0%. By pen: thin 90.0%, thick 92.0%. Per "
            "writer: median 94.0%, 10th percentile 80.0%. Their other characters: 90.0% of "
            "7000 rejected.") in card
    assert ("- Where they come from: 30.0% fonts (printed and handwriting-style faces), 20.0% "
            "real handwriting (UNIPEN's training writers), 50.0% generated from the letter "
            "templates.") in card.splitlines()
    assert "- Generated drawings: " in card  # how: its augment and noise settings


def test_a_card_without_a_handwriting_figure_says_why():
    # Trained before handwriting was measured (and before it was a source: no setting).
    card = model_card(_default_entry(fonts=1.0, handwriting=None))
    assert ("Real handwriting: — (not measured: trained before the app measured "
            "handwriting).") in card.splitlines()
    assert "- Where they come from: 100.0% fonts (printed and handwriting-style faces)." in (
        card.splitlines())
    assert "Generated drawings" not in card  # none were
    # None of its letters is in the handwriting (none: a model of uppercase letters, say).
    card = model_card(_default_entry({"handwriting": None}))
    assert ("Real handwriting: — (not measured: none of its letters is in the handwriting)."
            in card.splitlines())


def test_wilson_interval():
    low, high = wilson(12, 12)
    assert round(low, 3) == 0.757 and high == 1.0
    low, high = wilson(50, 100)
    assert round(low, 3) == 0.404 and round(high, 3) == 0.596
