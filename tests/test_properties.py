"""Property tests (hypothesis): pattern validation and bundle import never misbehave."""

from __future__ import annotations

import copy
import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mlp_core import registry, validate_pattern
from mlp_core.registry import RegistryError

bit = st.sampled_from([0, 1, 0.0, 1.0, True, False])
junk = st.one_of(st.floats(allow_nan=True), st.integers(-5, 5), st.text(max_size=2),
                 st.none(), st.lists(st.integers(0, 1), max_size=2))


@given(st.lists(bit, min_size=100, max_size=100), st.booleans())
def test_valid_patterns_are_accepted_exactly(values, nested):
    pattern = [values[i:i + 10] for i in range(0, 100, 10)] if nested else values
    out = validate_pattern(pattern)
    assert out.shape == (100,)
    assert np.array_equal(out, np.array([float(v) for v in values]))


@given(st.lists(bit, min_size=100, max_size=100), st.integers(0, 99), junk)
def test_one_bad_value_is_rejected_with_value_error(values, i, bad):
    if isinstance(bad, bool) or (not isinstance(bad, list | str) and bad in (0, 1)):
        return  # that one is a valid value
    values[i] = bad
    try:
        validate_pattern(values)
    except ValueError as e:
        assert str(e)
    else:
        raise AssertionError(f"accepted {bad!r}")


@given(st.lists(bit, max_size=250).filter(lambda v: len(v) != 100))
def test_wrong_lengths_are_rejected(values):
    try:
        validate_pattern(values)
    except ValueError as e:
        assert "100 values" in str(e)
    else:
        raise AssertionError("accepted")


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@given(json_values)
def test_random_json_is_rejected_cleanly(two_model_registry, value):
    before = registry.dumps(two_model_registry)
    for bundle in (value, json.dumps(value)):
        try:
            registry.import_bundle(two_model_registry, bundle)
        except RegistryError as e:
            assert str(e)
        # Some random values are valid empty bundles; either way the input is untouched.
    assert registry.dumps(two_model_registry) == before


def _paths(obj, prefix=()):
    """Every (container, key) location in a JSON document."""
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, list):
        items = enumerate(obj)
    else:
        return
    for k, v in items:
        yield (*prefix, k)
        yield from _paths(v, (*prefix, k))


@given(data=st.data(), replacement=json_values)
def test_mutated_bundle_imports_completely_or_not_at_all(two_model_registry, data,
                                                         replacement):
    bundle = copy.deepcopy(registry.export_bundle(two_model_registry))
    paths = [p for p in _paths(bundle) if not (len(p) > 5 and p[3] in ("weights", "biases")
                                                and p[-1] != 0)]
    path = data.draw(st.sampled_from(paths))
    target = bundle
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = replacement
    empty = registry.empty_registry()
    try:
        doc, report = registry.import_bundle(empty, bundle)
    except RegistryError:
        assert empty == registry.empty_registry()
        return
    # Accepted: every model of the bundle is in, and the result is itself valid.
    assert len(doc["models"]) == len(bundle["models"]) == len(report["imported"])
    registry.validate(doc)
    assert sum(e["is_production"] for e in doc["models"]) == (1 if doc["models"] else 0)


@given(cut=st.integers(min_value=0, max_value=10**9))
def test_truncated_bundle_text_is_rejected(two_model_registry, cut):
    text = registry.dumps(two_model_registry)
    cut = cut % len(text)
    before = registry.dumps(two_model_registry)
    try:
        registry.import_bundle(two_model_registry, text[:cut])
    except RegistryError as e:
        assert str(e)
    else:
        raise AssertionError(f"a bundle cut at {cut} of {len(text)} characters was accepted")
    assert registry.dumps(two_model_registry) == before


@given(token=st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e999"]),
       data=st.data())
def test_non_finite_numbers_in_weights_are_rejected(two_model_registry, token, data):
    text = registry.dumps(registry.export_bundle(two_model_registry))
    # Replace one weight (a number after "weights":[[[ ) with the token.
    start = text.index('"weights":[[[') + len('"weights":[[[')
    end = text.index(",", start)
    bad = text[:start] + token + text[end:]
    try:
        registry.import_bundle(registry.empty_registry(), bad)
    except RegistryError as e:
        assert "NaN" in str(e) or "Infinity" in str(e) or "finite" in str(e)
    else:
        raise AssertionError(f"{token} accepted")


@given(rows=st.integers(1, 3), extra=st.integers(1, 50))
def test_inconsistent_shapes_are_rejected(two_model_registry, rows, extra):
    bundle = copy.deepcopy(registry.export_bundle(two_model_registry))
    w = bundle["models"][0]["model"]["weights"][0]
    for r in range(rows):
        w[r] = w[r] + [0.0] * extra  # ragged rows
    try:
        registry.import_bundle(registry.empty_registry(), bundle)
    except RegistryError as e:
        assert "shape" in str(e)
    else:
        raise AssertionError("ragged weights accepted")


def test_huge_model_is_refused_before_its_arrays_are_built(two_model_registry):
    bundle = copy.deepcopy(registry.export_bundle(two_model_registry))
    m = bundle["models"][0]
    m["model"]["architecture"]["layer_sizes"] = [100, 1024, 1024, 1024, 3]
    m["model"]["hyperparameters"]["hidden_layer_sizes"] = [1024, 1024, 1024]
    m["hyperparameters"]["hidden_layer_sizes"] = [1024, 1024, 1024]
    try:
        registry.import_bundle(registry.empty_registry(), bundle)
    except RegistryError as e:
        assert "parameters; the limit is 1000000" in str(e)
    else:
        raise AssertionError("accepted")
