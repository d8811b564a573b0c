"""``mlp_core.MLP`` is a scikit-learn estimator, judged by scikit-learn's own suite, and
works with its tools, while mlp_core never imports scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from mlp_core import MLP, make_dataset

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402


# Inheriting BaseEstimator would make scikit-learn a run-time dependency; the suite warns
# about that and then judges the estimator on its behaviour, which is what matters.
@pytest.mark.filterwarnings("ignore:Estimator MLP does not inherit")
def test_passes_every_check_of_scikit_learns_suite():
    results = check_estimator(MLP(), on_fail=None)
    failed = {r["check_name"]: str(r["exception"]) for r in results if r["status"] == "failed"}
    assert len(results) >= 50 and failed == {}
    assert not [r for r in results if r["status"] == "skipped"]


def test_clone_keeps_parameters_and_drops_fitted_state():
    m = MLP(hidden_layer_sizes=(8,), activation="tanh", max_epochs=5, seed=3)
    m.fit(*make_dataset(150, seed=1))
    c = clone(m)
    assert c.get_params() == m.get_params() and not hasattr(c, "weights_")
    with pytest.raises(NotFittedError):
        c.predict(np.zeros((1, 100)))


def test_cross_val_score_grid_search_and_pipeline():
    X, y = make_dataset(450, seed=2)
    scores = cross_val_score(MLP(hidden_layer_sizes=(16,), max_epochs=40), X, y, cv=3)
    assert len(scores) == 3 and scores.min() > 0.9
    search = GridSearchCV(MLP(max_epochs=40), {"hidden_layer_sizes": [(4,), (16,)],
                                               "activation": ["sigmoid", "relu"]}, cv=3)
    search.fit(X, y)
    assert set(search.best_params_) == {"hidden_layer_sizes", "activation"}
    assert search.best_score_ > 0.9
    pipe = make_pipeline(FunctionTransformer(lambda a: 1.0 - a),  # inverted ink
                         MLP(hidden_layer_sizes=(16,), max_epochs=40))
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.9
    assert pipe.set_params(mlp__seed=7).get_params()["mlp__seed"] == 7


def test_recorded_hyperparameters_are_the_ones_used():
    m = MLP(validation_fraction=0.5, max_epochs=3).fit(*make_dataset(200, seed=3))
    assert m.hyperparameters["validation_fraction"] == 0.5
    assert m.get_params()["validation_fraction"] == 0.5


def test_mlp_core_never_imports_scikit_learn():
    code = ("import sys; import mlp_core; from mlp_core import MLP, make_dataset; "
            "X, y = make_dataset(60, seed=1); m = MLP(max_epochs=2).fit(X, y); "
            "m.predict(X)\n"
            "try:\n    MLP().predict(X)\nexcept mlp_core.model.network.NotFittedError:\n    pass\n"
            "assert not [k for k in sys.modules if k.startswith('sklearn')], 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)
