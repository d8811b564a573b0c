"""A model card: one registered model described in Markdown (intended use, data,
settings, metrics on validation and test drawings, confusion matrices, lineage, history
and known limits), from what the registry recorded and the person's test drawings."""

from __future__ import annotations

import math
from typing import Any

from .data import NONE_LABEL
from .registry import Entry, summary

_HOW = {"promote": "promoted", "rollback": "rolled back to", "import": "imported",
        "reset": "reset to", "repair": "repaired to"}


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{100 * p:.1f}%"


def _name(label: str) -> str:
    return "none of these" if label == NONE_LABEL else label


def wilson(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion ``correct`` / ``n``."""
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _per_class(per_class: dict[str, dict[str, Any]]) -> list[str]:
    return _table(["Letter", "Precision", "Recall", "F1", "Examples"],
                  [[_name(k), _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]),
                    m["support"]] for k, m in per_class.items()])


def _confusion(labels: list[str], matrix: list[list[int]]) -> list[str]:
    return _table(["true \\ predicted", *map(_name, labels)],
                  [[_name(t), *row] for t, row in zip(labels, matrix, strict=True)])


def model_card(entry: Entry, test: dict[str, Any] | None = None,
               history: list[dict[str, Any]] = ()) -> str:
    """Markdown text describing registry ``entry``; ``test`` is its result on the test
    drawings (``evaluation.evaluate_drawings``), ``history`` the production history."""
    s = summary(entry)
    m, d, hp = entry["metrics"], entry["dataset_info"], entry["hyperparameters"]
    letters = ", ".join(s["classes"])
    lines = [f"# Model card: {s['version']}", "",
             f"Created {s['created_at']}; "
             f"{'the production model' if s['is_production'] else 'not in production'}."
             + (f" Tags: {', '.join(s['tags'])}." if s["tags"] else ""), ""]
    if s["notes"]:
        lines += ["> " + line for line in s["notes"].splitlines()] + [""]
    lines += ["## Intended use", "",
              f"Recognizing one lowercase letter ({letters}) drawn on the 10x10 grid of the "
              "letter recognizer, in a browser, for learning and play."
              + (" It answers \"none of these\" when a drawing looks like none of its "
                 "letters." if s["can_reject"] else
                 " It cannot say \"none of these\": every drawing gets one of its letters."),
              "", "Not intended for other alphabets or letters, photographs or scans, "
              "handwriting at other resolutions, or any decision that matters.", "",
              "## Data", ""]
    if d.get("n_samples"):
        lines.append(f"- {d['n_samples']} synthetic samples from the letter templates "
                     f"({d.get('train_samples')} for training, {d.get('val_samples')} for "
                     "validation): "
                     f"{_pct(d.get('augment', 0))} moved, resized or re-stroked; "
                     f"{_pct(d.get('noise_min'))} to {_pct(d.get('noise_max'))} of pixels "
                     f"flipped; {_pct(d.get('negatives', 0))} non-letters.")
    lines.append(f"- {d.get('user_samples', 0)} of the person's own drawings trained on "
                 "(test drawings never are).")
    if d.get("templates"):
        lines.append(f"- Letters added by the person: {', '.join(d['templates'])}.")
    if d.get("finetune"):
        lines.append(f"- Fine-tuned: {d['finetune']}.")
    lines += ["", "## Settings", "",
              *_table(["Setting", "Value"], [[k, v] for k, v in hp.items()]),
              "## Metrics", "",
              f"Validation (synthetic, {m.get('total', d.get('val_samples'))} samples): "
              f"accuracy {_pct(s['accuracy'])}"
              + (f", macro F1 {_pct(m['macro_f1'])}" if "macro_f1" in m else "") + ".", ""]
    if "per_class" in m:
        lines += _per_class(m["per_class"])
    if "confusion_matrix" in m:
        lines += ["Confusion matrix, validation (rows: true letter):", "",
                  *_confusion(m["labels"], m["confusion_matrix"])]
    if "calibration" in m:
        c = m["calibration"]
        lines += [f"Calibration: temperature {c['temperature']:.3f}; expected calibration "
                  f"error {c['ece_before']:.4f} before, {c['ece_after']:.4f} after.", ""]
    if isinstance(m.get("open_set"), dict) and m["open_set"].get("can_reject"):
        o = m["open_set"]
        lines += [f"Held-out pen-stroke drawings: {_pct(o['reject_rate'])} of "
                  f"{o['n_other']} non-letters rejected, {_pct(o['accept_rate'])} of "
                  f"{o['n_letters']} letters accepted and read correctly.", ""]
    lines += ["### On the person's test drawings", ""]
    if not test or not test["n"]:
        lines += ["No test drawings: mark some examples as test drawings (My data) to "
                  "judge the model on real drawings.", ""]
    else:
        correct = round(test["accuracy"] * test["n"])
        low, high = wilson(correct, test["n"])
        lines += [f"Accuracy {_pct(test['accuracy'])} ({correct} of {test['n']}; 95% "
                  f"interval {_pct(low)} to {_pct(high)}).", "",
                  *_per_class(test["per_class"]),
                  "Confusion matrix, test drawings (rows: true letter):", "",
                  *_confusion(test["labels"], test["confusion"])]
    lines += ["## Lineage", ""]
    lin = s["lineage"]
    if lin is None:
        lines += ["Not recorded: the model was made before lineage was kept.", ""]
    else:
        lines += [f"- Parent: {lin['parent'] or 'none (trained from scratch)'}",
                  f"- Trained in {lin['trained_in']} in {lin['train_seconds']} s with "
                  f"mlp_core {lin['mlp_core']}, NumPy {lin['numpy']}"
                  + (f", Pyodide {lin['pyodide']}" if lin["pyodide"] else ""),
                  f"- Training data SHA-256: `{lin['data_sha256']}`", ""]
    mine = [e for e in history if s["version"] in (e["from"], e["to"])]
    if mine:
        lines += ["## Production history", ""]
        lines += [f"- {e['at']}: {_HOW.get(e['how'], e['how'])} {e['to']}"
                  + (f" (was {e['from']})" if e["from"] else "")
                  + (f": {e['note']}" if e["note"] else "") for e in mine]
        lines.append("")
    n_test = test["n"] if test else 0
    lines += ["## Known limits", "",
              "- Validation accuracy is measured on synthetic, noised templates, not on "
              "real drawings; the test drawings are the real-drawing figure"
              + (f", and {n_test} of them give a wide interval." if 0 < n_test < 100
                 else "."),
              "- A drawing is 100 on/off cells: thickness, pressure and stroke order are "
              "lost; letters that differ only in such detail cannot be told apart.",
              "- Drawings are centred before reading, so position carries no meaning."
              if entry["model"].get("preprocessing") == "center" else
              "- Drawings are read where they are drawn: a letter far from where the "
              "templates sit is harder for it.",
              "- The confidence is calibrated on synthetic validation data; on real "
              "drawings it can be over- or under-confident.", ""]
    return "\n".join(lines)
