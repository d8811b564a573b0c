"""Derive ``mlp_core/data/handwriting.npz`` from the UNIPEN training-writers pack.

    python scripts/make_handwriting.py [--pack ../shared/handwriting]

The pack (``shared/handwriting/``: UNIPEN train_r01_v07, half of its writers, CC BY 4.0)
holds pen strokes of isolated digits, uppercase and lowercase letters and symbols. This
script keeps what training needs, small enough to ship in the wheel (≤ 1 MB):

- every character but IBM's box-frame ones (a stroke is often missing there);
- at most ``CAP`` characters per writer and character (Apple's writers wrote some letters
  dozens of times: the variety that matters is between people);
- each stroke simplified (Ramer-Douglas-Peucker, ``EPSILON`` of the 0..255 box: under a
  fifth of a cell at full size) and quantized to ``LEVELS`` steps of the character's
  box, stored as deltas;
- each character's true aspect ratio (width / height, through the pad's resolution).

Writers get fixed roles, stored in the file: ``train``, ``validation`` (the temperature
and the rejection margins are chosen there) and ``evaluation`` (only reported). They are
drawn within each institution, so every role has writers of many pads and countries; a
writer's files stay together (the pack's ``writer`` is already a person).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mlp_core.data.handwriting import LEVELS, PATH  # noqa: E402

PACK = ROOT.parent / "shared" / "handwriting"
CAP = 12
EPSILON = 5.0
#: Shares of each institution's writers in the validation and evaluation roles (the rest
#: train); an institution with one or two writers gives them to training.
SHARES = {"validation": 0.15, "evaluation": 0.15}
SEED = 2026
ATTRIBUTION = ("UNIPEN train_r01_v07 (Consortium, 1999; https://doi.org/10.5281/"
               "zenodo.1195803), CC BY 4.0; the training half of its writers, strokes "
               "simplified and quantized by scripts/make_handwriting.py")


def simplify(p: np.ndarray, eps: float) -> np.ndarray:
    """Ramer-Douglas-Peucker on one stroke's points (first and last kept)."""
    keep = np.zeros(len(p), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(p) - 1)]
    while stack:
        i0, i1 = stack.pop()
        if i1 - i0 < 2:
            continue
        a, d = p[i0], p[i1] - p[i0]
        s = p[i0 + 1:i1] - a
        n = np.hypot(*d)
        dist = np.hypot(*s.T) if n == 0 else np.abs(d[0] * s[:, 1] - d[1] * s[:, 0]) / n
        k = int(dist.argmax())
        if dist[k] > eps:
            stack += [(i0, i0 + 1 + k), (i0 + 1 + k, i1)]
            keep[i0 + 1 + k] = True
    return p[keep]


def roles(writer_names: np.ndarray) -> list[str]:
    """Each writer's role, drawn within its institution (seeded)."""
    rng = np.random.default_rng(SEED)
    out = ["train"] * len(writer_names)
    by_inst: dict[str, list[int]] = {}
    for i, name in enumerate(writer_names.tolist()):
        by_inst.setdefault(name.split(":")[0], []).append(i)
    for inst in sorted(by_inst):
        ids = rng.permutation(by_inst[inst])
        if len(ids) < 3:
            continue
        start = 0
        for role, share in SHARES.items():
            k = max(1, round(share * len(ids)))
            for i in ids[start:start + k]:
                out[int(i)] = role
            start += k
    return out


def derive(pack: Path) -> dict[str, np.ndarray]:
    z = np.load(pack / "unipen-train.npz", allow_pickle=False)
    label, writer, bbox = z["label"], z["writer"], z["bbox_wh"]
    ss, ps = z["stroke_start"], z["point_start"]
    x, y = z["x"].astype(float), z["y"].astype(float)
    ppi = z["file_points_per_inch"][z["file"]]
    rng = np.random.default_rng(SEED)
    keep = []
    for key in sorted(set(zip(writer.tolist(), label.tolist(), strict=False))):
        rows = np.flatnonzero((writer == key[0]) & (label == key[1]) & ~z["box_frame"])
        keep += sorted(rng.permutation(rows)[:CAP].tolist())
    keep = np.array(sorted(keep))
    chars = sorted(set(label[keep].tolist()))
    n_strokes, n_points, deltas = [], [], []
    for i in keep:
        strokes = range(ss[i], ss[i + 1])
        n_strokes.append(len(strokes))
        for j in strokes:
            p = np.stack([x[ps[j]:ps[j + 1]], y[ps[j]:ps[j + 1]]], axis=1)
            q = np.round(simplify(p, EPSILON) * (LEVELS - 1) / 255).astype(np.int16)
            q = q[np.r_[True, np.any(np.diff(q, axis=0) != 0, axis=1)]]
            n_points.append(len(q))
            deltas.append(np.diff(q, axis=0, prepend=0))
    w_in, h_in = (bbox[keep] / ppi[keep]).T
    aspect = np.where(h_in > 0, w_in / np.maximum(h_in, 1e-9), 1.0)
    aspect = np.clip(np.where(w_in > 0, aspect, 0.0), 0.0, 64.0)
    names = z["writer_name"]
    meta = {"characters": "".join(chars), "writers": names.tolist(), "roles": roles(names),
            "levels": LEVELS, "epsilon": EPSILON, "cap": CAP, "source": ATTRIBUTION,
            "pack_sha256": hashlib.sha256((pack / "unipen-train.npz").read_bytes()).hexdigest()}
    d = np.vstack(deltas).astype(np.int8)
    return {"chars": np.searchsorted(np.array(chars), label[keep]).astype(np.uint8),
            "writer": writer[keep].astype(np.uint8),
            "n_strokes": np.array(n_strokes, dtype=np.uint8),
            "n_points": np.array(n_points, dtype=np.uint16),
            "dx": d[:, 0], "dy": d[:, 1], "aspect": aspect.astype(np.float16),
            "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pack", type=Path, default=PACK)
    ap.add_argument("-o", "--out", type=Path, default=PATH)
    args = ap.parse_args()
    arrays = derive(args.pack)
    np.savez_compressed(args.out, **arrays)
    from mlp_core.data.handwriting import Handwriting
    print(f"{args.out}: {args.out.stat().st_size} bytes; {Handwriting.load(args.out).summary()}")


if __name__ == "__main__":
    main()
