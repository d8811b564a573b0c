"""Real handwriting drawn onto the grid (``handwriting.npz``).

``scripts/make_handwriting.py`` derives the file from UNIPEN train_r01_v07's training
writers (CC BY 4.0, see ``THIRD_PARTY_NOTICES.md``): pen strokes of isolated characters,
each with its writer, and each writer's role: ``train``, ``validation`` (temperature and
rejection margins) or ``evaluation`` (only reported).

A character becomes a drawing as a person's stroke becomes one in the page: its strokes
are scaled into the grid and every cell a stroke's path crosses is inked, a pen stroke at
a time (nothing joins two strokes). ``Style`` says how: the size of the letter's larger
side, its position, aspect, slant, pen width, wobble, and a few missed or extra cells.
``random_styles`` draws them as people vary (the ranges and why are in ``STYLE_RANGES``);
``exact_styles`` draws every character as the evaluation does: its larger side 9.6
cells, centred, upright, with a thin or a thick pen.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from ..limits import GRID, N_PIXELS, NONE_LABEL
from .stepwise import stepwise

PATH = Path(__file__).with_name("handwriting.npz")
ROLES = ("train", "validation", "evaluation")
#: Steps of a character's box its points are quantized to (``make_handwriting.py``).
LEVELS = 64
#: The evaluation's rendering: the larger side spans 9.6 cells, centred; a thin pen inks
#: the cells the path crosses, a thick one every cell within 0.35 of a cell of it.
EXACT_SIZE = 9.6
#: Characters inked together: small enough for their temporaries to stay in cache and be
#: reused (18,000 characters drew in 0.7-0.9 s in chunks of 500-2,000 against 1.3-1.8 s
#: at once, CPython), large enough for NumPy's per-call cost not to show.
DRAW_CHUNK = 1000
#: Characters drawn per step when the evaluation's drawings are made ahead (``stepwise``):
#: about 40 ms with the thick pen.
EXACT_PER_STEP = 500
PENS = {"thin": 0.0, "thick": 0.35}

#: What people vary, and the ranges drawn for training (uniform unless said):
#: - ``size``: the larger side, in cells, from 4.5 to 10 and drawn as 10 - 5.5 u^2 (u
#:   uniform; ``size_power``), so that about a quarter is under 7 cells. The hand-drawn
#:   letters of ``tests/drawings.py`` are 5 to 9 cells tall and the evaluation draws 9.6;
#:   sizes drawn uniformly lost 1-2 points of letters at 9.6, and 7-10 cells read a
#:   6-cell thin letter right 38% of the time (78% with this range).
#: - ``aspect``: the width/height ratio is multiplied by exp(±0.25): ±28%, within what
#:   those drawings show against a printed letter.
#: - ``slant``: horizontal shear per unit of height, ±0.25 (about ±14°), as pen writing.
#: - ``pen``: half the pen's width, in cells: half the drawings have the bare path (0),
#:   the others 0.15 to 0.5 (0.5 inks two cells across, as the bold drawings there).
#: - ``wobble``: each point moved by a normal step of 0 to 0.08 cells (a shaky hand; at
#:   0.12 the validation writers' letters lost about 2 points).
#: - ``slips``: the share of cells missed (ink dropped) or added beside the ink, 0 to 2%.
STYLE_RANGES = {"size": (4.5, 10.0), "size_power": 2.0, "aspect": (-0.25, 0.25),
                "slant": (-0.25, 0.25), "thin_share": 0.5, "pen": (0.15, 0.5),
                "wobble": (0.0, 0.08), "slips": (0.0, 0.02)}


@dataclass(frozen=True)
class Styles:
    """How each of n characters is drawn (arrays of n): ``size`` (cells spanned by the
    larger side), ``aspect`` (log-factor on width/height), ``slant`` (shear), ``pen``
    (radius, cells), ``wobble`` (cells), ``slips`` (share), ``place`` (0..1: where in the
    free room, each axis; 0.5 centres)."""

    size: np.ndarray
    aspect: np.ndarray
    slant: np.ndarray
    pen: np.ndarray
    wobble: np.ndarray
    slips: np.ndarray
    place: np.ndarray  # (n, 2)

    def part(self, which: slice) -> Styles:
        """The styles of characters ``which``."""
        return Styles(**{f.name: getattr(self, f.name)[which] for f in fields(self)})


def random_styles(n: int, rng: np.random.Generator) -> Styles:
    """Styles drawn from ``STYLE_RANGES``."""
    r = STYLE_RANGES

    def u(key: str) -> np.ndarray:
        return rng.uniform(*r[key], n)

    small, large = r["size"]
    size = large - (large - small) * rng.random(n) ** r["size_power"]
    pen = np.where(rng.random(n) < r["thin_share"], 0.0, u("pen"))
    return Styles(size, u("aspect"), u("slant"), pen, u("wobble"), u("slips"),
                  rng.random((n, 2)))


def exact_styles(n: int, pen: float) -> Styles:
    """The evaluation's rendering (``EXACT_SIZE``, centred, upright, pen radius ``pen``)."""
    z = np.zeros(n)
    return Styles(np.full(n, EXACT_SIZE), z, z, np.full(n, pen), z, z, np.full((n, 2), 0.5))


@dataclass(frozen=True)
class Handwriting:
    """Characters as strokes, with their writers and the writers' roles."""

    chars: np.ndarray  # (n,) str
    writer: np.ndarray  # (n,) index into writers
    aspect: np.ndarray  # (n,) true width / height
    stroke_start: np.ndarray  # (n + 1,) character i: strokes stroke_start[i]..[i+1]-1
    point_start: np.ndarray  # (S + 1,)
    points: np.ndarray  # (P, 2) x, y in the character's box, 0..1, y down
    writers: tuple[str, ...]
    roles: tuple[str, ...]  # per writer
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: Path = PATH) -> Handwriting:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes())
            codes, writer, aspect = z["chars"], z["writer"].astype(np.intp), z["aspect"]
            n_strokes, n_points = z["n_strokes"], z["n_points"]
            d = np.stack([z["dx"], z["dy"]], axis=1).astype(np.int32)
        point_start = np.concatenate([[0], np.cumsum(n_points, dtype=np.intp)])
        total = np.cumsum(d, axis=0)
        before = np.vstack([[0, 0], total])[point_start[:-1]]
        points = (total - np.repeat(before, n_points, axis=0)) / (meta["levels"] - 1)
        stroke_start = np.concatenate([[0], np.cumsum(n_strokes, dtype=np.intp)])
        return cls(np.array(list(meta["characters"]))[codes], writer,
                   aspect.astype(np.float64), stroke_start, point_start, points,
                   tuple(meta["writers"]), tuple(meta["roles"]), meta)

    def rows(self, role: str, chars: Iterable[str]) -> np.ndarray:
        """Indices of the characters in ``chars`` written by writers in ``role``."""
        in_role = np.array([r == role for r in self.roles])[self.writer]
        return np.flatnonzero(in_role & np.isin(self.chars, list(chars)))

    def sample(self, n: int, chars: Sequence[str], role: str,
               rng: np.random.Generator) -> np.ndarray:
        """``n`` row indices of ``chars`` by writers in ``role``, balanced: a character,
        then a writer who wrote it, then one of their samples, each uniformly. Characters
        nobody in ``role`` wrote are skipped."""
        rows = self.rows(role, chars)
        present = sorted(set(self.chars[rows].tolist()))
        if not present or n <= 0:
            return np.zeros(0, dtype=np.intp)
        picks = np.empty(n, dtype=np.intp)
        which = rng.integers(0, len(present), n)
        for k, char in enumerate(present):
            slots = np.flatnonzero(which == k)
            mine = rows[self.chars[rows] == char]
            mine = mine[np.argsort(self.writer[mine], kind="stable")]
            by_writer = np.split(mine, np.flatnonzero(np.diff(self.writer[mine])) + 1)
            w = rng.integers(0, len(by_writer), len(slots))
            sizes = np.array([len(b) for b in by_writer])
            offset = (rng.random(len(slots)) * sizes[w]).astype(np.intp)
            starts = np.concatenate([[0], np.cumsum(sizes)])[:-1]
            picks[slots] = mine[starts[w] + offset]
        return picks

    def draw(self, rows: np.ndarray, styles: Styles,
             rng: np.random.Generator | None = None) -> np.ndarray:
        """The characters ``rows`` drawn on the grid in ``styles``: (n, 100) zeros and
        ones. ``rng`` moves points (wobble) and slips cells; without it there is none."""
        rows = np.asarray(rows, dtype=np.intp)
        n = len(rows)
        points = self.point_start[self.stroke_start[rows + 1]] - \
            self.point_start[self.stroke_start[rows]]
        # The random parts are drawn first, for every character at once, so that the
        # result does not depend on DRAW_CHUNK.
        wobble = slips = None
        if rng is not None:
            wobble = rng.normal(size=(int(points.sum()), 2)) * \
                np.repeat(styles.wobble, points)[:, None]
            slips = rng.random((2, n, GRID, GRID))
        grids = np.zeros((n, N_PIXELS))
        first_point = np.concatenate([[0], np.cumsum(points)])
        for lo in range(0, n, DRAW_CHUNK):
            hi = min(lo + DRAW_CHUNK, n)
            part = slice(lo, hi)
            ink = self._ink_of(rows[part], styles.part(part),
                               None if wobble is None else wobble[first_point[lo]:first_point[hi]])
            if slips is not None:
                ink = _slip(ink, styles.slips[part], slips[:, part])
            grids[part] = ink.reshape(hi - lo, N_PIXELS)
        return grids

    def _ink_of(self, rows: np.ndarray, styles: Styles,
                wobble: np.ndarray | None) -> np.ndarray:
        """(n, GRID, GRID) bools: the characters ``rows`` inked in ``styles``, each of
        their points moved by ``wobble`` (cells) if given."""
        n = len(rows)
        s0, s1 = self.stroke_start[rows], self.stroke_start[rows + 1]
        strokes = _ranges(s0, s1)
        stroke_char = np.repeat(np.arange(n), s1 - s0)
        p0, p1 = self.point_start[strokes], self.point_start[strokes + 1]
        point_char = np.repeat(stroke_char, p1 - p0)
        uv = self.points[_ranges(p0, p1)]
        xy = _layout(uv, point_char, self.aspect[rows], styles)
        if wobble is not None:
            xy = xy + wobble
        # Segments: each point to the next one of its stroke; a one-point stroke is a dot.
        last = np.zeros(len(uv), dtype=bool)
        last[np.cumsum(p1 - p0) - 1] = True
        single = last & np.r_[True, last[:-1]]
        a = np.flatnonzero(~last | single)
        b = np.where(single[a], a, a + 1)
        return _ink(xy[a], xy[b], point_char[a], styles.pen, n)

    def summary(self) -> str:
        """Counts by role, for a log line."""
        role = np.array(self.roles)[self.writer]
        return ", ".join(f"{r}: {int(np.sum(role == r))} characters of "
                         f"{self.roles.count(r)} writers" for r in ROLES)


def _ranges(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start[i], stop[i])``."""
    lengths = stop - start
    return np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())


def _layout(uv: np.ndarray, owner: np.ndarray, aspect: np.ndarray, st: Styles) -> np.ndarray:
    """Points of each character (its box, 0..1) in grid cells: true proportions times the
    aspect factor, the larger side ``size`` cells, slanted, then placed where it fits."""
    ratio = aspect * np.exp(st.aspect)
    w = np.where(ratio >= 1, 1.0, ratio)
    h = np.where(ratio >= 1, 1.0 / np.maximum(ratio, 1e-9), 1.0)
    x = (uv[:, 0] - 0.5) * w[owner]
    y = (uv[:, 1] - 0.5) * h[owner]
    x = x - st.slant[owner] * y
    # The slanted box's extent, then the scale that gives the larger side ``size`` cells.
    lo_x = np.full(len(aspect), np.inf)
    hi_x = np.full(len(aspect), -np.inf)
    np.minimum.at(lo_x, owner, x)
    np.maximum.at(hi_x, owner, x)
    span = np.maximum(np.maximum(hi_x - lo_x, h), 1e-9)
    scale = np.minimum(st.size, GRID - 1e-6) / span
    room_x = GRID - (hi_x - lo_x) * scale
    room_y = GRID - h * scale
    cx = room_x * st.place[:, 0] - lo_x * scale
    cy = room_y * st.place[:, 1] + h * scale / 2
    return np.stack([x * scale[owner] + cx[owner], y * scale[owner] + cy[owner]], axis=1)


#: Directions a thick pen's edge is traced in (the path itself is traced too).
_EDGE = np.stack([np.cos(np.arange(8) * np.pi / 4), np.sin(np.arange(8) * np.pi / 4)], 1)


def _ink(a: np.ndarray, b: np.ndarray, owner: np.ndarray, pen: np.ndarray,
         n: int) -> np.ndarray:
    """(n, GRID, GRID) bools: every cell the segments ``a``→``b`` cross, and for a pen of
    radius r > 0 every cell within about r of them (the path traced again at 8 points of
    the pen's edge)."""
    thick = np.flatnonzero(pen[owner] > 0)
    r = pen[owner[thick], None]
    a = np.concatenate([a, *(a[thick] + r * e for e in _EDGE)])
    b = np.concatenate([b, *(b[thick] + r * e for e in _EDGE)])
    owner = np.concatenate([owner, np.tile(owner[thick], len(_EDGE))])
    seg, cells = cells_crossed(a, b)
    col, row = cells.T
    inside = (col >= 0) & (col < GRID) & (row >= 0) & (row < GRID)
    grids = np.zeros(n * N_PIXELS, dtype=bool)
    grids[(owner[seg] * N_PIXELS + row * GRID + col)[inside]] = True
    return grids.reshape(n, GRID, GRID)


def cells_crossed(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every cell (column, row) each segment ``a[i]``→``b[i]`` (points in cell units)
    passes through: the cells of its ends, and the two cells on either side of each
    grid line it crosses. Returns each cell's segment index and the cells (repeats
    included)."""
    m = len(a)
    fa, fb = np.floor(a), np.floor(b)
    segs, cells = [np.arange(m), np.arange(m)], [fa, fb]
    for axis in (0, 1):
        count = np.abs(fb[:, axis] - fa[:, axis]).astype(np.intp)
        seg = np.repeat(np.arange(m), count)
        k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        line = np.minimum(fa[seg, axis], fb[seg, axis]) + 1 + k
        t = (line - a[seg, axis]) / (b[seg, axis] - a[seg, axis])
        along = np.floor(a[seg, 1 - axis] + t * (b[seg, 1 - axis] - a[seg, 1 - axis]))
        for side in (line - 1, line):
            cell = np.empty((len(seg), 2))
            cell[:, axis], cell[:, 1 - axis] = side, along
            segs.append(seg)
            cells.append(cell)
    return np.concatenate(segs), np.concatenate(cells).astype(np.intp)


def _slip(grids: np.ndarray, share: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Drop a share of the ink and add as much beside it (a slip of the finger);
    ``uniform`` holds two uniform draws per cell (drop, add)."""
    near = np.zeros_like(grids)
    near[:, 1:] |= grids[:, :-1]
    near[:, :-1] |= grids[:, 1:]
    near[:, :, 1:] |= grids[:, :, :-1]
    near[:, :, :-1] |= grids[:, :, 1:]
    p = share[:, None, None]
    drop = grids & (uniform[0] < p)
    add = near & ~grids & (uniform[1] < p)
    return (grids & ~drop) | add


@functools.cache
def shipped() -> Handwriting:
    """The handwriting shipped with the package."""
    return Handwriting.load()


def others_of(letters: Sequence[str], chars: Iterable[str]) -> list[str]:
    """``chars`` named like none of ``letters``, ignoring case (the fonts' rule)."""
    taken = {c.casefold() for c in letters}
    return [c for c in chars if c.casefold() not in taken]


def handwriting_rows(n_letters: int, n_others: int, letters: Sequence[str], role: str, *,
                     rng: np.random.Generator
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_letters`` drawings of the model's lowercase ``letters`` and ``n_others`` of the
    writers' other characters (named like none of the letters), by writers in ``role``,
    each in a random style. Returns the grids, labels (the letter or ``NONE_LABEL``) and
    characters."""
    if not n_letters and not n_others:
        return np.zeros((0, N_PIXELS)), np.zeros(0, dtype=str), np.zeros(0, dtype=str)
    hw = shipped()
    present = set(hw.chars.tolist())
    drawable = [c for c in letters if c in present and c.islower()]
    others = others_of(letters, sorted(present))
    rows = np.concatenate([hw.sample(n_letters if drawable else 0, drawable, role, rng),
                           hw.sample(n_others, others, role, rng)])
    X = hw.draw(rows, random_styles(len(rows), rng), rng)
    chars = hw.chars[rows]
    return X, np.where(np.isin(chars, letters), chars, NONE_LABEL), chars


#: The other characters the evaluation reads (the hidden judges' set): letters, digits
#: and a few symbols, less those named like the model's letters.
EVALUATED_OTHERS = ("abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "0123456789"
                    + "+=#%&?@")
#: Writers with fewer of the model's letters than this are left out of the per-writer
#: figures.
MIN_LETTERS_PER_WRITER = 4


@stepwise
def exact_drawings(role: str, pen: str) -> Generator[None, None, tuple[np.ndarray, np.ndarray]]:
    """Every character by writers in ``role`` drawn as evaluated (``EXACT_SIZE``, pen
    ``PENS[pen]``): the sorted rows and their grids (0/1 as uint8: an eighth of float64's
    memory, which the page keeps). Drawn once, ``EXACT_PER_STEP`` characters per step
    (``stepwise``): every training's report reads them."""
    hw = shipped()
    rows = hw.rows(role, sorted(set(hw.chars.tolist())))
    grids = np.empty((len(rows), N_PIXELS), dtype=np.uint8)
    for lo in range(0, len(rows), EXACT_PER_STEP):
        part = rows[lo:lo + EXACT_PER_STEP]
        grids[lo:lo + len(part)] = hw.draw(part, exact_styles(len(part), PENS[pen]))
        yield
    return rows, grids


def handwriting_report(recognizer: Any, role: str = "evaluation") -> dict[str, Any]:
    """How a ``model.recognizer.Recognizer`` reads the handwriting of writers in ``role``
    (default: never trained on, nor used to choose anything), each character drawn with
    ``EXACT_SIZE`` and both ``PENS``.

    ``letters``: the recognizer's lowercase letters: ``n`` and the shares ``right``
    (read right and accepted), ``rejected`` and ``wrong``, overall (also ``top1``,
    ignoring rejection), per letter and per pen. ``writers``: the median and 10th
    percentile of the share right per writer with at least ``MIN_LETTERS_PER_WRITER``
    letters. ``others``: the share ``rejected`` of the other characters, overall and per
    character.
    """
    hw = shipped()
    letters = [c for c in recognizer.letters if c.islower()]
    rows_l = hw.rows(role, letters)
    rows_o = hw.rows(role, others_of(recognizer.letters, EVALUATED_OTHERS))
    rows = np.concatenate([rows_l, rows_o])
    letter, ok, pen = [], [], []
    for name in PENS:
        drawn, grids = exact_drawings(role, name)
        picked = grids[np.searchsorted(drawn, rows)].astype(np.float64)
        read, accepted, _ = recognizer.predict_many(picked)
        letter.append(read)
        ok.append(accepted)
        pen += [name] * len(rows)
    letter, ok, pen = np.concatenate(letter), np.concatenate(ok), np.array(pen)
    chars = np.tile(hw.chars[rows], len(PENS))
    writer = np.tile(hw.writer[rows], len(PENS))
    is_letter = np.tile(np.arange(len(rows)) < len(rows_l), len(PENS))
    right = ok & (letter == chars)

    def shares(m: np.ndarray) -> dict[str, Any]:
        m = m & is_letter
        if not m.any():
            return {"n": 0}
        return {"n": int(m.sum()), "right": float(right[m].mean()),
                "rejected": float(np.mean(~ok[m])), "wrong": float(np.mean(ok[m] & ~right[m])),
                "top1": float(np.mean(letter[m] == chars[m]))}

    per_writer = [float(right[is_letter & (writer == w)].mean())
                  for w in np.unique(writer[is_letter])
                  if np.sum(is_letter & (writer == w)) >= MIN_LETTERS_PER_WRITER * len(PENS)]
    other = ~is_letter
    everything = np.ones(len(chars), dtype=bool)
    return {
        "role": role,
        "writers_n": len(set(writer.tolist())),
        "letters": {"all": shares(everything),
                    "by_letter": {c: shares(chars == c) for c in letters},
                    "by_pen": {p: shares(pen == p) for p in PENS}},
        "writers": {"n": len(per_writer),
                    "median": float(np.percentile(per_writer, 50)) if per_writer else None,
                    "p10": float(np.percentile(per_writer, 10)) if per_writer else None},
        "others": {"n": int(other.sum()),
                   "rejected": float(np.mean(~ok[other])) if other.any() else None,
                   "by_character": {c: {"n": int(np.sum(other & (chars == c))),
                                        "rejected": float(np.mean(~ok[other & (chars == c)]))}
                                    for c in sorted(set(chars[other].tolist()))}},
    }


def handwriting_summary(recognizer: Any) -> dict[str, Any] | None:
    """What a model's metrics keep of ``handwriting_report`` on the evaluation writers
    (``metrics["handwriting"]``), rounded to 4 decimals; None for a model with none of
    the handwriting's letters."""
    report = handwriting_report(recognizer)
    every = report["letters"]["all"]
    if not every["n"]:
        return None

    def r4(v: float | None) -> float | None:
        return None if v is None else round(v, 4)

    return {"role": report["role"], "writers": report["writers_n"], "n": every["n"],
            **{k: r4(every[k]) for k in ("right", "rejected", "wrong", "top1")},
            "by_letter": {c: r4(s["right"]) for c, s in report["letters"]["by_letter"].items()
                          if s["n"]},
            "by_pen": {p: r4(s["right"]) for p, s in report["letters"]["by_pen"].items()},
            "writer_median": r4(report["writers"]["median"]),
            "writer_p10": r4(report["writers"]["p10"]),
            "others_n": report["others"]["n"], "others_rejected": r4(report["others"]["rejected"])}


def report_markdown(report: dict[str, Any]) -> str:
    """``handwriting_report`` as the tables of ``docs/evaluation.md``."""
    def pct(v: float | None) -> str:
        return "—" if v is None else f"{100 * v:.1f}%"

    letters = report["letters"]
    lines = ["| letters | drawings | right and accepted | rejected | wrong | top-1 |",
             "|---|---|---|---|---|---|"]
    groups = [("all", letters["all"]), *letters["by_letter"].items(),
              *((f"{p} pen", r) for p, r in letters["by_pen"].items())]
    for name, r in groups:
        lines.append(f"| {name} | {r['n']} | {pct(r.get('right'))} | {pct(r.get('rejected'))} "
                     f"| {pct(r.get('wrong'))} | {pct(r.get('top1'))} |")
    w = report["writers"]
    lines += ["", f"Per writer ({w['n']} writers with at least {MIN_LETTERS_PER_WRITER} "
              f"letters): median {pct(w['median'])}, 10th percentile {pct(w['p10'])}.",
              "", f"Other characters rejected: {pct(report['others']['rejected'])} of "
              f"{report['others']['n']} drawings."]
    worst = sorted(((c, r) for c, r in report["others"]["by_character"].items() if r["n"] >= 10),
                   key=lambda cr: cr[1]["rejected"])
    lines += ["", "Each other character with at least 10 drawings, least rejected first: "
              + ", ".join(f"{c} {pct(r['rejected'])}" for c, r in worst) + "."]
    return "\n".join(lines)
