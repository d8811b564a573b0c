"""How far 5 drawings go when a person teaches a new letter (issue 34, item 3).

    .venv/bin/python bench/new_letter.py [--letters a e x] [--writers 1] [--seed 34]

For each letter, one *training*-role UNIPEN writer who wrote it at least 6 times is drawn
at random (seeded per letter: ``default_rng([seed, ord(letter)])`` picks among the eligible
writers in index order; ``--writers N`` draws N of them, one row each). Their drawings of
the letter, in a seeded order, give the template (the first, thin pen, drawn as the
evaluation draws: ``exact_styles``) and the 5 training examples (the next five, pens
alternating thin, thick, thin, …). Two ways to learn it, both through the Python API:

- ``finetune``: the default production model (``store.DEFAULT_BUNDLE``) fine-tuned with
  the template and the examples (``finetune_steps``, default settings), as
  ``python -m mlp_core finetune --samples F --templates F --promote`` does;
- ``train``: a new model of the default preset (``settings.DEFAULT_PRESET``) trained with
  them plus the built-in data (``train_model``), as ``train --templates F --samples F``.

Each result is registered and promoted in an in-memory copy of the default bundle and read
back with ``registry.load_recognizer``. ``handwriting_report`` then measures it on the
*evaluation*-role writers, both pens: the new letter right and accepted, b, d and f right
and accepted, and the other characters rejected (those named like none of its letters).
The seconds are those of training alone. Prints a Markdown table and writes
``bench/new_letter.json``.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from mlp_core import registry, settings  # noqa: E402
from mlp_core.data.handwriting import (  # noqa: E402
    PENS,
    Handwriting,
    exact_styles,
    handwriting_report,
    shipped,
)
from mlp_core.model.recognizer import Recognizer  # noqa: E402
from mlp_core.registry import store  # noqa: E402
from mlp_core.training.finetune import finetune_steps  # noqa: E402
from mlp_core.training.train import TrainResult, train_model  # noqa: E402

LETTERS = ("a", "e", "x")
KNOWN = ("b", "d", "f")
N_EXAMPLES = 5
SEED = 34
OUT = HERE / "new_letter.json"
Sample = dict[str, Any]


def eligible_writers(hw: Handwriting, letter: str) -> list[int]:
    """Training-role writers (indices) with at least ``N_EXAMPLES + 1`` drawings of
    ``letter``, in index order."""
    rows = hw.rows("train", [letter])
    ids, counts = np.unique(hw.writer[rows], return_counts=True)
    return [int(w) for w, c in zip(ids, counts, strict=True) if c >= N_EXAMPLES + 1]


def teaching(hw: Handwriting, letter: str, writer: int,
             rng: np.random.Generator) -> tuple[list[list[int]], list[Sample]]:
    """The template (10 rows of 10, thin pen) and ``N_EXAMPLES`` training examples (pens
    alternating thin, thick) from ``writer``'s drawings of ``letter``, in a seeded order."""
    rows = hw.rows("train", [letter])
    rows = rng.permutation(rows[hw.writer[rows] == writer])[:N_EXAMPLES + 1]
    template = hw.draw(rows[:1], exact_styles(1, PENS["thin"]))[0]
    pens = [PENS["thin"] if i % 2 == 0 else PENS["thick"] for i in range(N_EXAMPLES)]
    examples = [hw.draw(rows[1 + i:2 + i], exact_styles(1, pen))[0]
                for i, pen in enumerate(pens)]
    samples = [{"label": letter, "pattern": x.astype(int).tolist(), "split": "train"}
               for x in examples]
    return template.astype(int).reshape(10, 10).tolist(), samples


def bits(pattern: list[Any]) -> str:
    """A pattern (10 rows of 10, or 100 cells) as the 100 characters ``predict`` reads."""
    return "".join(str(v) for v in np.ravel(pattern))


def default_doc() -> registry.Document:
    """A fresh in-memory copy of the shipped default registry."""
    return copy.deepcopy(store.read_registry(store.DEFAULT_BUNDLE))


def finetune(letter: str, template: list[list[int]], samples: list[Sample]) -> TrainResult:
    """The default production model fine-tuned with the letter's template and examples."""
    steps = finetune_steps(registry.get_production(default_doc()),
                           templates={letter: template}, samples=samples)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def train(letter: str, template: list[list[int]], samples: list[Sample]) -> TrainResult:
    """A new model of the default preset, trained with the letter plus the built-in data."""
    config = settings.PRESETS[settings.DEFAULT_PRESET].config()
    return train_model(config["hyperparameters"], config["data"],
                       templates={letter: template}, samples=samples)


METHODS: dict[str, Callable[[str, list[list[int]], list[Sample]], TrainResult]] = {
    "finetune": finetune, "train": train}


def promoted(result: TrainResult) -> Recognizer:
    """The result registered and promoted in a copy of the default bundle, read back as
    ``predict`` reads production."""
    doc, _ = registry.register(default_doc(), result.model_dict(), accuracy=result.accuracy,
                               metrics=result.metrics, dataset_info=result.dataset_info,
                               lineage=result.lineage, promote=True)
    return registry.load_recognizer(registry.get_production(doc))


def figures(recognizer: Recognizer, letter: str | None) -> dict[str, Any]:
    """On the evaluation writers: ``letter`` (None: no new letter) right and accepted,
    overall and per pen; b, d and f right and accepted; other characters rejected."""
    report = handwriting_report(recognizer, "evaluation")
    by_letter = report["letters"]["by_letter"]
    known = [by_letter[c] for c in KNOWN]
    n_known = sum(k["n"] for k in known)
    out: dict[str, Any] = {
        "known": {"n": n_known, "right": sum(k["right"] * k["n"] for k in known) / n_known,
                  "by_letter": {c: by_letter[c]["right"] for c in KNOWN}},
        "others": {"n": report["others"]["n"], "rejected": report["others"]["rejected"]},
        "writers": report["writers"]}
    if letter is not None:
        hw = shipped()
        rows = hw.rows("evaluation", [letter])
        by_pen = {}
        for name, pen in PENS.items():
            read, accepted, _ = recognizer.predict_many(hw.draw(rows, exact_styles(len(rows), pen)))
            by_pen[name] = float(np.mean(accepted & (read == letter)))
        out["new"] = {**by_letter[letter], "writers": len(set(hw.writer[rows].tolist())),
                      "by_pen": by_pen}
    return out


def measure(letters: Sequence[str] = LETTERS, writers: int = 1, seed: int = SEED,
            methods: Sequence[str] = tuple(METHODS), log: Callable[[str], None] = print
            ) -> dict[str, Any]:
    """Every letter, writer and method; the default model's figures as ``before``."""
    hw = shipped()
    before = figures(registry.load_recognizer(registry.get_production(default_doc())), None)
    runs = []
    for letter in letters:
        rng = np.random.default_rng([seed, ord(letter)])
        pool = eligible_writers(hw, letter)
        for writer in rng.choice(pool, size=min(writers, len(pool)), replace=False):
            template, samples = teaching(hw, letter, int(writer), rng)
            for method in methods:
                log(f"{letter}: {method} with writer {hw.writers[writer]}…")
                start = time.perf_counter()
                result = METHODS[method](letter, template, samples)
                seconds = time.perf_counter() - start
                runs.append({"letter": letter, "writer": hw.writers[writer],
                             "eligible_writers": len(pool), "method": method,
                             "seconds": round(seconds, 2),
                             "epochs": len(result.model.history_["train_loss"]),
                             **figures(promoted(result), letter),
                             "template": bits(template),
                             "samples": [bits(x["pattern"]) for x in samples]})
    return {"seed": seed, "n_examples": N_EXAMPLES, "preset": settings.DEFAULT_PRESET,
            "preset_config": settings.PRESETS[settings.DEFAULT_PRESET].config(),
            "default_model": registry.get_production(default_doc())["version"],
            "before": before, "runs": runs,
            "machine": {"platform": platform.platform(), "python": platform.python_version()}}


def markdown(results: dict[str, Any]) -> str:
    """The runs as a Markdown table, the default model's own figures first."""
    def pct(v: float | None) -> str:
        return "—" if v is None else f"{100 * v:.0f}%"

    b = results["before"]
    lines = [f"Default model {results['default_model']} before: b, d and f right and "
             f"accepted {pct(b['known']['right'])}, other characters rejected "
             f"{pct(b['others']['rejected'])} (evaluation writers, both pens).", "",
             "| new letter | writer | method | new letter right and accepted (thin / thick) "
             "| b, d and f right and accepted | other characters rejected | seconds |",
             "|---|---|---|---|---|---|---|"]
    for r in results["runs"]:
        new = r["new"]
        lines.append(
            f"| {r['letter']} | {r['writer']} | {r['method']} | {pct(new['right'])} of "
            f"{new['n']} ({pct(new['by_pen']['thin'])} / {pct(new['by_pen']['thick'])}) | "
            f"{pct(r['known']['right'])} | {pct(r['others']['rejected'])} | "
            f"{r['seconds']:.1f} |")
    return "\n".join(lines)


def save(results: dict[str, Any], path: Path = OUT) -> None:
    """Write ``measure``'s results as JSON."""
    path.write_text(json.dumps(results, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--letters", nargs="+", default=list(LETTERS))
    ap.add_argument("--writers", type=int, default=1,
                    help="training writers per letter, one row each (default 1)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--methods", nargs="+", choices=list(METHODS), default=list(METHODS))
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args()
    results = measure(args.letters, args.writers, args.seed, args.methods,
                      log=lambda s: print(s, file=sys.stderr, flush=True))
    save(results, args.output)
    print(markdown(results))


if __name__ == "__main__":
    main()
