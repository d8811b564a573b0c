"""Metrics against hand-computed values."""

import numpy as np
import pytest

from mlp_core.model.metrics import confusion_matrix, evaluate


def test_confusion_matrix_and_per_class():
    y_true = ["b", "b", "b", "d", "d", "f"]
    y_pred = ["b", "d", "b", "d", "f", "f"]
    cm = confusion_matrix(y_true, y_pred, ["b", "d", "f"])
    assert cm.tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    r = evaluate(y_true, y_pred, ["b", "d", "f"])
    assert (r["correct"], r["total"], r["accuracy"]) == (4, 6, pytest.approx(4 / 6))
    assert r["per_class"]["b"] == {"precision": 1.0, "recall": pytest.approx(2 / 3),
                                   "f1": pytest.approx(0.8), "support": 3}
    assert r["per_class"]["d"]["precision"] == 0.5
    assert r["per_class"]["f"]["recall"] == 1.0
    assert r["macro_f1"] == pytest.approx(np.mean([0.8, 0.5, 2 / 3]))


def test_label_order_and_missing_class():
    cm = confusion_matrix(["x", "y"], ["x", "x"], ["y", "x", "z"])
    assert cm.tolist() == [[0, 1, 0], [0, 1, 0], [0, 0, 0]]
    r = evaluate(["x", "y"], ["x", "x"], ["y", "x", "z"])
    assert r["per_class"]["z"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_unknown_label_is_an_error():
    with pytest.raises(ValueError, match="'q' is not in labels"):
        confusion_matrix(["a", "q"], ["a", "a"], ["a"])
