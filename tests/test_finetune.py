"""Fine-tuning a registered model on drawn examples: from its own weights, with a replay,
growing the output layer for a new letter (Python API, the worker's side and the CLI)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from drawings import DRAWINGS, as_bits

from mlp_core import cli, registry, settings
from mlp_core.data.fonts import font_report
from mlp_core.data.heldout import open_set_report
from mlp_core.data.synthetic import default_templates
from mlp_core.model.preprocess import center
from mlp_core.registry import store
from mlp_core.service.evaluation import evaluate_drawings
from mlp_core.service.webapi import App
from mlp_core.training.finetune import finetune_steps
from mlp_core.training.train import check_data_config, dataset

X_TEMPLATE = np.eye(10, dtype=int)[::-1] | np.eye(10, dtype=int)  # an x: both diagonals


def run(steps):
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def x_drawings(n: int, seed: int) -> list[list[int]]:
    """Hand-drawn-like x's: the template shifted by up to a cell, a cell or two missing."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        x = np.roll(X_TEMPLATE, (rng.integers(-1, 2), rng.integers(-1, 2)), axis=(0, 1))
        on = np.flatnonzero(x)
        x.flat[rng.choice(on, size=rng.integers(0, 3), replace=False)] = 0
        out.append(x.ravel().tolist())
    return out


@pytest.fixture(scope="module")
def parent() -> registry.Entry:
    return registry.get_production(store.read_registry(store.DEFAULT_BUNDLE))


def test_a_new_letter_grows_the_output_layer_and_keeps_the_rest(parent):
    examples = ([{"label": "x", "pattern": p} for p in x_drawings(20, seed=1)]
                + [{"label": k, "pattern": as_bits(d)} for k in "bdf" for d in DRAWINGS[k]])
    result = run(finetune_steps(parent, {}, templates={"x": X_TEMPLATE.ravel().tolist()},
                                samples=examples))
    model, old = result.model, registry.load_model(parent)
    assert list(model.classes_) == ["(none)", "b", "d", "f", "x"]
    assert model.layer_sizes[:-1] == old.layer_sizes[:-1]  # the hidden layers are kept
    assert result.lineage["parent"] == parent["version"]
    assert result.dataset_info["user_samples"] == len(examples)

    doc, entry = registry.register(registry.empty_registry(), result.model_dict(),
                                   accuracy=result.accuracy, lineage=result.lineage,
                                   dataset_info=result.dataset_info)
    rec = registry.load_recognizer(entry)
    new_x = np.array(x_drawings(30, seed=2), dtype=float)  # not trained on
    assert evaluate_drawings(rec, new_x, ["x"] * 30)["accuracy"] >= 0.9
    bdf = [(k, as_bits(d)) for k in "bdf" for d in DRAWINGS[k]]
    X, y = np.array([p for _, p in bdf], dtype=float), [k for k, _ in bdf]
    assert evaluate_drawings(rec, X, y)["accuracy"] == 1.0  # what it knew, kept
    # What it knew, on fresh data drawn as the parent's was but with x a letter (an x is
    # no longer "none of these"): no more than 4 points lost on the rest (3.5 measured,
    # mostly b, d and f now rejected: the handwriting recipe's data holds many letters
    # near "none of these", and a fine-tuning with a new letter moves that boundary).
    info = parent["dataset_info"]
    cfg = check_data_config({**{k: info[k] for k in settings.defaults("data") if k in info},
                             "n_samples": 3000})
    X, y = dataset(cfg, {**default_templates(), "x": X_TEMPLATE}, seed=99)
    X, y = center(X[y != "x"]), y[y != "x"]
    before = np.mean(registry.load_model(parent).predict(X) == y)
    assert np.mean(model.predict(X) == y) >= before - 0.04


def test_fine_tuning_on_letters_only_keeps_rejecting_non_letters(parent):
    """The replay holds the parent's non-letters (generated and from fonts), and the
    margins are chosen again: no more than 3 points of rejection are lost."""
    examples = [{"label": k, "pattern": as_bits(d)} for k in "bdf" for d in DRAWINGS[k]] * 4
    result = run(finetune_steps(parent, {}, samples=examples))
    before = registry.load_recognizer(parent)
    after = registry.load_recognizer({**parent, "model": result.model_dict()})
    assert (open_set_report(after)["reject_rate"]
            >= open_set_report(before)["reject_rate"] - 0.03)
    fonts = [font_report(r, "evaluation")["others"]["all"]["rejected"] for r in (before, after)]
    assert fonts[1] >= fonts[0] - 0.03, fonts
    assert result.metrics["calibration"]["none_margins"] == result.model.none_margins_


def test_it_starts_from_the_parent_weights(parent):
    """With a learning rate too small to move anything, the fine-tuned model is the parent
    (known outputs and hidden layers exactly as they were)."""
    steps = finetune_steps(parent, {"epochs": 1, "learning_rate_scale": 1e-12},
                           samples=[{"label": "b", "pattern": as_bits(DRAWINGS["b"][0])}])
    model, old = run(steps).model, registry.load_model(parent)
    for W, W_old in zip(model.weights_, old.weights_, strict=True):
        np.testing.assert_allclose(W, W_old, atol=1e-9)


def test_drawings_improve_a_weak_model_and_test_drawings_are_not_trained_on(parent):
    from mlp_core.training.train import train_model

    weak = train_model({"hidden_layer_sizes": [16], "max_epochs": 2}, {"n_samples": 300,
                                                                        "negatives": 0.0})
    _, entry = registry.register(registry.empty_registry(), weak.model_dict(),
                                 accuracy=weak.accuracy, dataset_info=weak.dataset_info)
    drawn = [{"label": k, "pattern": as_bits(d)} for k in "bdf" for d in DRAWINGS[k]]
    X = np.array([s["pattern"] for s in drawn], dtype=float)
    y = [s["label"] for s in drawn]
    before = evaluate_drawings(registry.load_recognizer(entry), X, y)["accuracy"]
    tuned = run(finetune_steps(entry, {"repeat": 20}, samples=drawn))
    _, child = registry.register(registry.empty_registry(), tuned.model_dict(),
                                 accuracy=tuned.accuracy, dataset_info=tuned.dataset_info)
    assert evaluate_drawings(registry.load_recognizer(child), X, y)["accuracy"] > before

    as_test = [{**s, "split": "test"} for s in drawn]
    untouched = run(finetune_steps(entry, {"repeat": 20}, samples=as_test))
    assert untouched.dataset_info["user_samples"] == 0
    assert untouched.lineage["data_sha256"] == run(finetune_steps(entry, {"repeat": 20})
                                                   ).lineage["data_sha256"]


def test_settings_are_checked(parent):
    with pytest.raises(ValueError, match="epochs must be an integer from 1 to 200"):
        finetune_steps(parent, {"epochs": 0})
    with pytest.raises(ValueError, match="unknown fine-tuning setting 'max_epochs'"):
        finetune_steps(parent, {"max_epochs": 3})
    with pytest.raises(ValueError, match="not one of the classes"):
        finetune_steps(parent, {}, samples=[{"label": "q", "pattern": [0] * 100}])


def test_the_worker_fine_tunes_production_and_registers_a_child(parent):
    app = App()
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    app.load(json.dumps(doc["models"]), json.dumps(doc["history"]))
    samples = [{"label": k, "pattern": as_bits(d)} for k in "bdf" for d in DRAWINGS[k]]
    app.start_finetune(json.dumps({"finetune": {"epochs": 2}, "samples": samples}))
    while not json.loads(app.train_step()).get("done"):
        pass
    plan = json.loads(app.plan("register", "{}"))
    app.adopt()
    child = plan["result"]
    assert child["lineage"]["parent"] == parent["version"]
    assert child["dataset_info"]["user_samples"] == len(samples) - 3  # 30% test, by default
    assert not child["is_production"]


def test_cli_finetune(tmp_path, capsys, parent):
    samples = tmp_path / "samples.json"
    samples.write_text(json.dumps([{"label": "x", "pattern": p}
                                   for p in x_drawings(10, seed=3)]))
    templates = tmp_path / "letters.json"
    templates.write_text(json.dumps({"x": X_TEMPLATE.ravel().tolist()}))
    path = tmp_path / "r.json"
    path.write_text(registry.dumps(store.read_registry(store.DEFAULT_BUNDLE)))
    assert cli.main(["--registry", str(path), "finetune", "--samples", str(samples),
                     "--templates", str(templates), "--epochs", "3", "--quiet",
                     "--promote"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parent"] == parent["version"] and out["is_production"]
    doc = store.read_registry(path)
    assert registry.get_production(doc)["model"]["classes"][-1] == "x"
    assert cli.main(["--registry", str(path), "finetune", "--samples", str(tmp_path)]) == 1
    assert "error:" in capsys.readouterr().err


H = ["#.........", "#.........", "#.........", "#.........", "#.####....", "##....#...",
     "#.....#...", "#.....#...", "#.....#...", "#.....#..."]  # an h: read as b
#: Another h, drawn with a smaller arch: never trained on.
H2 = ["#.........", "#.........", "#.........", "#.........", "#.###.....", "##...#....",
      "#.....#...", "#.....#...", "#.....#...", "#.....#..."]


def test_drawings_labelled_none_of_these_teach_rejection(parent):
    """An h the model reads as b, labelled "none of these" three times (in three places,
    which centring makes one input): after fine-tuning, another h, drawn differently, is
    rejected too, and the b, d and f drawings are still read."""
    def grid(rows):
        return np.array([[1 if c == "#" else 0 for c in row] for row in rows])

    hs = [np.roll(grid(H), shift, axis=1).ravel().tolist() for shift in range(3)]
    other = grid(H2).ravel().astype(float)
    before = registry.load_recognizer(parent)
    assert all(before.predict_one(np.array(x, float))["recognized"] for x in [*hs, other])
    examples = [{"label": "(none)", "pattern": x} for x in hs]
    examples += [{"label": k, "pattern": as_bits(d)} for k in "bdf" for d in DRAWINGS[k]]
    result = run(finetune_steps(parent, {}, samples=examples))
    after = registry.load_recognizer({**parent, "model": result.model_dict()})
    assert not after.predict_one(other)["recognized"]
    letters = [(k, as_bits(d)) for k in "bdf" for d in DRAWINGS[k]]
    test = evaluate_drawings(after, np.array([p for _, p in letters], float),
                             [k for k, _ in letters])
    assert test["accuracy"] == 1.0
