"""The person's own data, checked before it is stored or trained on: drawn examples
``{"label", "pattern", "split"}`` and new letters ``{"letter", "template"}``. An example's
label is a letter, or ``NONE_LABEL`` for a drawing that is none of the letters: such
examples train and test rejection.

Each example is for training or for testing (``split``). By default a stable 30% of each
letter's examples are test drawings: they judge models and are never trained on.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..limits import MAX_USER_SAMPLES, N_PIXELS, NONE_LABEL
from ..messages import coded, within
from .drawing import read_pattern
from .synthetic import check_template

SPLITS = ("train", "test")
#: Share of each letter's examples held out as test drawings by default.
TEST_SHARE = 0.3


def default_split(label: str, position: int) -> str:
    """The default split of the ``position``-th example (from 0, in the order they were
    added) of ``label``: every example that carries the count of test drawings past a
    whole number is a test drawing, so any n examples of a letter hold floor or ceil of
    30% of n test drawings, and adding one never moves an earlier one. The phase per
    letter comes from its name (CRC-32), so letters do not all start alike."""
    phase = zlib.crc32(label.encode("utf-8")) / 2**32
    return "test" if int(TEST_SHARE * (position + 1) + phase) > int(
        TEST_SHARE * position + phase) else "train"


def with_splits(samples: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored examples (in the order added), each with its ``split``: its own when
    it has one, else ``default_split`` by its position among its letter's examples."""
    seen: dict[str, int] = {}
    out = []
    for s in samples:
        if not isinstance(s, dict) or not isinstance(s.get("label"), str):
            out.append(s)  # not an example: left for check_samples to explain
            continue
        position = seen.get(s["label"], 0)
        seen[s["label"]] = position + 1
        out.append({**s, "split": s.get("split") or default_split(s["label"], position)})
    return out


def check_samples(samples: Any, classes: Sequence[str],
                  where: str | None = "samples") -> tuple[np.ndarray, np.ndarray]:
    """A person's drawn examples ``[{"label", "pattern"}, ...]`` as ``(X, y)``; every
    label must be one of ``classes`` or ``NONE_LABEL`` (a drawing of none of them), every
    pattern values or text (``drawing.read_pattern``). A bad drawing is named by its
    place under ``where``."""
    if not isinstance(samples, list) or len(samples) > MAX_USER_SAMPLES:
        raise coded(ValueError, "field_list", where=where, limit=MAX_USER_SAMPLES)
    X, y = [], []
    for i, s in enumerate(samples):
        label = s.get("label") if isinstance(s, dict) else None
        if label not in classes and label != NONE_LABEL:
            raise coded(ValueError, "unknown_label", n=i + 1, label=label,
                        letters=list(classes))
        try:
            X.append(read_pattern(s.get("pattern")))
        except ValueError as e:
            raise within(ValueError, e, where and f"{where}[{i}]") from None
        y.append(s["label"])
    return np.array(X).reshape(-1, N_PIXELS), np.array(y, dtype=str)


def drawings(samples: Iterable[dict[str, Any]], split: str) -> tuple[np.ndarray, np.ndarray]:
    """The stored examples of one ``split`` (``with_splits``) as ``(X, y)``; patterns
    as values or text (``drawing.read_pattern``)."""
    chosen = [s for s in with_splits(samples) if s["split"] == split]
    X = np.array([read_pattern(s["pattern"]) for s in chosen]).reshape(-1, N_PIXELS)
    return X, np.array([s["label"] for s in chosen], dtype=str)


def check_split(split: Any) -> str:
    """``"train"`` or ``"test"``, or ``ValueError``."""
    if split not in SPLITS:
        raise coded(ValueError, "field_choice", where="split", choices=", ".join(SPLITS))
    return split


def check_sample(sample: Any, letters: Sequence[str]) -> dict[str, Any]:
    """One drawn example checked against the known ``letters``; returns it normalized
    (``pattern`` as 100 ints; ``split`` kept when given, checked)."""
    X, y = check_samples([sample], letters, where=None)
    out = {"label": str(y[0]), "pattern": X[0].astype(int).tolist()}
    if sample.get("split") is not None:
        out["split"] = check_split(sample["split"])
    return out


def check_new_letter(new: Any, letters: Sequence[str]) -> dict[str, Any]:
    """A new letter: a name not among ``letters`` and a drawable template; returns it
    normalized (name stripped, ``template`` as 100 ints)."""
    letter = new.get("letter") if isinstance(new, dict) else None
    if isinstance(letter, str):
        letter = letter.strip()
    if letter in letters:
        raise coded(ValueError, "letter_exists", letter=letter)
    template = check_template(letter, new.get("template"), where=None)
    return {"letter": letter, "template": template.ravel().astype(int).tolist()}
