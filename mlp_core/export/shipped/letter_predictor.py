"""A letter recognizer exported from the letter-recognizer app (mlp_core): one file, no
dependencies, Python 3.8 or newer.

    from letter_predictor import predict
    predict("0000000000" "0010000000" ...)    # 100 characters 0/1, row-major, 1 = ink
    predict([0, 0, 1, ...])                   # or 100 numbers, or 10 rows of 10
                                              # (lists, strings or a NumPy array)

    python letter_predictor.py 00000000000010000000...   # prints the answer as JSON

The answer: ``{"letter", "recognized", "probabilities", "none_probability",
"confidence"}``, as the app gives it. ``letter`` is the most probable letter;
``recognized`` is false when the drawing looks like none of the letters. The weights
are below, in base64 (float64, little-endian, one row per unit).
"""

import base64
import json
import math
import struct
import sys

MODEL = None  # the export writes the model here

GRID = 10


def _floats(text):
    data = base64.b64decode(text)
    return struct.unpack("<%dd" % (len(data) // 8), data)


def _layer(spec):
    flat, n_in = _floats(spec["weights"]), spec["inputs"]
    rows = [flat[j * n_in:(j + 1) * n_in] for j in range(spec["outputs"])]
    return rows, _floats(spec["bias"])


_LAYERS = [_layer(spec) for spec in MODEL["layers"]]
_ACTIVATIONS = {
    "relu": lambda z: z if z > 0.0 else 0.0,
    "tanh": math.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-max(-500.0, min(500.0, z)))),
}


def _cells(drawing):
    """The drawing as 100 finite floats, row-major: from a string of 0/1, 100 numbers,
    or 10 rows (lists, strings or a NumPy array's rows)."""
    if hasattr(drawing, "tolist"):
        drawing = drawing.tolist()
    if isinstance(drawing, str):
        drawing = [drawing]
    cells = []
    for row in drawing:
        if isinstance(row, str):
            row = [c for c in row if c not in " \n\t,|"]
        cells += [float(v) for v in (row if isinstance(row, (list, tuple)) else [row])]
    if len(cells) != GRID * GRID or not all(math.isfinite(v) for v in cells):
        raise ValueError("a drawing is %d finite numbers (a %dx%d grid), got %d values"
                         % (GRID * GRID, GRID, GRID, len(cells)))
    return cells


def center(cells):
    """The drawing with its inked bounding box moved to the middle of the grid."""
    rows = [r for r in range(GRID) if any(cells[r * GRID:(r + 1) * GRID])]
    cols = [c for c in range(GRID) if any(cells[c::GRID])]
    if not rows:
        return list(cells)
    dr = (GRID - (rows[-1] - rows[0] + 1)) // 2 - rows[0]
    dc = (GRID - (cols[-1] - cols[0] + 1)) // 2 - cols[0]
    out = [0.0] * (GRID * GRID)
    for r in range(GRID):
        for c in range(GRID):
            if 0 <= r - dr < GRID and 0 <= c - dc < GRID:
                out[r * GRID + c] = cells[(r - dr) * GRID + c - dc]
    return out


def predict(drawing):
    """The model's answer for one drawing (see the module's docstring)."""
    x = _cells(drawing)
    if MODEL["preprocessing"] == "center":
        x = center(x)
    f = _ACTIVATIONS[MODEL["activation"]]
    for i, (rows, bias) in enumerate(_LAYERS):
        z = [b + math.fsum(w * v for w, v in zip(row, x)) for row, b in zip(rows, bias)]
        x = z if i == len(_LAYERS) - 1 else [f(v) for v in z]
    top = max(x)
    e = [math.exp(v - top) for v in x]
    total = sum(e)
    p = [v / total for v in e]
    none = MODEL["none_index"]
    letters = [i for i in range(len(p)) if i != none]
    best = max(letters, key=lambda i: p[i])
    name = MODEL["classes"][best]
    return {"letter": name,
            "recognized": none is None or x[best] - x[none] > MODEL["margins"][name],
            "probabilities": {MODEL["classes"][i]: p[i] for i in letters},
            "none_probability": None if none is None else p[none],
            "confidence": p[best]}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python %s DRAWING  (100 characters 0/1, row-major)" % sys.argv[0])
    print(json.dumps(predict(sys.argv[1])))
