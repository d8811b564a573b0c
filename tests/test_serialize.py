"""Model <-> JSON: exact round trip and strict validation on load."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from mlp_core import ModelFormatError, model_from_dict, model_to_dict


def test_round_trip_through_json_text_is_exact(small_model, letters):
    X, _ = letters
    data = json.loads(json.dumps(model_to_dict(small_model)))
    loaded = model_from_dict(data)
    assert np.array_equal(loaded.predict_proba(X), small_model.predict_proba(X))
    assert loaded.hyperparameters == small_model.hyperparameters
    assert loaded.history_ == small_model.history_
    assert list(loaded.classes_) == list(small_model.classes_)
    assert model_to_dict(loaded) == data


def test_dict_is_plain_json(small_model):
    text = json.dumps(model_to_dict(small_model), allow_nan=False)
    assert "NaN" not in text
    d = json.loads(text)
    assert d["architecture"]["layer_sizes"] == [100, 16, 3]
    assert d["classes"] == ["b", "d", "f"]


def _broken(model, path, value):
    d = copy.deepcopy(model_to_dict(model))
    target = d
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


@pytest.mark.parametrize("path, value, message", [
    (("format",), "pickle", "^model is not a model: its format is 'pickle'"),
    (("format_version",), 99, "^model.format_version: made by a newer version .*reads 1 and"),
    (("format_version",), None, "^model.format_version: .* reads version 1 .*not None"),
    (("weights", 0, 0, 0), float("nan"), r"^model.weights\[0\] must be .* finite numbers"),
    (("weights", 0, 0, 0), "1", r"^model.weights\[0\] must be .* finite numbers"),
    (("weights", 0, 0, 0), True, r"^model.weights\[0\] must be .* finite numbers"),
    (("weights", 0, 0), [1.0], r"^model.weights\[0\] .*of shape \(100, 16\)"),
    (("biases", 1), [0.0], r"^model.biases\[1\] .*of shape \(3,\)"),
    (("weights",), KeyError, "^model.weights must be a list of 2 layers"),
    (("hyperparameters", "activation"), "swish",
     "^model.hyperparameters: activation must be one of"),
    (("architecture", "activation"), "tanh", "^model.architecture must name the activation"),
    (("architecture", "layer_sizes"), [100, 17, 3], "^model.architecture.layer_sizes must"),
    (("classes",), ["b", "b", "d"], "^model.classes must be .* different names, sorted"),
    (("classes",), ["b", "d"], "^model.architecture.layer_sizes .* each of its 2 classes"),
    (("classes",), "bdf", "^model.classes must be"),
    (("history", "train_loss"), [float("inf")], "^model.history.train_loss must be"),
    (("training", "best_epoch"), -1, "^model.training.best_epoch must be an integer"),
])
def test_load_names_the_problem(small_model, path, value, message):
    with pytest.raises(ModelFormatError, match=message):
        model_from_dict(_broken(small_model, path, value))


def test_size_limit(small_model):
    d = model_to_dict(small_model)
    d["hyperparameters"]["hidden_layer_sizes"] = [1024, 1024]
    d["architecture"]["layer_sizes"] = [100, 1024, 1024, 3]
    with pytest.raises(ModelFormatError, match=r"^model has \d+ parameters; the limit is"):
        model_from_dict(d)


def test_not_a_dict():
    with pytest.raises(ModelFormatError, match="^model must be an object"):
        model_from_dict([1, 2])
