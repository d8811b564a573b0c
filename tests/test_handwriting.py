"""Real handwriting as training data: the shipped strokes, drawing them onto the grid,
the writers' roles, and the honest evaluation on writers never trained on."""

import dataclasses
import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mlp_core.data import handwriting, sources
from mlp_core.data.handwriting import (
    PENS,
    ROLES,
    Handwriting,
    cells_crossed,
    exact_styles,
    handwriting_report,
    handwriting_rows,
    random_styles,
    shipped,
)
from mlp_core.limits import GRID, NONE_LABEL
from mlp_core.registry import document
from mlp_core.training.lineage import data_sha256
from mlp_core.training.train import METRICS_KEYS, recognizer_of, train_model

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT.parent / "shared" / "handwriting"


def _pack_writers() -> dict[str, str]:
    """The training pack's files -> writer (``writers.txt``), or skip without the pack."""
    path = PACK / "writers.txt"
    if not path.exists():
        pytest.skip(f"the handwriting pack is not at {PACK} (shared/ beside the clone)")
    rows = [line.split("\t") for line in path.read_text().splitlines()
            if line and not line.startswith("#")]
    return {r[0]: r[1] for r in rows}


def test_the_shipped_handwriting_holds_training_pack_writers_only():
    hw, files = shipped(), _pack_writers()
    assert set(hw.writers) <= set(files.values())
    assert hw.meta["pack_sha256"] == hashlib.sha256(
        (PACK / "unipen-train.npz").read_bytes()).hexdigest()


def test_writers_have_one_fixed_role_each_and_every_role_has_people():
    hw = shipped()
    assert len(hw.roles) == len(hw.writers) and set(hw.roles) == set(ROLES)
    counts = {r: hw.roles.count(r) for r in ROLES}
    assert counts["train"] > 100 and counts["validation"] >= 20 and counts["evaluation"] >= 20
    for role in ROLES:  # each role writes b, d and f
        assert set("bdf") <= set(hw.chars[hw.rows(role, "bdf")].tolist())
    # A writer's characters all carry the writer's role: roles are by person.
    spec = importlib.util.spec_from_file_location("mk", ROOT / "scripts" / "make_handwriting.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.roles(np.array(hw.writers)) == list(hw.roles)  # the script decides, seeded


def test_a_segment_inks_every_cell_its_path_crosses_and_no_other():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0, GRID, (300, 2)), rng.uniform(0, GRID, (300, 2))
    seg, cells = cells_crossed(a, b)
    t = np.linspace(0, 1, 3001)[:, None]
    for i in range(len(a)):
        dense = {tuple(c) for c in np.floor(a[i] + t * (b[i] - a[i])).astype(int).tolist()}
        mine = {tuple(c) for c in cells[seg == i].tolist()}
        assert dense <= mine  # nothing missed
        assert len(mine - dense) <= 1  # at most a corner touched exactly
    seg, cells = cells_crossed(np.array([[2.5, 2.5]]), np.array([[2.5, 2.5]]))
    assert {tuple(c) for c in cells.tolist()} == {(2, 2)}  # a dot inks its cell


def _one_stroke(points: list[tuple[float, float]], aspect: float) -> Handwriting:
    pts = np.array(points, dtype=float)
    return Handwriting(np.array(["l"]), np.array([0]), np.array([aspect]), np.array([0, 1]),
                       np.array([0, len(pts)]), pts, ("w",), ("train",), {})


def test_the_exact_rendering_scales_the_larger_side_to_9_6_cells_and_centres_it():
    hw = _one_stroke([(0.5, 0.0), (0.5, 1.0)], aspect=0.0)  # a vertical bar
    thin = hw.draw(np.array([0]), exact_styles(1, PENS["thin"])).reshape(GRID, GRID)
    assert thin[:, 5].all() and thin.sum() == GRID  # 0.2..9.8: every row, one column
    hw = _one_stroke([(0.0, 0.5), (1.0, 0.5)], aspect=50.0)  # a horizontal bar at y = 5
    thick = hw.draw(np.array([0]), exact_styles(1, PENS["thick"])).reshape(GRID, GRID)
    assert thick[4:6].all() and thick.sum() == 2 * GRID  # within 0.35 of y = 5: rows 4, 5


def test_random_styles_stay_in_their_ranges_and_keep_ink_on_the_grid():
    hw = shipped()
    rng = np.random.default_rng(0)
    rows = hw.sample(400, list("bdf"), "train", rng)
    styles = random_styles(len(rows), rng)
    for key in ("size", "slant", "wobble"):
        lo, hi = handwriting.STYLE_RANGES[key]
        assert lo <= getattr(styles, key).min() and getattr(styles, key).max() <= hi
    X = hw.draw(rows, styles, rng)
    assert X.shape == (400, GRID * GRID) and set(np.unique(X)) <= {0.0, 1.0}
    assert X.sum(axis=1).min() >= 3
    heights = (X.reshape(-1, GRID, GRID).any(axis=2)).sum(axis=1)
    assert heights.min() <= 7 and heights.max() == GRID  # small letters and whole-grid ones


def test_drawing_in_chunks_gives_the_same_grids_and_random_stream(monkeypatch):
    hw = shipped()
    rng = np.random.default_rng(5)
    rows = hw.sample(300, list("bdf"), "train", rng)
    styles = random_styles(len(rows), rng)

    def drawn(chunk: int) -> tuple[np.ndarray, np.ndarray]:
        monkeypatch.setattr(handwriting, "DRAW_CHUNK", chunk)
        r = np.random.default_rng(9)
        return hw.draw(rows, styles, r), r.random(4)

    whole, after = drawn(10_000)
    assert whole.sum() > 0 and set(np.unique(whole)) <= {0.0, 1.0}
    for chunk in (1, 7, 128):
        grids, then = drawn(chunk)
        np.testing.assert_array_equal(grids, whole)
        np.testing.assert_array_equal(then, after)  # the rng is left where it was


def test_rows_never_use_another_role_and_leave_out_characters_named_like_a_letter():
    hw = shipped()
    X, labels, chars = handwriting_rows(300, 900, ["b", "d", "f", "x"], "validation",
                                        rng=np.random.default_rng(1))
    assert len(X) == 1200
    assert set(chars[labels != NONE_LABEL]) == {"b", "d", "f", "x"}
    assert not {"B", "D", "F", "X", "x", "b"} & set(chars[labels == NONE_LABEL])
    assert {"h", "P", "6", "@"} <= set(chars[labels == NONE_LABEL])
    validation = {w for w, r in zip(hw.writers, hw.roles, strict=True) if r == "validation"}
    rows = hw.sample(500, list("abc"), "validation", np.random.default_rng(2))
    assert {hw.writers[w] for w in hw.writer[rows]} <= validation


def test_every_lowercase_letter_of_a_model_gets_handwriting():
    X, labels, _ = handwriting_rows(400, 0, ["a", "b", "d", "e", "f"], "train",
                                    rng=np.random.default_rng(4))
    counts = {c: int(np.sum(labels == c)) for c in "abdef"}
    assert min(counts.values()) >= 50, counts  # balanced by letter


def test_sources_mix_by_share_and_the_rest_is_synthetic():
    cfg = {"fonts": 0.2, "handwriting": 0.5}
    assert sources.shares(cfg) == pytest.approx({"fonts": 0.2, "handwriting": 0.5,
                                                 "synthetic": 0.3})
    assert sources.shares({"fonts": 0.8, "handwriting": 0.8}) == pytest.approx(
        {"fonts": 0.5, "handwriting": 0.5, "synthetic": 0.0})  # scaled to 1
    assert sources.shares({}) == {"fonts": 0.0, "handwriting": 0.0, "synthetic": 1.0}


def test_a_trained_model_reports_handwriting_of_evaluation_writers_only():
    result = train_model({"hidden_layer_sizes": [16], "max_epochs": 3, "activation": "relu",
                          "learning_rate": 0.05, "momentum": 0.9},
                         {"n_samples": 1500, "handwriting": 0.6, "fonts": 0.2})
    m = result.metrics
    assert set(m) == set(METRICS_KEYS)
    h = m["handwriting"]
    hw = shipped()
    evaluation = hw.rows("evaluation", "bdf")
    assert h["role"] == "evaluation" and h["n"] == len(PENS) * len(evaluation)
    assert h["right"] + h["rejected"] + h["wrong"] == pytest.approx(1.0)
    assert set(h["by_letter"]) == {"b", "d", "f"} and set(h["by_pen"]) == set(PENS)
    report = handwriting_report(recognizer_of(result.model))
    assert report["letters"]["all"]["right"] == pytest.approx(h["right"], abs=1e-4)
    assert result.dataset_info["handwriting"] == 0.6


def test_the_data_fingerprint_covers_the_data_files(tmp_path, monkeypatch):
    hp, cfg = {"seed": 1}, {"handwriting": 0.5, "fonts": 0.0}
    before = data_sha256(hp, cfg, {}, np.zeros((0, 100)), np.zeros(0))
    assert before == data_sha256(hp, cfg, {}, np.zeros((0, 100)), np.zeros(0))
    changed = tmp_path / "handwriting.npz"
    changed.write_bytes(handwriting.PATH.read_bytes() + b"\0")
    monkeypatch.setitem(sources.BY_NAME, "handwriting", dataclasses.replace(
        sources.BY_NAME["handwriting"], data_file=changed))
    assert data_sha256(hp, cfg, {}, np.zeros((0, 100)), np.zeros(0)) != before
    # A training without handwriting does not depend on that file.
    synthetic = data_sha256(hp, {"handwriting": 0.0}, {}, np.zeros((0, 100)), np.zeros(0))
    monkeypatch.undo()
    assert synthetic == data_sha256(hp, {"handwriting": 0.0}, {}, np.zeros((0, 100)),
                                    np.zeros(0))


def test_an_older_entry_gets_the_new_data_setting_with_its_old_meaning():
    entry = {"version": "v1", "dataset_info": {"n_samples": 3000, "fonts": 0.5},
             "hyperparameters": {}}
    out = document.migrate_entry(entry)
    assert out["dataset_info"]["handwriting"] == 0.0 and out["dataset_info"]["fonts"] == 0.5
    assert "handwriting" not in entry["dataset_info"]  # not mutated
    imported = {"dataset_info": {"imported": True}}
    assert document.migrate_entry(imported) == imported  # not a trained model's data


def test_evaluate_reports_handwriting_and_fonts(tmp_path):
    out = subprocess.run([sys.executable, "-m", "mlp_core", "evaluate", "--source",
                          "handwriting"], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
                                            "PYTHONPATH": str(ROOT)})
    report = json.loads(out.stdout)
    assert set(report) == {"version", "handwriting"}
    h = report["handwriting"]
    assert h["role"] == "evaluation" and set(h["letters"]["by_pen"]) == set(PENS)
    assert h["writers"]["p10"] <= h["writers"]["median"]
    assert "h" in h["others"]["by_character"] and "B" not in h["others"]["by_character"]
    md = subprocess.run([sys.executable, "-m", "mlp_core", "evaluate", "--markdown"],
                        capture_output=True, text=True, check=True, cwd=tmp_path,
                        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
                             "PYTHONPATH": str(ROOT)}).stdout
    assert "handwriting: writers in role 'evaluation'" in md and "font families" in md
