"""Synthetic data: templates, noise recipe, augmentation, stratified split."""

from __future__ import annotations

import re

import numpy as np
import pytest
from drawings import DRAWINGS, as_bits

from mlp_core import MLP, default_templates, make_dataset, train_val_split
from mlp_core.data.drawing import read_pattern
from mlp_core.data.examples import check_new_letter, check_samples
from mlp_core.data.synthetic import check_template, flip_pixels, glyph_variants, parse_template


def _bbox(x: np.ndarray) -> tuple[int, int, int, int]:
    g = x.reshape(10, 10)
    rows, cols = np.flatnonzero(g.any(1)), np.flatnonzero(g.any(0))
    return rows[0], cols[0], rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_templates_are_distinct_letters():
    t = default_templates()
    assert sorted(t) == ["b", "d", "f"]
    for a in t:
        assert t[a].shape == (10, 10) and set(np.unique(t[a])) == {0, 1}
        for b in t:
            if a < b:  # far enough apart to survive 30% flips
                assert np.sum(t[a] != t[b]) >= 40


def test_balanced_classes_and_reproducible():
    X, y = make_dataset(301, seed=5)
    assert X.shape == (301, 100) and set(np.unique(X)) <= {0.0, 1.0}
    _, counts = np.unique(y, return_counts=True)
    assert counts.max() - counts.min() <= 1
    X2, y2 = make_dataset(301, seed=5)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, make_dataset(301, seed=6)[0])


def test_original_recipe_clean_share_and_noise_range():
    X, y = make_dataset(4000, seed=1)
    t = default_templates()
    T = np.array([t[c].ravel() for c in y])
    flipped = (X != T).mean(axis=1)
    clean = flipped == 0
    assert 0.08 < clean.mean() < 0.12  # 10% clean copies
    assert flipped.max() <= 0.45
    assert 0.12 < flipped[~clean].mean() < 0.19  # uniform 1%-30% has mean 15.5%


def test_noise_settings_are_honoured():
    X, y = make_dataset(2000, clean_fraction=0.0, noise_range=(0.2, 0.2), seed=2)
    t = default_templates()
    T = np.array([t[c].ravel() for c in y])
    assert (X != T).mean() == pytest.approx(0.2, abs=0.01)
    X, _ = make_dataset(50, clean_fraction=1.0, seed=2)
    assert all(any(np.array_equal(x, v.ravel()) for v in t.values()) for x in X)


def test_flip_pixels_rate():
    rng = np.random.default_rng(0)
    X = np.zeros((500, 100))
    assert flip_pixels(X, 0.3, rng).mean() == pytest.approx(0.3, abs=0.01)
    assert flip_pixels(X, 0.0, rng).sum() == 0


def test_augmentation_moves_resizes_and_restrokes():
    X, y = make_dataset(3000, augment=1.0, clean_fraction=1.0, seed=3)
    boxes = np.array([_bbox(x) for x in X])
    assert len({(r, c) for r, c, _, _ in boxes}) > 20  # many positions
    assert (boxes[:, 2] <= 6).mean() > 0.15  # small letters
    assert len({w for _, _, _, w in boxes}) >= 6  # narrow and wide
    assert (boxes[:, 2] == 10).mean() > 0.05  # full-height letters too
    blocks = X.reshape(-1, 10, 10)
    has_2x2 = (blocks[:, :-1, :-1] * blocks[:, 1:, :-1] * blocks[:, :-1, 1:]
               * blocks[:, 1:, 1:]).any(axis=(1, 2))
    assert 0.2 < has_2x2.mean() < 0.9  # both bold and thin strokes


def test_glyph_variants_fit_the_grid():
    for letter, template in default_templates().items():
        variants = glyph_variants(template)
        assert len(variants) >= 8, letter
        assert all(v.shape[0] <= 10 and v.shape[1] <= 10 and v.sum() >= 3 for v in variants)


def test_augmentation_is_what_makes_drawn_letters_recognizable():
    """Trained on exact templates only, a model misreads letters drawn off-centre, small
    or thin; trained with augmentation, it reads (nearly) all of them."""
    kw = dict(hidden_layer_sizes=(64,), activation="relu", learning_rate=0.05, momentum=0.9,
              max_epochs=60, patience=8)
    drawn = [(letter, as_bits(d)) for letter, ds in DRAWINGS.items() for d in ds]
    X_drawn = np.array([bits for _, bits in drawn], dtype=float)
    y_drawn = np.array([letter for letter, _ in drawn])
    plain = MLP(**kw).fit(*make_dataset(6000, augment=0.0, seed=11))
    augmented = MLP(**kw).fit(*make_dataset(6000, augment=0.6, seed=11))
    assert plain.score(X_drawn, y_drawn) < 0.5
    assert augmented.score(X_drawn, y_drawn) >= 0.8


def test_custom_template_adds_a_class():
    t = default_templates()
    t["x"] = parse_template(["#........#", ".#......#.", "..#....#..", "...#..#...",
                             "....##....", "....##....", "...#..#...", "..#....#..",
                             ".#......#.", "#........#"])
    X, y = make_dataset(400, templates=t, seed=1)
    assert sorted(np.unique(y)) == ["b", "d", "f", "x"]


def test_stratified_split():
    X, y = make_dataset(1000, seed=4)
    X_tr, X_val, y_tr, y_val = train_val_split(X, y, validation_fraction=0.2, seed=1)
    assert len(y_val) == pytest.approx(200, abs=3) and len(y_tr) + len(y_val) == 1000
    for c in "bdf":
        assert (y_val == c).sum() == pytest.approx((y == c).sum() * 0.2, abs=1)
    again = train_val_split(X, y, validation_fraction=0.2, seed=1)
    assert np.array_equal(again[1], X_val)
    rows = {r.tobytes() for r in X_tr} | {r.tobytes() for r in X_val}
    assert rows == {r.tobytes() for r in X}


@pytest.mark.parametrize("kwargs, message", [
    ({"n_samples": 2}, "at least the number of classes"),
    ({"noise_range": (0.3, 0.1)}, "noise_range"),
    ({"clean_fraction": 1.5}, "clean_fraction"),
    ({"augment": -0.1}, "augment"),
])
def test_bad_data_settings(kwargs, message):
    kwargs = {"n_samples": 30, **kwargs}
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)


def test_bad_templates():
    with pytest.raises(ValueError, match="10 rows"):
        parse_template(["#"])
    with pytest.raises(ValueError, match="only 0 and 1"):
        make_dataset(30, templates={**default_templates(), "z": np.full((10, 10), 2)})


def test_a_pattern_written_as_text_is_read_by_the_one_text_reader():
    """Templates and drawn examples may be text, as ``predict`` reads it: 100 characters
    0/1, with whitespace, commas, '|' and '_' between them ignored."""
    x = np.array(as_bits(DRAWINGS["b"][0]), dtype=float)
    rows = ["".join(str(int(v)) for v in r) for r in x.reshape(10, 10)]
    for text in ("".join(rows), "|".join(rows), "\n".join(rows), ", ".join(rows)):
        assert np.array_equal(read_pattern(text), x)
        assert np.array_equal(check_template("e", text), x.reshape(10, 10))
        X, _ = check_samples([{"label": "b", "pattern": text}], ["b", "d", "f"])
        assert np.array_equal(X[0], x)
    assert np.array_equal(read_pattern(x.tolist()), x)  # values as before
    assert check_new_letter({"letter": "e", "template": "|".join(rows)}, ["b"])[
        "template"] == x.astype(int).tolist()


SHAPE = ("pattern must be 100 cells of 0 and 1 (a 10x10 grid as a list of rows, a flat "
         "list, or a string of 100 characters 0 and 1); got a string of ")


@pytest.mark.parametrize("text, message", [
    ("01" * 49 + "0", SHAPE + "99 characters"),
    ("0" * 101, SHAPE + "101 characters"),
    ("", SHAPE + "0 characters"),
    ("0" * 50 + "2" + "0" * 49, "pattern character 50 is '2'; a pattern written as text"),
    ("0 0 x" + "0" * 97, "pattern character 4 is 'x'"),
])
def test_a_bad_text_pattern_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        read_pattern(text)
    with pytest.raises(ValueError, match=re.escape(f"templates.e: {message}")):
        check_template("e", text)
    with pytest.raises(ValueError, match=re.escape(f"samples[1]: {message}")):
        check_samples([{"label": "b", "pattern": [0] * 100}, {"label": "b", "pattern": text}],
                      ["b"])
