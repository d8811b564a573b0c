"""Where training drawings come from, as one table: ``SOURCES``.

Every source makes letters and other characters ("none of these") the same way:
``make(n_letters, n_others, templates, role, cfg, rng)`` returns grids, labels (a letter
or ``NONE_LABEL``) and each grid's character. A source with held-out people or faces
(``held_out``) also gives rows of its ``validation`` role, which choose the rejection
margins. Its share of a training is the data setting named like it (``settings.py``);
the ``rest`` source fills what the others leave. Adding a source is one entry here and
one setting there.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..limits import N_PIXELS, NONE_LABEL
from . import fonts, handwriting
from .fonts import font_rows
from .handwriting import handwriting_rows
from .negatives import make_negatives
from .synthetic import make_dataset

Rows = tuple[np.ndarray, np.ndarray, np.ndarray]
# Quoted: evaluating np.random.Generator would import numpy.random, which a first
# prediction does not need (it ships after ready, build.NUMPY_LATER).
Make = Callable[[int, int, Mapping[str, np.ndarray], str, Mapping[str, Any],
                 "np.random.Generator", int], Rows]


@dataclass(frozen=True)
class Source:
    """One source of drawings: its name (also its share's data setting), how it makes
    rows, whether it holds people or faces out by role, and the data file it reads (the
    site's wheel leaves these out: the page fetches them before a training)."""

    name: str
    make: Make
    held_out: bool
    data_file: Path | None = None
    rest: bool = False  # takes the share the others leave


def _fonts(n_letters: int, n_others: int, templates: Mapping[str, np.ndarray], role: str,
           cfg: Mapping[str, Any], rng: np.random.Generator, seed: int) -> Rows:
    return font_rows(n_letters, n_others, sorted(templates), role,
                     noise_max=cfg["augment_noise_max"], rng=rng)


def _handwriting(n_letters: int, n_others: int, templates: Mapping[str, np.ndarray],
                 role: str, cfg: Mapping[str, Any], rng: np.random.Generator,
                 seed: int) -> Rows:
    return handwriting_rows(n_letters, n_others, sorted(templates), role, rng=rng)


def _synthetic(n_letters: int, n_others: int, templates: Mapping[str, np.ndarray],
               role: str, cfg: Mapping[str, Any], rng: np.random.Generator,
               seed: int) -> Rows:
    """Letters from the templates (``make_dataset``, seeded ``seed``) and non-letters
    (``make_negatives``, seeded ``seed + 1``)."""
    X, y = (make_dataset(n_letters, templates=templates, clean_fraction=cfg["clean_fraction"],
                         noise_range=(cfg["noise_min"], cfg["noise_max"]),
                         augment=cfg["augment"], augment_noise_max=cfg["augment_noise_max"],
                         seed=seed) if n_letters else (np.zeros((0, N_PIXELS)), np.zeros(0)))
    Xo = (make_negatives(n_others, exclude=sorted(templates),
                         noise_max=cfg["augment_noise_max"], seed=seed + 1)
          if n_others else np.zeros((0, N_PIXELS)))
    y = np.concatenate([np.asarray(y).astype(str), [NONE_LABEL] * n_others])
    return np.vstack([X, Xo]), y, y.copy()


SOURCES: tuple[Source, ...] = (
    Source("fonts", _fonts, held_out=True, data_file=fonts.PATH),
    Source("handwriting", _handwriting, held_out=True, data_file=handwriting.PATH),
    Source("synthetic", _synthetic, held_out=False, rest=True),
)
BY_NAME = {s.name: s for s in SOURCES}
#: The data files training may read, by name (the page fetches them from the site).
DATA_FILES = tuple(s.data_file.name for s in SOURCES if s.data_file)


@functools.cache
def _sha256(path: Path, size: int, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_files_sha256(cfg: Mapping[str, Any]) -> dict[str, str]:
    """SHA-256 of each data file a training with ``cfg`` reads (its source's share is
    above 0), by file name: part of the data's fingerprint."""
    out = {}
    for name, share in shares(cfg).items():
        path = BY_NAME[name].data_file
        if share > 0 and path is not None:
            stat = path.stat()
            out[path.name] = _sha256(path, stat.st_size, stat.st_mtime)
    return out


def shares(cfg: Mapping[str, Any]) -> dict[str, float]:
    """Each source's share of a training's drawings: its data setting, scaled down if
    they add up to more than 1; the ``rest`` source gets what is left."""
    given = {s.name: float(cfg.get(s.name, 0.0)) for s in SOURCES if not s.rest}
    total = sum(given.values())
    out = {k: v / max(total, 1.0) for k, v in given.items()}
    out.update({s.name: max(0.0, 1.0 - sum(out.values())) for s in SOURCES if s.rest})
    return out


def _counts(n: int, parts: Mapping[str, float]) -> dict[str, int]:
    """``n`` split by ``parts`` (shares adding up to at most 1), rounding kept exact."""
    edges = np.round(np.cumsum([0.0, *parts.values()]) * n).astype(int)
    return {k: int(b - a) for k, a, b in zip(parts, edges[:-1], edges[1:], strict=True)}


def mix(n_letters: int, n_others: int, templates: Mapping[str, np.ndarray],
        cfg: Mapping[str, Any], rng: np.random.Generator, *, seed: int,
        role: str = "train", held_out_only: bool = False) -> Rows:
    """``n_letters`` letters and ``n_others`` other characters from every source by its
    share, sources with held-out people or faces drawing from ``role`` (with ``rng``;
    generated ones seeded by ``seed``). With ``held_out_only`` the shares of the other
    sources are left out (validation rows)."""
    parts = shares(cfg)
    if held_out_only:
        parts = {k: v for k, v in parts.items() if BY_NAME[k].held_out}
    letters, others = _counts(n_letters, parts), _counts(n_others, parts)
    out = []
    for name in sorted(parts, key=lambda k: BY_NAME[k].rest):
        if BY_NAME[name].rest:  # it also makes what the others could not
            letters[name] = n_letters - sum(int(np.sum(y != NONE_LABEL)) for _, y, _ in out)
            others[name] = n_others - sum(int(np.sum(y == NONE_LABEL)) for _, y, _ in out)
        if letters[name] or others[name]:
            out.append(BY_NAME[name].make(letters[name], others[name], templates, role,
                                          cfg, rng, seed))
    if not out:
        return np.zeros((0, N_PIXELS)), np.zeros(0, dtype=str), np.zeros(0, dtype=str)
    X, y, chars = zip(*out, strict=True)
    return np.vstack(X), np.concatenate(y).astype(str), np.concatenate(chars).astype(str)
