"""Each export of the production model, loaded by its own runtime, against mlp_core.

    .venv/bin/python bench/exports.py     # prints the Markdown table of docs/export.md

Drawings: the shipped held-out set (300 pen-stroke letters, 314 non-letters), 1,000
random grids and the 12 hand-drawn test letters in 4 positions. For each format: its
size, the largest probability difference from mlp_core, and how many letters and
"recognized" decisions differ.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

from drawings import DRAWINGS, as_bits  # noqa: E402

from mlp_core import registry  # noqa: E402
from mlp_core.data.heldout import heldout_set  # noqa: E402
from mlp_core.export import FORMATS, export_model  # noqa: E402
from mlp_core.limits import NONE_LABEL  # noqa: E402
from mlp_core.registry import store  # noqa: E402


def drawings() -> np.ndarray:
    X, _, Xo, _ = heldout_set()
    rng = np.random.default_rng(2026)
    random = (rng.random((1000, 100)) < rng.uniform(0.02, 0.6, (1000, 1))).astype(float)
    made = [np.roll(np.array(as_bits(d)).reshape(10, 10), s, axis=(0, 1)).ravel()
            for ds in DRAWINGS.values() for d in ds for s in ((0, 0), (1, 0), (0, -1), (-1, 1))]
    return np.vstack([X, Xo, random, np.array(made, float)])


def answers(fmt: str, data: dict[str, bytes], X: np.ndarray, classes: list[str], tmp: Path):
    """(probabilities in class order, letters, recognized) from the format's runtime."""
    for name, content in data.items():
        (tmp / name).write_bytes(content)
    if fmt in ("onnx", "mlflow"):
        import onnxruntime as ort

        onnx_file = next(tmp.glob("*.onnx"))
        if fmt == "mlflow":
            import mlflow.pyfunc

            out = mlflow.pyfunc.load_model(str(tmp)).predict({"drawing": X.astype(np.float32)})
            return out["probabilities"], out["letter"], out["recognized"]
        P, letters, recognized = ort.InferenceSession(str(onnx_file)).run(
            None, {"drawing": X.astype(np.float32)})
        return P, letters, recognized
    if fmt == "sklearn":
        import skops.io as sio

        sys.path.insert(0, str(tmp))
        import letter_centering

        pipe = sio.load(tmp / "model.skops", trusted=["letter_centering.CenterDrawing"])
        letters, recognized, P = letter_centering.recognize(pipe, X)
        sys.path.remove(str(tmp))
        return P, letters, recognized
    if fmt == "py":
        path = tmp / "letter_predictor.py"
        spec = importlib.util.spec_from_file_location("letter_predictor", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        results = [module.predict(x.tolist()) for x in X]
    else:
        (tmp / "X.json").write_text(json.dumps(X.tolist()))
        (tmp / "run.mjs").write_text(
            'import { predict } from "./letter-predictor.mjs";\n'
            'import { readFileSync } from "node:fs";\n'
            'const X = JSON.parse(readFileSync(new URL("X.json", import.meta.url)));\n'
            "console.log(JSON.stringify(X.map((x) => predict(x))));\n")
        (tmp / "letter-predictor.mjs").write_bytes(data["letter-predictor.js"])
        results = json.loads(subprocess.run(["node", str(tmp / "run.mjs")], capture_output=True,
                                            text=True, check=True).stdout)
    P = np.array([[r["none_probability"] if c == NONE_LABEL else r["probabilities"][c]
                   for c in classes] for r in results])
    return P, [r["letter"] for r in results], [r["recognized"] for r in results]


def main() -> None:
    entry = registry.get_production(store.read_registry(store.DEFAULT_BUNDLE))
    r = registry.load_recognizer(entry)
    X = drawings()
    want_letters, want_recognized, want_P = r.predict_many(X)
    print(f"Production model {entry['version']}, {len(X)} drawings.\n")
    print("| format | download | size | max probability difference | letters differing "
          "| decisions differing |")
    print("|---|---|---|---|---|---|")
    for fmt in FORMATS:
        out = export_model(entry, fmt)
        with tempfile.TemporaryDirectory() as tmp:
            P, letters, recognized = answers(fmt, out.files, X, r.labels, Path(tmp))
        sizes = len(out.single())
        print(f"| {fmt} | `{out.file_name}` | {sizes / 1024:.1f} kB | "
              f"{np.abs(np.asarray(P) - want_P).max():.1e} | "
              f"{int((np.asarray(letters) != want_letters).sum())} | "
              f"{int((np.asarray(recognized) != want_recognized).sum())} |")


if __name__ == "__main__":
    main()
