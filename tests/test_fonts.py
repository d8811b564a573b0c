"""Letters and other characters rendered from real fonts, and the rejection margin chosen
on font families held out of training."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from mlp_core.data.fonts import CHARACTERS, ROLES, STYLES, font_rows, shipped
from mlp_core.limits import NONE_LABEL
from mlp_core.model.calibration import choose_margins
from mlp_core.model.serialize import ModelFormatError, model_from_dict, model_to_dict
from mlp_core.training.train import check_data_config, dataset, recognizer_of, train_model

ROOT = Path(__file__).resolve().parents[1]


def _render_script():
    spec = importlib.util.spec_from_file_location("render_fonts",
                                                  ROOT / "scripts" / "render_fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_grids_come_only_from_the_listed_packages_split_by_family():
    fonts, listed = shipped(), _render_script().PACKAGES
    assert set(fonts.packages) <= set(listed)
    assert set(fonts.roles) == set(ROLES) and set(fonts.styles) == set(STYLES)
    for role in ROLES:  # every role has every style, and every character
        styles = {s for s, r in zip(fonts.styles, fonts.roles, strict=True) if r == role}
        assert styles == set(STYLES)
        assert set(fonts.chars[fonts.rows(role, CHARACTERS)]) == set(CHARACTERS)
    assert not set(CHARACTERS) & set("BDF")  # B, D and F are neither letters nor others
    grids = fonts.grids(np.arange(len(fonts.chars)))
    assert set(np.unique(grids)) == {0.0, 1.0} and grids.sum(axis=1).min() >= 2


def test_font_rows_never_use_another_role_or_a_letter_name():
    fonts, rng = shipped(), np.random.default_rng(0)
    X, labels, chars = font_rows(300, 600, ["b", "d", "f", "x"], "validation", noise_max=0.0,
                                 rng=rng)
    assert list(labels) == [*chars[:300], *[NONE_LABEL] * 600]
    assert len(X) == 900 and set(chars[:300]) == {"b", "d", "f", "x"}  # fonts back an x too
    assert not {"x", "X", "b", "d", "f"} & set(chars[300:])
    # Each grid drawn (moved, unflipped) is one of that character's validation grids.
    allowed = {}
    rows = fonts.rows("validation", CHARACTERS)
    for i, grid in zip(rows, fonts.grids(rows), strict=True):
        allowed.setdefault(str(fonts.chars[i]), set()).add(_ink(grid))
    for x, c in zip(X, chars, strict=True):
        assert _ink(x) in allowed[str(c)]


def _ink(x: np.ndarray) -> bytes:
    """A grid's inked box, wherever it is."""
    g = x.reshape(10, 10).astype(bool)
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    box = g[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    return bytes(box.shape) + np.packbits(box).tobytes()


def test_the_font_share_of_the_data_and_its_default():
    assert check_data_config({})["fonts"] == 0.0  # models made before it had none
    cfg = check_data_config({"n_samples": 2000, "negatives": 0.4, "fonts": 0.5})
    X, y = dataset(cfg, seed=3)
    X2, y2 = dataset(cfg, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert len(y) == 2000 and np.sum(y == NONE_LABEL) == 800
    synthetic, _ = dataset({**cfg, "fonts": 0.0}, seed=3)
    assert not np.array_equal(X, synthetic)


def test_margins_rise_only_for_the_letter_that_is_confused():
    """b is confused with h (h rows get high b margins); d is confused with nothing."""
    rng = np.random.default_rng(0)
    n = 200
    letters_b = rng.uniform(2.0, 3.0, n)   # b rows: margins 2..3
    letters_d = rng.uniform(0.5, 3.0, n)   # d rows: margins 0.5..3
    h_as_b = rng.uniform(-1.0, 1.9, n)     # h rows, read as b: below 2
    x_as_d = rng.uniform(-3.0, 0.4, n)     # other rows, read as d: below 0.5
    margin = np.concatenate([letters_b, letters_d, h_as_b, x_as_d])
    best = np.repeat([0, 1, 0, 1], n)
    truth = np.repeat([0, 1, -1, -1], n)
    other = np.repeat(["b", "d", "h", "x"], n)
    margins = choose_margins(margin, best, truth, other, 2)
    assert margins[0] >= 1.75 and margins[1] <= 0.5
    assert np.all(choose_margins(margin[truth >= 0], best[truth >= 0], truth[truth >= 0],
                                 other[truth >= 0], 2) == 0)  # nothing to reject


def test_a_model_trained_with_fonts_stores_its_margins_and_applies_them():
    result = train_model({"hidden_layer_sizes": [24], "max_epochs": 15, "seed": 1},
                         {"n_samples": 3000, "fonts": 0.5, "augment": 0.5})
    model = result.model
    assert result.metrics["calibration"]["none_margins"] == model.none_margins_
    data = model_to_dict(model, preprocessing="center")
    assert data["calibration"]["none_margins"] == model.none_margins_
    assert model_from_dict(data).none_margins_ == model.none_margins_
    older = {**data, "calibration": {"temperature": data["calibration"]["temperature"]}}
    assert model_from_dict(older).none_margins_ == {}  # made before margins existed
    for bad in ({"b": 99}, {"q": 1.0}, {NONE_LABEL: 1.0}, [1.0]):
        with pytest.raises(ModelFormatError, match="none_margins"):
            model_from_dict({**data, "calibration": {**data["calibration"], "none_margins": bad}})
    # A larger margin rejects more: at the top of the range nothing is recognized.
    X = dataset(check_data_config({"n_samples": 200}), seed=9)[0]
    model.none_margins_ = dict.fromkeys(("b", "d", "f"), 10.0)
    assert not recognizer_of(model).predict_many(X)[1].any()


def test_evaluate_reports_fonts_never_trained_on(tmp_path):
    """`python -m mlp_core evaluate` judges the production model on the evaluation
    families; the shipped model reads printed letters from them."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "mlp_core", "--registry",
                          str(tmp_path / "none.json"), "evaluate"], capture_output=True,
                         text=True, check=False, cwd=tmp_path)
    assert out.returncode == 1 and "no production model" in out.stderr  # empty: says so
    out = subprocess.run([sys.executable, "-m", "mlp_core", "evaluate"], capture_output=True,
                         text=True, check=True, cwd=tmp_path,
                         env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
                              "PYTHONPATH": str(ROOT)})
    report = json.loads(out.stdout)["fonts"]
    fonts = shipped()
    assert report["role"] == "evaluation"
    assert set(report["families"]) == {f for f, r in zip(fonts.families, fonts.roles,
                                                         strict=True) if r == "evaluation"}
    text = report["letters"]["by_style"]["text"]
    assert text["n"] >= 200 and text["right"] >= 0.9  # the synthetic-only model: 54%
    assert abs(text["right"] + text["rejected"] + text["wrong"] - 1) < 1e-9
    assert report["others"]["all"]["rejected"] >= 0.9
    assert "h" in report["others"]["by_character"] and "B" not in report["others"]["by_character"]
