"""One training epoch of the default recipe against its matrix products alone.

Runs in Pyodide (bench/epoch/epoch-worker.js, on the site's own runtime) and on CPython.
The products are the very ``mlp.matmul`` calls an epoch makes, in the same order and
shapes (forward and backward per batch, then the validation forward), so their time is
the floor an epoch's other work (activations, softmax, updates, shuffling) adds to.
"""

from __future__ import annotations

import time

import numpy as np

from mlp_core.model.network import MLP, init_params, matmul

N_TRAIN, N_VAL, HIDDEN, BATCH = 32_000, 8_000, 128, 32  # the default recipe's shapes


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = (rng.random((N_TRAIN + N_VAL, 100)) < 0.2).astype(np.float64)
    y = rng.choice(np.array(["(none)", "b", "d", "f"]), N_TRAIN + N_VAL)
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]


def epoch_seconds(X, y, X_val, y_val) -> float:
    """Wall time of the first epoch of ``MLP.fit_epochs`` (validation included)."""
    model = MLP(hidden_layer_sizes=(HIDDEN,), activation="relu", learning_rate=0.05,
                momentum=0.9, l2=0.03, max_epochs=1, batch_size=BATCH)
    epochs = model.fit_epochs(X, y, X_val=X_val, y_val=y_val)
    start = time.perf_counter()
    next(epochs)
    return time.perf_counter() - start


def products_seconds(X, X_val) -> float:
    """Wall time of the same epoch's matrix products, and nothing else."""
    (W1, W2), _ = init_params([100, HIDDEN, 4], "relu", np.random.default_rng(0))
    D2 = np.zeros((BATCH, 4))
    start = time.perf_counter()
    for s in range(0, len(X), BATCH):
        Xb = X[s:s + BATCH]
        H = matmul(Xb, W1)
        matmul(H, W2)                 # forward
        matmul(H.T, D2)               # grad W2
        D1 = matmul(D2, W2.T)         # delta into the hidden layer
        matmul(Xb.T, D1)              # grad W1
    matmul(matmul(X_val, W1), W2)     # validation forward
    return time.perf_counter() - start


def _median(values: list[float]) -> float:
    # (the site's trimmed standard library has no statistics module)
    s = sorted(values)
    return (s[(len(s) - 1) // 2] + s[len(s) // 2]) / 2


def measure(runs: int = 5) -> dict[str, float]:
    """Medians over ``runs`` of both, in milliseconds, and of their ratio; each run times
    one epoch and then its products, so that both see the same machine load."""
    X, y, X_val, y_val = _data()
    epoch, products = [], []
    for _ in range(runs):
        epoch.append(epoch_seconds(X, y, X_val, y_val))
        products.append(products_seconds(X, X_val))
    return {"epoch_ms": 1000 * _median(epoch),
            "epoch_products_ms": 1000 * _median(products),
            "epoch_over_products": _median([e / p for e, p in zip(epoch, products,
                                                                  strict=True)])}


if __name__ == "__main__":
    print(measure())
