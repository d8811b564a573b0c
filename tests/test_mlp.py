"""The network: gradients, learning, reproducibility, estimator conventions."""

from __future__ import annotations

import numpy as np
import pytest

from mlp_core import MLP, TrainingCancelled, check_hyperparameters, make_dataset, train_val_split
from mlp_core.model import network as mlp
from mlp_core.model.network import (
    ACTIVATIONS,
    NotFittedError,
    backward,
    cross_entropy,
    forward,
    forward_one,
    init_params,
    l2_penalty,
    transposed_layers,
)


def _loss(params, X, Y, act, l2):
    return cross_entropy(forward(params, X, act)[-1], Y) + l2_penalty(params[0], l2, len(X))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_backward_matches_numerical_gradient(activation, l2):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 5))
    Y = np.eye(3)[rng.integers(0, 3, 7)]
    params = init_params([5, 4, 6, 3], activation, rng)
    if activation == "relu":  # keep pre-activations away from the kink at 0
        params[1][:] = [b + 0.3 for b in params[1]]
    grads = backward(params, forward(params, X, activation), Y, activation, l2)
    eps = 1e-6
    for kind in (0, 1):  # weights, biases
        for layer, g in enumerate(grads[kind]):
            p = params[kind][layer]
            num = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = _loss(params, X, Y, activation, l2)
                p[idx] = old - eps
                down = _loss(params, X, Y, activation, l2)
                p[idx] = old
                num[idx] = (up - down) / (2 * eps)
            np.testing.assert_allclose(g, num, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("activation, seed", [("tanh", 3), ("relu", 1), ("sigmoid", 3)])
def test_learns_xor(activation, seed):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 25, dtype=float)
    y = np.array(["0", "1", "1", "0"] * 25)
    m = MLP(hidden_layer_sizes=(8,), activation=activation, learning_rate=0.1,
            momentum=0.9, batch_size=4, max_epochs=300, patience=300,
            validation_fraction=0.0, seed=seed)
    assert m.fit(X, y).score(X, y) == 1.0


def test_same_seed_same_weights_different_seed_different_weights(letters):
    X, y = letters
    a = MLP(hidden_layer_sizes=(8,), max_epochs=5, seed=7).fit(X, y)
    b = MLP(hidden_layer_sizes=(8,), max_epochs=5, seed=7).fit(X, y)
    c = MLP(hidden_layer_sizes=(8,), max_epochs=5, seed=8).fit(X, y)
    for wa, wb, wc in zip(a.weights_, b.weights_, c.weights_, strict=True):
        assert np.array_equal(wa, wb)
        assert not np.array_equal(wa, wc)
    assert a.history_ == b.history_


def test_original_defaults_converge_on_default_data():
    """sigmoid, learning_rate 0.1, momentum 0.1, seed 42, tolerance 1e-6 (the server-era
    defaults) on the default data recipe reach >= 99% validation accuracy."""
    X, y = make_dataset(3000)
    X_tr, X_val, y_tr, y_val = train_val_split(X, y)
    m = MLP()
    assert (m.hyperparameters["activation"], m.hyperparameters["learning_rate"],
            m.hyperparameters["momentum"], m.hyperparameters["seed"],
            m.hyperparameters["tolerance"]) == ("sigmoid", 0.1, 0.1, 42, 1e-6)
    m.fit(X_tr, y_tr, X_val=X_val, y_val=y_val)
    assert m.history_["val_accuracy"][m.best_epoch_ - 1] >= 0.99
    assert m.score(X_val, y_val) >= 0.99


def test_early_stopping_stops_and_keeps_best_weights(letters):
    X, y = letters
    X_tr, X_val, y_tr, y_val = train_val_split(X, y)
    m = MLP(hidden_layer_sizes=(32,), activation="relu", learning_rate=0.5, momentum=0.9,
            max_epochs=500, patience=3, tolerance=1e-2)
    m.fit(X_tr, y_tr, X_val=X_val, y_val=y_val)
    assert m.stop_reason_ == "converged" and len(m.history_["train_loss"]) < 500
    # The weights kept are those of the epoch with the lowest validation loss.
    Y_val = (m.classes_[None, :] == y_val[:, None]).astype(float)
    kept = cross_entropy(m.predict_proba(X_val), Y_val)
    assert kept == pytest.approx(min(m.history_["val_loss"]), rel=1e-9)
    assert kept == pytest.approx(m.history_["val_loss"][m.best_epoch_ - 1], rel=1e-9)


def test_max_epochs_stops_training(letters):
    m = MLP(hidden_layer_sizes=(4,), max_epochs=3, patience=100).fit(*letters)
    assert (m.stop_reason_, len(m.history_["train_loss"])) == ("max_epochs", 3)


def test_history_and_callback(letters):
    X, y = letters
    seen = []
    m = MLP(hidden_layer_sizes=(8,), max_epochs=4, patience=10).fit(X, y, callback=seen.append)
    assert [s["epoch"] for s in seen] == [1, 2, 3, 4]
    assert set(seen[0]) >= {"epoch", "max_epochs", "train_loss", "val_loss", "val_accuracy",
                            "elapsed"}
    assert m.history_["train_loss"] == [s["train_loss"] for s in seen]
    assert len(m.history_["val_accuracy"]) == 4


def test_callback_false_cancels_and_leaves_model_unchanged(letters, small_model):
    X, y = letters
    import copy

    m = copy.deepcopy(small_model)
    before = [W.copy() for W in m.weights_]
    with pytest.raises(TrainingCancelled):
        m.fit(X, y, callback=lambda info: info["epoch"] < 3)
    assert all(np.array_equal(a, b) for a, b in zip(before, m.weights_, strict=True))


def test_any_feature_count_and_label_set():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 7))
    y = np.where(X[:, 0] + X[:, 3] > 0, 10, 20)  # integer labels
    m = MLP(hidden_layer_sizes=(6, 5), activation="tanh", learning_rate=0.2, momentum=0.5,
            max_epochs=100).fit(X, y)
    assert set(m.classes_) == {10, 20}
    assert m.predict_proba(X).shape == (300, 2)
    np.testing.assert_allclose(m.predict_proba(X).sum(1), 1.0)
    assert m.score(X, y) > 0.9


def test_l2_shrinks_weights(letters):
    X, y = letters
    plain = MLP(hidden_layer_sizes=(16,), max_epochs=30, patience=30).fit(X, y)
    decayed = MLP(hidden_layer_sizes=(16,), max_epochs=30, patience=30, l2=5.0).fit(X, y)
    assert np.abs(decayed.weights_[0]).sum() < 0.8 * np.abs(plain.weights_[0]).sum()


@pytest.mark.parametrize("bad, message", [
    ({"activation": "softplus"}, "activation must be one of"),
    ({"activation": ["relu"]}, "activation must be one of"),
    ({"learning_rate": 0}, "learning_rate must be a number above 0 and at most 10"),
    ({"learning_rate": float("nan")}, "learning_rate must be a number"),
    ({"momentum": 1.5}, "momentum must be a number from 0 to 0.999"),
    ({"hidden_layer_sizes": []}, "hidden_layer_sizes"),
    ({"hidden_layer_sizes": [4, 0]}, "hidden_layer_sizes"),
    ({"batch_size": 2.5}, "batch_size must be an integer"),
    ({"max_epochs": True}, "max_epochs must be an integer"),
])
def test_bad_hyperparameters_are_named_by_fit(bad, message, letters):
    model = MLP(**bad)  # scikit-learn's convention: stored as given, checked by fit
    assert model.get_params()[next(iter(bad))] is next(iter(bad.values()))
    with pytest.raises(ValueError, match=message):
        model.fit(*letters)
    with pytest.raises(ValueError, match=message):
        check_hyperparameters(bad)
    with pytest.raises(ValueError, match=message):
        MLP().set_params(**bad).fit(*letters)


def test_unknown_hyperparameters_are_refused_everywhere():
    with pytest.raises(TypeError, match="learning_rte"):
        MLP(learning_rte=0.1)
    with pytest.raises(ValueError, match="Invalid parameter 'learning_rte'"):
        MLP().set_params(learning_rte=0.1)
    with pytest.raises(ValueError, match="unknown hyperparameter 'learning_rte'"):
        check_hyperparameters({"learning_rte": 0.1})


def test_input_errors(small_model):
    with pytest.raises(NotFittedError, match="not fitted"):
        MLP().predict(np.zeros((1, 100)))
    assert not hasattr(MLP(), "n_features_in_") and not hasattr(MLP(), "classes_")
    with pytest.raises(ValueError, match="is expecting 100 features"):
        small_model.predict(np.zeros((1, 99)))
    with pytest.raises(ValueError, match="NaN"):
        small_model.predict(np.full((1, 100), np.nan))
    with pytest.raises(ValueError, match="one label per row"):
        MLP().fit(np.zeros((4, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="at least 2 classes"):
        MLP(validation_fraction=0).fit(np.zeros((4, 2)), ["a"] * 4)


def test_divergence_is_reported_not_hidden(letters):
    X, y = letters
    with (pytest.raises(FloatingPointError, match="lower the learning_rate"),
          np.errstate(all="ignore")):
        MLP(activation="relu", hidden_layer_sizes=(8,), max_epochs=5).fit(X * 1e300, y)


@pytest.mark.parametrize("shape", [(32, 100, 128), (32, 128, 3), (5, 3, 40), (1, 100, 128)])
def test_products_without_blas_agree_with_matmul(shape):
    # Both branches (einsum for wide products, matmul for narrow ones) and the platform's
    # choice; inside Pyodide the last one is the no-BLAS path itself.
    m, k, n = shape
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    np.testing.assert_allclose(mlp._matmul_without_blas(a, b), a @ b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mlp.matmul(a.T.T, b), a @ b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("sizes", [[100, 128, 3], [7, 5, 4, 2]])
def test_forward_one_matches_forward(activation, sizes):
    rng = np.random.default_rng(1)
    params = init_params(sizes, activation, rng)
    X = (rng.random((6, sizes[0])) < 0.5).astype(float)
    batch = forward(params, X, activation)[-1]
    layers = transposed_layers(params)
    one = np.array([forward_one(layers, x, activation) for x in X])
    np.testing.assert_allclose(one, batch, rtol=1e-12, atol=1e-15)
