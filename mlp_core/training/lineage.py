"""Where a model came from: its parent, a fingerprint of its training data, the software
that trained it, where and how long (the registry's ``lineage`` of an entry)."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..data.sources import data_files_sha256


def data_sha256(hyperparameters: Mapping[str, Any], data: Mapping[str, Any],
                templates: Mapping[str, Any], X_user: np.ndarray,
                y_user: np.ndarray) -> str:
    """SHA-256 of the settings, the data files the sources read (their own SHA-256), the
    added letters' templates and the person's training drawings, as canonical JSON: equal
    when, and only when, the data trained on is."""
    doc = {"hyperparameters": dict(hyperparameters), "data": dict(data),
           "files": data_files_sha256(data),
           "templates": {k: np.asarray(v).astype(int).ravel().tolist()
                         for k, v in sorted(templates.items())},
           "samples": [[str(label), "".join(map(str, row))] for label, row in
                       zip(y_user.tolist(), np.asarray(X_user).astype(int).tolist(),
                           strict=True)]}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def software() -> dict[str, Any]:
    """``{"mlp_core", "numpy", "pyodide", "trained_in"}`` of this interpreter
    (``pyodide`` None and ``trained_in`` "cpython" outside the browser)."""
    from .. import __version__

    in_browser = sys.platform == "emscripten"
    pyodide = sys.modules.get("pyodide") if in_browser else None
    return {"mlp_core": __version__, "numpy": np.__version__,
            "pyodide": getattr(pyodide, "__version__", None),
            "trained_in": "browser" if in_browser else "cpython"}


def lineage(data_fingerprint: str | None, train_seconds: float,
            parent: str | None = None) -> dict[str, Any]:
    """A new model's lineage (``registry.LINEAGE_KEYS``)."""
    return {"parent": parent, "data_sha256": data_fingerprint, **software(),
            "train_seconds": round(float(train_seconds), 3)}
