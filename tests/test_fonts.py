"""Letters and other characters rendered from real fonts, and the rejection margin chosen
on font families held out of training."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from mlp_core.data.fonts import CHARACTERS, ROLES, STYLES, font_rows, shipped
from mlp_core.limits import NONE_LABEL
from mlp_core.model.calibration import choose_margin
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
    X, chars = font_rows(300, 600, ["b", "d", "f", "x"], "validation", noise_max=0.0, rng=rng)
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


def test_choose_margin_balances_letters_kept_and_others_rejected():
    letters = np.array([3.0, 2.0, 1.5, 0.8])
    right = np.ones(4, dtype=bool)
    others = np.array([-2.0, 0.1, 0.4, 0.6])
    # Margin 0.75 keeps all four letters and rejects all four others.
    assert choose_margin(letters, right, others) == 0.75
    assert choose_margin(np.array([]), np.array([], dtype=bool), others) == 0.0
    # With nothing to separate, the rule stays as it was (0).
    assert choose_margin(np.array([5.0]), np.array([True]), np.array([-5.0])) == 0.0


def test_a_model_trained_with_fonts_stores_its_margin_and_applies_it():
    result = train_model({"hidden_layer_sizes": [24], "max_epochs": 15, "seed": 1},
                         {"n_samples": 3000, "fonts": 0.5, "augment": 0.5})
    model = result.model
    assert result.metrics["calibration"]["none_margin"] == model.none_margin_
    data = model_to_dict(model, preprocessing="center")
    assert data["calibration"]["none_margin"] == model.none_margin_
    assert model_from_dict(data).none_margin_ == model.none_margin_
    older = {**data, "calibration": {"temperature": data["calibration"]["temperature"]}}
    assert model_from_dict(older).none_margin_ == 0.0  # made before the margin existed
    with pytest.raises(ModelFormatError, match="none_margin"):
        model_from_dict({**data, "calibration": {**data["calibration"], "none_margin": 99}})
    # A larger margin rejects more: at the top of the range nothing is recognized.
    X = dataset(check_data_config({"n_samples": 200}), seed=9)[0]
    model.none_margin_ = 10.0
    assert not recognizer_of(model).predict_many(X)[1].any()
