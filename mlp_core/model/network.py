"""A multilayer perceptron in pure NumPy, with scikit-learn's estimator conventions.

The network is a list of weight matrices and bias vectors. Small pure functions do the
work (``init_params``, ``forward``, ``backward``, ``cross_entropy``); the ``MLP`` class
adds hyperparameter checking, mini-batch SGD with momentum, early stopping and labels.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np

from .. import settings
from ..messages import coded
from .split import train_val_split

Params = tuple[list[np.ndarray], list[np.ndarray]]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Clipping keeps exp() finite; sigmoid is saturated long before |z| = 500.
    np.clip(z, -500, 500, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    return np.reciprocal(z, out=z)


#: name -> (activation f(z), derivative written in terms of the output a = f(z)). Each f
#: writes its result over z, which its callers own (a fresh product): in Pyodide every
#: array allocated costs time.
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray],
                             Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (_sigmoid, lambda a: a * (1.0 - a)),
    "tanh": (lambda z: np.tanh(z, out=z), lambda a: 1.0 - a * a),
    # A boolean mask is enough for relu: multiplying by it is cheaper than by a float copy.
    "relu": (lambda z: np.maximum(z, 0.0, out=z), lambda a: a > 0),
}

#: Glorot-uniform scale factor per activation (as in scikit-learn).
_INIT_FACTOR = {"sigmoid": 2.0, "tanh": 6.0, "relu": 6.0}


def _matmul_without_blas(a: np.ndarray, b: np.ndarray,
                         out: np.ndarray | None = None) -> np.ndarray:
    # einsum's loop runs along b's columns: it wins once there are enough of them.
    if b.shape[1] >= 32:
        return np.einsum("ij,jk->ik", a, b, out=out)
    return np.matmul(a, b, out=out)


#: Matrix product used by forward and backward. NumPy in Pyodide has no BLAS: there its
#: matmul is a plain loop that einsum's unrolled loops beat ~2x on wide products (batch 32,
#: 100x128 layer: 186 us vs 366 us) but lose to on narrow ones (128x3 layer: 91 us vs
#: 28 us). With BLAS (CPython wheels) matmul is 5x faster than einsum everywhere.
matmul = _matmul_without_blas if sys.platform == "emscripten" else np.matmul


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    return _softmax_over(z.copy())


def _softmax_over(z: np.ndarray) -> np.ndarray:
    """``softmax(z)``, written over ``z``."""
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def init_params(layer_sizes: Sequence[int], activation: str,
                rng: np.random.Generator) -> Params:
    """Glorot-uniform weights and zero-mean uniform biases for consecutive layer sizes."""
    weights, biases = [], []
    for fan_in, fan_out in pairwise(layer_sizes):
        bound = np.sqrt(_INIT_FACTOR[activation] / (fan_in + fan_out))
        weights.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
        biases.append(rng.uniform(-bound, bound, fan_out))
    return weights, biases


def forward(params: Params, X: np.ndarray, activation: str) -> list[np.ndarray]:
    """Activations of every layer, input first; the last entry is the softmax output."""
    f = ACTIVATIONS[activation][0]
    weights, biases = params
    acts = [X]
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = matmul(acts[-1], W)
        z += b
        acts.append(_softmax_over(z) if i == len(weights) - 1 else f(z))
    return acts


def logits(params: Params, X: np.ndarray, activation: str) -> np.ndarray:
    """The output layer's inputs to softmax (what temperature scaling divides)."""
    f = ACTIVATIONS[activation][0]
    weights, biases = params
    a = X
    for W, b in zip(weights[:-1], biases[:-1], strict=True):
        a = f(matmul(a, W) + b)
    return matmul(a, weights[-1]) + biases[-1]


Layers = list[tuple[np.ndarray, np.ndarray]]


def transposed_layers(params: Params) -> Layers:
    """``(W.T, b)`` per layer, each ``W.T`` C-contiguous: the form ``forward_one`` takes."""
    return [(np.ascontiguousarray(W.T), b) for W, b in zip(*params, strict=True)]


def forward_one(layers: Layers, x: np.ndarray, activation: str,
                temperature: float = 1.0) -> list[float]:
    """``softmax(logits / temperature)`` for one sample ``x`` (1-D), given
    ``transposed_layers``.

    The latency path of serving. Matrix-vector products over contiguous rows are dot
    products, which NumPy without BLAS (Pyodide) runs 2x faster than ``x @ W``. Each
    NumPy call costs ~10 us in a browser worker woken by a message, so the output
    layer's bias and softmax (a handful of numbers) are done in plain Python.
    """
    f = ACTIVATIONS[activation][0]
    for WT, b in layers[:-1]:
        x = f(np.matmul(WT, x) + b)
    WT, b = layers[-1]
    z = [(v + c) / temperature for v, c in zip(np.matmul(WT, x).tolist(), b.tolist(),
                                              strict=True)]
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    return [v / total for v in e]


def cross_entropy(P: np.ndarray, Y: np.ndarray) -> float:
    """Mean categorical cross-entropy of probabilities ``P`` against one-hot ``Y``."""
    return float(-np.sum(Y * np.log(np.clip(P, 1e-15, 1.0))) / P.shape[0])


def l2_penalty(weights: Sequence[np.ndarray], l2: float, n: int) -> float:
    """The L2 term added to the loss: ``l2 / (2 n) * sum of squared weights``."""
    return 0.5 * l2 * sum(float(np.vdot(W, W)) for W in weights) / n if l2 else 0.0


def backward(params: Params, acts: list[np.ndarray], Y: np.ndarray, activation: str,
             l2: float = 0.0, out: Params | None = None, scale: float = 1.0) -> Params:
    """Gradients of mean cross-entropy (+ L2) with respect to every weight and bias,
    times ``scale`` (an optimizer's step size: one pass fewer over the parameters),
    written into ``out`` (arrays shaped like the parameters) when given."""
    dfa = ACTIVATIONS[activation][1]
    weights, _ = params
    n = Y.shape[0]
    delta = acts[-1] - Y  # softmax + cross-entropy
    delta *= scale / n
    grad_w, grad_b = out or ([None] * len(weights), [None] * len(weights))
    for i in range(len(weights) - 1, -1, -1):
        grad_w[i] = matmul(acts[i].T, delta, out=grad_w[i])
        if l2:
            grad_w[i] += (scale * l2 / n) * weights[i]
        grad_b[i] = delta.sum(axis=0, out=grad_b[i])
        if i:
            delta = matmul(delta, weights[i].T)
            delta *= dfa(acts[i])
    return grad_w, grad_b


def _flat(params: Params) -> tuple[np.ndarray, Params]:
    """All of ``params`` in one contiguous vector, and the same parameters as views into
    it: an optimizer step is then three NumPy calls, whatever the number of layers."""
    arrays = [*params[0], *params[1]]
    flat = np.concatenate([a.ravel() for a in arrays])
    views, at = [], 0
    for a in arrays:
        views.append(flat[at:at + a.size].reshape(a.shape))
        at += a.size
    k = len(params[0])
    return flat, (views[:k], views[k:])


def one_hot(classes: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One-hot rows for labels ``y`` over sorted ``classes``; unknown labels are an error."""
    idx = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
    if not np.array_equal(classes[idx], y):
        unknown = sorted(set(np.asarray(y).tolist()) - set(classes.tolist()))
        raise ValueError(f"labels {unknown} were not seen in training")
    return np.eye(len(classes))[idx]


def _copy(params: Params) -> Params:
    return [W.copy() for W in params[0]], [b.copy() for b in params[1]]


class _Watch:
    """A fit's per-epoch bookkeeping: the loss history, and early stopping's record of
    the epoch whose watched loss (the validation loss, else the training loss) is the
    lowest, its parameters, and how many epochs in a row have not bettered that loss by
    more than ``tolerance`` (``stale``; ``patience`` of them and training has converged).
    """

    def __init__(self, params: Params, X_val: np.ndarray | None, Y_val: np.ndarray | None,
                 activation: str, tolerance: float, patience: int) -> None:
        self.X_val, self.Y_val, self.activation = X_val, Y_val, activation
        self.tolerance, self.patience = tolerance, patience
        self.history: dict[str, list[float]] = {"train_loss": [], "val_loss": [],
                                                "val_accuracy": []}
        self.best_loss, self.best_epoch, self.stale = np.inf, 0, 0
        self.best = _copy(params)

    def epoch(self, epoch: int, params: Params,
              train_loss: float) -> tuple[float | None, float | None]:
        """Record epoch ``epoch``, which ended with ``params``; returns its validation
        loss and accuracy (None without validation data). A training loss that is not
        finite has diverged: ``FloatingPointError``."""
        if not np.isfinite(train_loss):
            raise coded(FloatingPointError, "diverged", epoch=epoch, loss=train_loss)
        self.history["train_loss"].append(train_loss)
        val_loss = val_acc = None
        if self.X_val is not None:
            P_val = forward(params, self.X_val, self.activation)[-1]
            val_loss = cross_entropy(P_val, self.Y_val)
            val_acc = float(np.mean(P_val.argmax(1) == self.Y_val.argmax(1)))
            self.history["val_loss"].append(val_loss)
            self.history["val_accuracy"].append(val_acc)
        watched = train_loss if val_loss is None else val_loss
        self.stale = 0 if watched < self.best_loss - self.tolerance else self.stale + 1
        if watched < self.best_loss:
            self.best_loss, self.best_epoch = watched, epoch
            self.best = _copy(params)
        return val_loss, val_acc

    @property
    def converged(self) -> bool:
        return self.stale >= self.patience


class TrainingCancelled(Exception):
    """Raised by ``MLP.fit`` when the epoch callback returns ``False``."""


def check_hyperparameters(hp: dict[str, Any]) -> dict[str, Any]:
    """Validate hyperparameters against ``settings.SETTINGS``; return a normalized copy
    with defaults filled in. Raises ``ValueError`` naming the first bad value."""
    return settings.check("hyperparameters", hp)


EpochCallback = Callable[[dict[str, Any]], bool | None]


class NotFittedError(ValueError, AttributeError):
    """The model has no weights yet: call ``fit`` or load one (as scikit-learn's)."""


@cache
def _not_fitted_error_class(sklearn_error: type) -> type:
    return type("NotFittedError", (NotFittedError, sklearn_error), {})


def _not_fitted(message: str) -> NotFittedError:
    """``NotFittedError``; when the process already uses scikit-learn (never imported
    here), also an instance of scikit-learn's, so that its tools recognize it."""
    sklearn = sys.modules.get("sklearn.exceptions")
    if sklearn is None:
        return NotFittedError(message)
    return _not_fitted_error_class(sklearn.NotFittedError)(message)


class DataConversionWarning(UserWarning):
    """Input had another shape than expected and was converted (as scikit-learn warns)."""


#: The hyperparameters' defaults, declared in ``settings.SETTINGS``.
HYPERPARAMETER_DEFAULTS: dict[str, Any] = settings.defaults("hyperparameters")
_D = HYPERPARAMETER_DEFAULTS


class MLP:
    """Multilayer perceptron classifier: sigmoid/tanh/relu hidden layers, softmax output.

    Trained by mini-batch SGD with momentum on cross-entropy (+ optional L2; the learning
    rate may fall by a factor each epoch, ``learning_rate_decay``), with early
    stopping on validation loss: training stops once the loss has not improved by more
    than ``tolerance`` for ``patience`` epochs, and the best weights are kept.

    A scikit-learn estimator without scikit-learn: parameters are stored as given and
    checked by ``fit`` (``check_hyperparameters``); ``get_params``/``set_params`` make it
    work with ``clone``, ``Pipeline``, ``GridSearchCV`` and ``cross_val_score``; fitted
    state ends in an underscore. Defaults and limits are declared in
    ``settings.SETTINGS`` (the defaults are the server era's: sigmoid, learning rate
    0.1, momentum 0.1, seed 42, tolerance 1e-6).
    """

    _estimator_type = "classifier"

    def __init__(self, hidden_layer_sizes: Sequence[int] | int = _D["hidden_layer_sizes"],
                 activation: str = _D["activation"],
                 learning_rate: float = _D["learning_rate"],
                 learning_rate_decay: float = _D["learning_rate_decay"],
                 momentum: float = _D["momentum"], batch_size: int = _D["batch_size"],
                 l2: float = _D["l2"],
                 max_epochs: int = _D["max_epochs"], tolerance: float = _D["tolerance"],
                 patience: int = _D["patience"],
                 validation_fraction: float = _D["validation_fraction"],
                 seed: int = _D["seed"]) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.learning_rate_decay = learning_rate_decay
        self.momentum = momentum
        self.batch_size = batch_size
        self.l2 = l2
        self.max_epochs = max_epochs
        self.tolerance = tolerance
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.seed = seed

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's arguments, as given (``deep`` is for scikit-learn's API)."""
        return {name: getattr(self, name) for name in HYPERPARAMETER_DEFAULTS}

    def set_params(self, **params: Any) -> MLP:
        """Change parameters (checked by the next ``fit``); returns the model."""
        for name, value in params.items():
            if name not in HYPERPARAMETER_DEFAULTS:
                raise ValueError(f"Invalid parameter {name!r} for estimator MLP. Valid "
                                 f"parameters are: {', '.join(HYPERPARAMETER_DEFAULTS)}")
            setattr(self, name, value)
        return self

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The parameters checked and normalized (``check_hyperparameters``)."""
        return check_hyperparameters(self.get_params())

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items()
                   if v != HYPERPARAMETER_DEFAULTS[k]}
        return f"MLP({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def __sklearn_tags__(self) -> Any:
        """Estimator tags, for scikit-learn's tools (which alone call this)."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(), input_tags=InputTags())

    # --- shape and label helpers ---------------------------------------------------------

    @property
    def layer_sizes(self) -> list[int]:
        """Neurons per layer, input to output (only after fitting or loading)."""
        self._check_fitted()
        return [self.weights_[0].shape[0], *(W.shape[1] for W in self.weights_)]

    def _check_fitted(self) -> None:
        if not getattr(self, "weights_", None):
            raise _not_fitted("this MLP is not fitted yet: call fit(X, y) or load a model")

    @staticmethod
    def _check_X(X: Any, n_features: int | None = None) -> np.ndarray:
        if hasattr(X, "tocsr") or hasattr(X, "toarray"):
            raise TypeError("sparse input is not supported: pass a dense array "
                            "(X.toarray())")
        X = np.asarray(X)
        if X.dtype.kind == "c":
            raise ValueError("Complex data not supported: X must hold real numbers")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2D array (n_samples, n_features), got shape "
                             f"{X.shape}. Reshape your data: X.reshape(-1, 1) for a single "
                             "feature, X.reshape(1, -1) for a single sample")
        if X.shape[0] == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a "
                             "minimum of 1 is required.")
        if X.shape[1] == 0:
            raise ValueError(f"Found array with 0 feature(s) (shape={X.shape}) while a "
                             "minimum of 1 is required.")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinite values")
        if n_features is not None and X.shape[1] != n_features:
            raise ValueError(f"X has {X.shape[1]} features, but MLP is expecting "
                             f"{n_features} features as input")
        return X

    @staticmethod
    def _check_y(y: Any, n_samples: int) -> np.ndarray:
        if y is None:
            raise ValueError("MLP requires y to be passed, but the target y is None")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(DataConversionWarning(
                "A column-vector y was passed when a 1d array was expected; it was "
                "raveled to shape (n_samples,)"), stacklevel=3)
            y = y.ravel()
        if y.shape != (n_samples,):
            raise ValueError(f"y must have one label per row of X ({n_samples}), "
                             f"got shape {y.shape}")
        if y.dtype.kind == "f" and not np.all(np.isfinite(y) & (y == np.round(y))):
            raise ValueError("Unknown label type: continuous. MLP is a classifier: "
                             "labels must be classes (strings or integers)")
        if y.dtype.kind == "O" and not all(isinstance(v, str | int | np.integer)
                                           for v in y.tolist()):
            raise ValueError("Unknown label type: labels must all be strings or integers")
        return y

    # --- training ------------------------------------------------------------------------

    def fit(self, X: Any, y: Any, *, X_val: Any = None, y_val: Any = None,
            callback: EpochCallback | None = None) -> MLP:
        """Train on ``X`` (n_samples, n_features) and labels ``y`` (any hashable labels).

        Validation data is ``X_val``/``y_val`` if given, else a stratified
        ``validation_fraction`` of ``X``; with neither, early stopping watches the training
        loss. ``callback`` gets a dict per epoch (epoch, train_loss, val_loss,
        val_accuracy, elapsed, max_epochs); returning ``False`` cancels training by raising
        ``TrainingCancelled`` and leaves the model as it was before ``fit``.
        """
        epochs = self.fit_epochs(X, y, X_val=X_val, y_val=y_val)
        for info in epochs:
            if callback is not None and callback(info) is False:
                epochs.close()
                raise TrainingCancelled(f"training cancelled at epoch {info['epoch']}")
        return self

    def fit_epochs(self, X: Any, y: Any, *, X_val: Any = None,
                   y_val: Any = None) -> Iterator[dict[str, Any]]:
        """``fit`` one epoch at a time: a generator that trains an epoch per ``next()`` and
        yields its info dict. The model changes only when the generator finishes, so
        abandoning it (e.g. a cancelled training in the browser) leaves the model as it
        was. Arguments are checked now, before the first epoch.
        """
        hp = self.hyperparameters
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        if X.shape[0] < 2:
            raise ValueError("training needs at least 2 samples, got 1 sample")
        if (X_val is None) != (y_val is None):
            raise ValueError("pass both X_val and y_val, or neither")
        if X_val is None and hp["validation_fraction"] > 0:
            X, X_val, y, y_val = train_val_split(
                X, y, validation_fraction=hp["validation_fraction"], seed=hp["seed"])
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"training needs at least 2 classes, got 1 class "
                             f"({classes[0]!r}) in {len(y)} sample(s)")
        Y = one_hot(classes, y)
        Y_val = None
        if X_val is not None:
            X_val = self._check_X(X_val, X.shape[1])
            Y_val = one_hot(classes, np.asarray(y_val))
        return self._epochs(X, Y, X_val, Y_val, classes)

    def fine_tune_epochs(self, X: Any, y: Any, *, X_val: Any,
                         y_val: Any) -> Iterator[dict[str, Any]]:
        """``fit_epochs`` starting from the fitted weights instead of new ones (a
        fine-tune). Labels not in ``classes_`` grow the output layer by one unit each
        (small random weights, as a new layer would get); the hidden layers and the
        known classes' output units start as they are."""
        self._check_fitted()
        hp = self.hyperparameters
        X = self._check_X(X, self.n_features_in_)
        y = self._check_y(y, X.shape[0])
        X_val = self._check_X(X_val, self.n_features_in_)
        classes = np.union1d(self.classes_, np.union1d(np.unique(y), np.unique(y_val)))
        rng = np.random.default_rng(hp["seed"])
        W, b = self.weights_[-1], self.biases_[-1]
        (W_new,), (b_new,) = init_params([W.shape[0], len(classes)], hp["activation"], rng)
        kept = np.searchsorted(classes, self.classes_)
        W_new[:, kept], b_new[kept] = W, b
        start = ([*(w.copy() for w in self.weights_[:-1]), W_new],
                 [*(c.copy() for c in self.biases_[:-1]), b_new])
        Y_val = one_hot(classes, np.asarray(y_val))
        return self._epochs(X, one_hot(classes, y), X_val, Y_val, classes, start=start)

    def _epochs(self, X: np.ndarray, Y: np.ndarray, X_val: np.ndarray | None,
                Y_val: np.ndarray | None, classes: np.ndarray,
                start: Params | None = None) -> Iterator[dict[str, Any]]:
        hp = self.hyperparameters
        rng = np.random.default_rng(hp["seed"])
        sizes = [X.shape[1], *hp["hidden_layer_sizes"], len(classes)]
        # Parameters, their gradients and velocities each live in one vector, so that
        # the momentum step is 3 NumPy calls (in Pyodide each costs ~10 us).
        flat, (weights, biases) = _flat(start or init_params(sizes, hp["activation"], rng))
        grad, grads = _flat((weights, biases))
        n_weights = sum(W.size for W in weights)  # _flat puts the weights first
        velocity = np.zeros_like(flat)
        flat_weights, grad_weights = flat[:n_weights], grad[:n_weights]
        decay = np.empty_like(flat_weights)  # the L2 term, per batch
        lr, mom, l2, act = hp["learning_rate"], hp["momentum"], hp["l2"], hp["activation"]
        n, bs = X.shape[0], min(hp["batch_size"], X.shape[0])
        # The training loss needs only each sample's probability of its own class: one
        # NumPy call per batch picks them (flat indices into the batch's output) into
        # `picked`, and the loss is taken once per epoch.
        labels, k = Y.argmax(axis=1), Y.shape[1]
        row_starts = (np.arange(n) % bs) * k
        picked = np.empty(n)
        watch = _Watch((weights, biases), X_val, Y_val, act, hp["tolerance"], hp["patience"])
        began = time.perf_counter()
        for epoch in range(1, hp["max_epochs"] + 1):
            # A step-by-epoch schedule: each epoch's rate is the previous one's times decay.
            lr = hp["learning_rate"] * hp["learning_rate_decay"] ** (epoch - 1)
            order = rng.permutation(n)
            # Shuffled once per epoch; each batch is then a view (no NumPy call).
            X_epoch, Y_epoch = X.take(order, axis=0), Y.take(order, axis=0)
            picks = row_starts + labels.take(order)
            for s in range(0, n, bs):
                Xb, Yb = X_epoch[s:s + bs], Y_epoch[s:s + bs]
                acts = forward((weights, biases), Xb, act)
                np.take(acts[-1], picks[s:s + bs], out=picked[s:s + bs])
                # grad holds the gradient times the learning rate.
                backward((weights, biases), acts, Yb, act, 0.0, out=grads, scale=lr)
                if l2:  # on every weight at once (biases are not decayed)
                    grad_weights += np.multiply(flat_weights, lr * l2 / len(Yb), out=decay)
                velocity *= mom
                velocity -= grad
                flat += velocity
            np.maximum(picked, 1e-15, out=picked)  # as cross_entropy clips
            train_loss = float(-np.log(picked).sum()) / n + l2_penalty(weights, l2, n)
            val_loss, val_acc = watch.epoch(epoch, (weights, biases), train_loss)
            yield {"epoch": epoch, "max_epochs": hp["max_epochs"], "train_loss": train_loss,
                   "val_loss": val_loss, "val_accuracy": val_acc,
                   "elapsed": time.perf_counter() - began}
            if watch.converged:
                break
        self.classes_ = classes
        self.weights_, self.biases_ = watch.best
        self.history_ = watch.history
        self.best_epoch_ = watch.best_epoch
        self.stop_reason_ = "converged" if watch.converged else "max_epochs"
        self.fit_seconds_ = time.perf_counter() - began
        self.temperature_ = 1.0
        self.none_margins_: dict[str, float] = {}
        self.n_features_in_ = X.shape[1]

    # --- inference -----------------------------------------------------------------------

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order."""
        self._check_fitted()
        return _softmax_over(self.logits(X) / self.temperature_)

    def logits(self, X: Any) -> np.ndarray:
        """Logits (before softmax and temperature), shape (n_samples, n_classes)."""
        self._check_fitted()
        X = self._check_X(X, self.weights_[0].shape[0])
        return logits((self.weights_, self.biases_), X, self.hyperparameters["activation"])

    def predict(self, X: Any) -> np.ndarray:
        """Most probable label for each row of ``X``."""
        best = self.predict_proba(X).argmax(axis=1)
        return self.classes_[best]

    def score(self, X: Any, y: Any) -> float:
        """Mean accuracy on ``X`` against labels ``y``."""
        return float(np.mean(self.predict(X) == np.asarray(y)))
