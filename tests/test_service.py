"""The predict / model_info / health facade."""

from __future__ import annotations

import numpy as np
import pytest
from drawings import DRAWINGS, as_bits

from mlp_core import Service, default_templates, registry, validate_pattern
from mlp_core.data.drawing import parse_bits
from mlp_core.registry import store


@pytest.fixture
def service(two_model_registry):
    calls = []

    def get():
        calls.append(1)
        return two_model_registry

    s = Service(get)
    s.calls = calls
    return s


def test_predict_contract(service):
    bits = default_templates()["d"].ravel().tolist()
    r = service.predict(bits)
    assert set(r) == {"letter", "recognized", "probabilities", "none_probability",
                      "confidence", "model_version"}
    assert r["letter"] == "d" and r["recognized"] is True
    assert r["none_probability"] is None  # this test model was trained without non-letters
    assert set(r["probabilities"]) == {"b", "d", "f"}
    assert sum(r["probabilities"].values()) == pytest.approx(1.0)
    assert r["confidence"] == max(r["probabilities"].values())
    assert r["model_version"] == "v1.0_20251023_012146_acc0.990"


def test_nested_and_flat_agree(service):
    grid = default_templates()["f"]
    assert service.predict(grid.tolist()) == service.predict(grid.ravel().tolist())
    assert service.predict(grid) == service.predict([bool(v) for v in grid.ravel()])


def test_model_loaded_lazily_once_and_reloaded_on_demand(service):
    assert service.calls == []
    service.predict([0] * 100)
    service.predict([1] * 100)
    service.model_info()
    assert len(service.calls) == 1
    service.reload()
    service.health()
    assert len(service.calls) == 2


def test_model_info_and_health(service):
    info = service.model_info()
    assert info["version"] == "v1.0_20251023_012146_acc0.990"
    assert info["architecture"]["layer_sizes"] == [100, 16, 3]
    for key in ("accuracy", "created_at", "hyperparameters", "dataset_info", "metrics"):
        assert key in info
    assert "model" not in info
    assert service.health() == {"status": "healthy", "model_loaded": True,
                                "model_version": info["version"]}


def test_no_production_model_is_a_clear_error():
    s = Service(registry.empty_registry)
    with pytest.raises(ValueError, match="no production model"):
        s.predict([0] * 100)
    h = s.health()
    assert h["status"] == "degraded" and not h["model_loaded"]
    assert "no production model" in h["error"]["message"]


@pytest.mark.parametrize("pattern, message", [
    ([0] * 99, "100 values"),
    ([0] * 101, "100 values"),
    ([0] * 99 + [2], "only 0 and 1"),
    ([0] * 99 + [0.5], "only 0 and 1"),
    ([0] * 99 + [float("nan")], "is NaN; use 0 or 1"),
    ([0] * 99 + ["1"], "use 0 or 1"),
    ([0] * 99 + [None], "use 0 or 1"),
    ("0" * 100, "not a string"),
    ({"pattern": [0] * 100}, "got dict"),
    (5, "got int"),
    ([[0] * 10] * 9, "10 rows of 10"),
    ([[0] * 10] * 9 + [[0] * 9], "10 rows of 10"),
    ([[0] * 10] * 9 + [0] * 10, "10 rows of 10"),
    (np.zeros((4, 25)), "100 values"),
    (np.array(["0"] * 100), r"got ndarray\[<U1\]"),
])
def test_bad_patterns_are_named(service, pattern, message):
    with pytest.raises(ValueError, match=message):
        service.predict(pattern)


def test_validate_pattern_accepts_valid_forms():
    assert validate_pattern([1] * 100).sum() == 100
    assert validate_pattern([[0.0] * 10] * 10).shape == (100,)
    assert validate_pattern(np.ones((10, 10), dtype=np.uint8)).dtype == np.float64


def test_default_model_reads_drawn_letters():
    """The committed default model recognizes off-centre, small, bold and thin letters."""
    s = Service(lambda: store.read_registry(store.DEFAULT_BUNDLE))
    for letter, drawings in DRAWINGS.items():
        for d in drawings:
            assert s.predict(as_bits(d))["letter"] == letter, "\n".join(d)


def test_bit_strings_are_the_compact_form_of_patterns(service):
    bits = as_bits(DRAWINGS["b"][0])
    text = "".join(map(str, bits))
    x = parse_bits(text)
    assert x.shape == (100,) and np.array_equal(x, validate_pattern(bits))
    assert service.predict_bits(text) == service.predict(bits)


@pytest.mark.parametrize("bits", ["0" * 99, "0" * 101, "0" * 99 + "2", "0" * 99 + "\u0661",
                                  " " + "0" * 99, None, [0] * 100])
def test_bad_bit_strings_are_refused(bits):
    with pytest.raises(ValueError, match="string of 100 characters 0 or 1"):
        parse_bits(bits)
