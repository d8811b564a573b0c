"""The person's own data, checked before it is stored or trained on: drawn examples
``{"label", "pattern"}`` and new letters ``{"letter", "template"}``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .data import check_template
from .drawing import validate_pattern
from .limits import MAX_USER_SAMPLES, N_PIXELS


def check_samples(samples: Any, classes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A person's drawn examples ``[{"label", "pattern"}, ...]`` as ``(X, y)``; every
    label must be one of ``classes``."""
    if not isinstance(samples, list) or len(samples) > MAX_USER_SAMPLES:
        raise ValueError(f"samples must be a list of at most {MAX_USER_SAMPLES} examples")
    X, y = [], []
    for i, s in enumerate(samples):
        label = s.get("label") if isinstance(s, dict) else None
        if label not in classes:
            raise ValueError(f"sample {i + 1} is labelled {label!r}, which is not one of "
                             f"the classes {list(classes)}")
        try:
            X.append(validate_pattern(s.get("pattern")))
        except ValueError as e:
            raise ValueError(f"sample {i + 1} ({s['label']}): {e}") from None
        y.append(s["label"])
    return np.array(X).reshape(-1, N_PIXELS), np.array(y, dtype=str)


def check_sample(sample: Any, letters: Sequence[str]) -> dict[str, Any]:
    """One drawn example checked against the known ``letters``; returns it normalized
    (``pattern`` as 100 ints)."""
    X, y = check_samples([sample], letters)
    return {"label": str(y[0]), "pattern": X[0].astype(int).tolist()}


def check_new_letter(new: Any, letters: Sequence[str]) -> dict[str, Any]:
    """A new letter: a name not among ``letters`` and a drawable template; returns it
    normalized (name stripped, ``template`` as 100 ints)."""
    letter = new.get("letter") if isinstance(new, dict) else None
    if isinstance(letter, str):
        letter = letter.strip()
    if letter in letters:
        raise ValueError(f"there is already a letter called {letter!r}")
    template = check_template(letter, validate_pattern(new.get("template")))
    return {"letter": letter, "template": template.ravel().astype(int).tolist()}
