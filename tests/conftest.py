"""Shared fixtures: small, fast models trained once per session."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from mlp_core import MLP, make_dataset, registry

ROOT = Path(__file__).resolve().parents[1]

# Property tests: 300 cases each by default; HYPOTHESIS_PROFILE=fuzz for a long run.
_common = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("default", max_examples=300, **_common)
settings.register_profile("fuzz", max_examples=5000, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def letters() -> tuple[np.ndarray, np.ndarray]:
    """The original recipe: 600 noisy centred letters."""
    return make_dataset(600, seed=3)


@pytest.fixture(scope="session")
def small_model(letters) -> MLP:
    X, y = letters
    return MLP(hidden_layer_sizes=(16,), max_epochs=60, seed=1).fit(X, y)


@pytest.fixture(scope="session")
def two_model_registry(small_model) -> registry.Document:
    """A registry with two models; the first is production."""
    other = MLP(hidden_layer_sizes=(8,), max_epochs=5, seed=2).fit(*make_dataset(90, seed=4))
    t = datetime(2025, 10, 23, 1, 21, 46, tzinfo=UTC)
    doc, _ = registry.register(registry.empty_registry(), small_model, accuracy=0.99, now=t)
    doc, _ = registry.register(doc, other, accuracy=0.5, now=t)
    return doc
