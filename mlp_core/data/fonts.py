"""Letters and other characters rendered from real fonts (``fonts.npz``).

``scripts/render_fonts.py`` renders them from the Debian font packages it names and
stores 10x10 grids, centered, with each grid's character and font family. Families are
split once, by the script, into three roles: ``train`` (the training data),
``validation`` (held out by family: early stopping, calibration and the choice of
rejection) and ``evaluation`` (never used by training: the honest evaluation in
``docs/evaluation.md``).

Sampling is balanced: a character, then a package, then one of its families, then one of
that family's grids, each uniformly, so that a package with hundreds of faces (Noto) or
hundreds of families (Aenigma) weighs as much as a package with one handwriting face.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..limits import GRID, N_PIXELS, NONE_LABEL

#: Lowercase letters (b, d and f among them), then the other characters: uppercase letters
#: but B, D and F (people draw those for the letters), digits and a few symbols.
LOWERCASE = "abcdefghijklmnopqrstuvwxyz"
CHARACTERS = (LOWERCASE + "ACEGHIJKLMNOPQRSTUVWXYZ" + "0123456789" + "+=#%&?@")
#: Font styles, as the evaluation reports them.
STYLES = ("text", "display", "handwriting")
ROLES = ("train", "validation", "evaluation")
PATH = Path(__file__).with_name("fonts.npz")


@dataclass(frozen=True)
class Fonts:
    """Rendered grids with their character, family, and the families' style and role."""

    packed: np.ndarray  # (n, 13) uint8: each grid's 100 cells, row-major, np.packbits
    chars: np.ndarray  # (n,) str
    family: np.ndarray  # (n,) index into families
    ink: np.ndarray  # (n,) index into meta["render"]["ink"]: the ink level that made it
    families: tuple[str, ...]
    styles: tuple[str, ...]
    roles: tuple[str, ...]
    packages: tuple[str, ...]  # each family's (first) package
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: Path = PATH) -> Fonts:
        with np.load(path) as z:
            meta = json.loads(z["meta"].tobytes())
            packed = z["grids"]
            labels, family, ink = z["labels"], z["families"].astype(np.intp), z["ink"]
        chars = np.array(list(meta["characters"]))[labels]
        return cls(packed, chars, family, ink, tuple(meta["families"]),
                   tuple(meta["styles"]), tuple(meta["roles"]),
                   tuple(p[0] for p in meta["packages"]), meta)

    def grids(self, rows: np.ndarray) -> np.ndarray:
        """The grids of ``rows`` as float64 rows of 100 zeros and ones."""
        return np.unpackbits(self.packed[rows], axis=1)[:, :N_PIXELS].astype(np.float64)

    def rows(self, role: str, chars: Iterable[str]) -> np.ndarray:
        """Indices of the grids of families in ``role`` whose character is in ``chars``."""
        in_role = np.array([r == role for r in self.roles])[self.family]
        return np.flatnonzero(in_role & np.isin(self.chars, list(chars)))

    def sample(self, n: int, chars: Sequence[str], role: str,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``n`` grids of ``chars`` from families in ``role``, balanced (module doc), and
        their characters. Characters without a grid in ``role`` are skipped."""
        groups: dict[str, dict[str, dict[int, np.ndarray]]] = {}
        for i in self.rows(role, chars):
            f = int(self.family[i])
            groups.setdefault(str(self.chars[i]), {}).setdefault(
                self.packages[f], {}).setdefault(f, []).append(i)
        present = sorted(groups)
        if not present or n <= 0:
            return np.zeros((0, N_PIXELS)), np.zeros(0, dtype=str)
        picks = np.empty(n, dtype=np.intp)
        which = rng.choice(len(present), n, p=uniform(len(present)))
        for k, char in enumerate(present):
            slots = np.flatnonzero(which == k)
            packages = [list(fams.values()) for fams in groups[char].values()]
            p = rng.choice(len(packages), len(slots), p=uniform(len(packages)))
            for j, slot in enumerate(slots):
                fams = packages[p[j]]
                rows = fams[rng.integers(0, len(fams))]
                picks[slot] = rows[rng.integers(0, len(rows))]
        return self.grids(picks), self.chars[picks]

    def summary(self) -> str:
        """Counts by role, for a log line."""
        role = np.array(self.roles)[self.family]
        counts = {r: int(np.sum(role == r)) for r in ROLES}
        fams = {r: self.roles.count(r) for r in ROLES}
        return ", ".join(f"{r}: {counts[r]} grids of {fams[r]} families" for r in ROLES)


def uniform(k: int) -> np.ndarray:
    """Equal probabilities of ``k`` choices (``Generator.choice`` draws these differently
    from ``p=None``: kept so that the shipped model's data stays reproducible)."""
    return np.full(k, 1.0 / k)


@functools.cache
def shipped() -> Fonts:
    """The grids shipped with the package."""
    return Fonts.load()


def font_rows(n_letters: int, n_others: int, letters: Sequence[str], role: str, *,
              noise_max: float, rng: np.random.Generator
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_letters`` grids of the model's ``letters`` that fonts have (lowercase) and
    ``n_others`` of the other characters (none named like a letter, case-insensitively),
    from families in ``role``, moved anywhere they fit and with up to ``noise_max`` of
    their pixels flipped. Returns the grids, their labels (the letter, or ``NONE_LABEL``)
    and their characters."""
    if not n_letters and not n_others:
        return np.zeros((0, N_PIXELS)), np.zeros(0, dtype=str), np.zeros(0, dtype=str)
    fonts = shipped()
    drawable = [c for c in letters if c in LOWERCASE]
    taken = {c.casefold() for c in letters}
    others = [c for c in CHARACTERS if c.casefold() not in taken]
    X1, c1 = fonts.sample(n_letters if drawable else 0, drawable, role, rng)
    X2, c2 = fonts.sample(n_others, others, role, rng)
    X = place(np.vstack([X1, X2]), rng)
    flip = rng.random(X.shape) < rng.uniform(0.0, noise_max, (len(X), 1))
    chars = np.concatenate([c1, c2])
    return np.where(flip, 1.0 - X, X), np.where(np.isin(chars, letters), chars, NONE_LABEL), chars


def place(grids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Centered grids moved to a random position where their ink fits."""
    n = len(grids)
    img = grids.reshape(n, GRID, GRID)
    rows, cols = img.any(axis=2), img.any(axis=1)
    top = rows.argmax(axis=1)
    bottom = GRID - rows[:, ::-1].argmax(axis=1)
    left = cols.argmax(axis=1)
    right = GRID - cols[:, ::-1].argmax(axis=1)
    dr = (rng.random(n) * (GRID - bottom + top + 1)).astype(int) - top
    dc = (rng.random(n) * (GRID - right + left + 1)).astype(int) - left
    r = (np.arange(GRID)[None, :] - dr[:, None]) % GRID
    c = (np.arange(GRID)[None, :] - dc[:, None]) % GRID
    out = img[np.arange(n)[:, None, None], r[:, :, None], c[:, None, :]]
    return out.reshape(n, N_PIXELS)


def font_report(recognizer: Any, role: str = "evaluation") -> dict[str, Any]:
    """How a ``model.recognizer.Recognizer`` reads the shipped grids of families in
    ``role`` (default: never trained on), each distinct grid counted once.

    ``letters``: for the recognizer's letters that fonts have, by style, by ink level and
    overall: ``n`` and the shares ``right`` (recognized and read right), ``rejected`` and
    ``wrong``. ``others``: characters named like none of its letters (case-insensitively),
    by style and per character: ``n`` and the share ``rejected``.
    """
    fonts = shipped()
    rows = fonts.rows(role, CHARACTERS)
    chars, style = fonts.chars[rows], np.array(fonts.styles)[fonts.family[rows]]
    ink = np.array(fonts.meta["render"]["ink"])[fonts.ink[rows]]
    letter, ok, _ = recognizer.predict_many(fonts.grids(rows))
    taken = {c.casefold() for c in recognizer.letters}
    is_letter = np.isin(chars, [c for c in recognizer.letters if c in LOWERCASE])
    is_other = np.array([c.casefold() not in taken for c in chars.tolist()])

    def letters(mask: np.ndarray) -> dict[str, Any]:
        m = mask & is_letter
        n = int(m.sum())
        if not n:
            return {"n": 0}
        right = ok[m] & (letter[m] == chars[m])
        return {"n": n, "right": float(right.mean()), "rejected": float(np.mean(~ok[m])),
                "wrong": float(np.mean(ok[m] & ~right))}

    def others(mask: np.ndarray) -> dict[str, Any]:
        m = mask & is_other
        return {"n": int(m.sum()), "rejected": float(np.mean(~ok[m])) if m.any() else None}

    everything = np.ones(len(rows), dtype=bool)
    return {
        "role": role,
        "families": sorted({fonts.families[f] for f in fonts.family[rows]}),
        "letters": {"all": letters(everything),
                    "by_style": {s: letters(style == s) for s in STYLES},
                    "by_ink": {str(level): letters(ink == level)
                               for level in fonts.meta["render"]["ink"]}},
        "others": {"all": others(everything),
                   "by_style": {s: others(style == s) for s in STYLES},
                   "by_character": {str(c): others(chars == c)
                                    for c in CHARACTERS if c.casefold() not in taken}},
    }


def report_markdown(report: dict[str, Any]) -> str:
    """``font_report`` as the tables of ``docs/evaluation.md``."""
    def pct(v: float | None) -> str:
        return "—" if v is None else f"{100 * v:.1f}%"

    lines = ["| letters (b, d, f) | grids | right and accepted | rejected | wrong |",
             "|---|---|---|---|---|"]
    groups = [("all", report["letters"]["all"]),
              *((f"{s} faces", r) for s, r in report["letters"]["by_style"].items()),
              *((f"ink level {k}", r) for k, r in report["letters"]["by_ink"].items())]
    for name, r in groups:
        lines.append(f"| {name} | {r['n']} | {pct(r.get('right'))} | "
                     f"{pct(r.get('rejected'))} | {pct(r.get('wrong'))} |")
    lines += ["", "| other characters | grids | rejected |", "|---|---|---|"]
    lines.append(f"| all | {report['others']['all']['n']} | "
                 f"{pct(report['others']['all']['rejected'])} |")
    for s, r in report["others"]["by_style"].items():
        lines.append(f"| {s} faces | {r['n']} | {pct(r['rejected'])} |")
    worst = sorted(((c, r) for c, r in report["others"]["by_character"].items() if r["n"] >= 10),
                   key=lambda cr: cr[1]["rejected"])
    lines += ["", "Each other character with at least 10 grids, least rejected first: "
              + ", ".join(f"{c} {pct(r['rejected'])}" for c, r in worst) + "."]
    return "\n".join(lines)
