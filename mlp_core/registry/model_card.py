"""A model card: one registered model described in Markdown (intended use, data,
settings, metrics on validation and test drawings, confusion matrices, lineage, history
and known limits), from what the registry recorded and the person's test drawings.

Its words are ``CARD`` (English, with {name} placeholders); a ``Words`` object says them
and formats numbers, so the page writes the card in its own language (its catalogues
hold these words as ``card.<key>``, written from here by `python build.py generate`).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any, Protocol

from ..data.sources import SOURCES, shares
from ..limits import GRID, NONE_LABEL
from .document import Entry, summary
from .history import HOW

#: The card's words, in English.
CARD: dict[str, str] = {
    "title": "Model card: {version}",
    "created": "Created {date}; {state}.",
    "production": "the production model",
    "not_production": "not in production",
    "tags": "Tags: {tags}.",
    "use": "Intended use",
    "use_text": "Recognizing one lowercase letter ({letters}) drawn on the {grid}x{grid} "
                "grid of the letter recognizer, in a browser, for learning and play.",
    "use_rejects": "It answers \"none of these\" when a drawing looks like none of its "
                   "letters.",
    "use_no_reject": "It cannot say \"none of these\": every drawing gets one of its "
                     "letters.",
    "not_for": "Not intended for other alphabets or letters, photographs or scans, "
               "handwriting at other resolutions, or any decision that matters.",
    "data": "Data",
    "data_drawings": "Drawings: {n} ({train} for training, {val} for validation), "
                     "{negatives} of them none of its letters.",
    "data_sources": "Where they come from: {sources}.",
    "source_synthetic": "generated from the letter templates",
    "source_fonts": "fonts (printed and handwriting-style faces)",
    "source_handwriting": "real handwriting (UNIPEN's training writers)",
    "data_synthetic": "Generated drawings: {augment} moved, resized or re-stroked; "
                      "{noise_min} to {noise_max} of pixels flipped.",
    "data_own": "The person's own drawings trained on: {n} (test drawings never are).",
    "data_letters": "Letters added by the person: {letters}.",
    "data_finetune": "Fine-tuned from its parent: at most {epochs} epochs at {scale} times "
                     "its learning rate, each of the person's drawings shown {repeat} times "
                     "per epoch among {replay} drawings made as its parent's were.",
    "settings": "Settings",
    "setting": "Setting",
    "value": "Value",
    "metrics": "Metrics",
    "handwriting": "Real handwriting, by {writers} writers it never saw (UNIPEN's "
                   "evaluation writers), {n} drawings of {letters} in both pen widths: "
                   "{right} read right and accepted, {rejected} rejected as \"none of "
                   "these\", {wrong} read wrong (top-1, ignoring rejection: {top1}).",
    "handwriting_detail": "By letter: {letters}. By pen: {pens}. Per writer: median "
                          "{median}, 10th percentile {p10}. Their other characters: "
                          "{others} of {others_n} rejected.",
    "pen_thin": "thin",
    "pen_thick": "thick",
    "handwriting_old": "Real handwriting: — (not measured: trained before the app "
                       "measured handwriting).",
    "handwriting_imported": "Real handwriting: — (imported: not measured).",
    "handwriting_no_letters": "Real handwriting: — (not measured: none of its letters is "
                              "in the handwriting).",
    "validation": "Validation (a held-out part of its own training drawings, {n} samples): "
                  "accuracy {accuracy}.",
    "validation_f1": "Validation (a held-out part of its own training drawings, {n} "
                     "samples): accuracy {accuracy}, macro F1 {f1}.",
    "letter": "Letter",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "examples": "Examples",
    "none": "none of these",
    "true_predicted": "true \\ predicted",
    "confusion_validation": "Confusion matrix, validation (rows: true letter):",
    "calibration": "Calibration: temperature {temperature}; expected calibration error "
                   "{before} before, {after} after.",
    "open_set": "Held-out pen-stroke drawings: {rejected} of {n_other} non-letters "
                "rejected, {accepted} of {n_letters} letters accepted and read correctly.",
    "on_test": "On the person's test drawings",
    "no_test": "No test drawings: mark some examples as test drawings (My data) to judge "
               "the model on real drawings.",
    "test_accuracy": "Accuracy {accuracy} ({correct} of {n}; 95% interval {low} to "
                     "{high}).",
    "confusion_test": "Confusion matrix, test drawings (rows: true letter):",
    "lineage": "Lineage",
    "no_lineage": "Not recorded: the model was made before lineage was kept.",
    "parent": "Parent: {parent}",
    "no_parent": "Parent: none (trained from scratch)",
    "trained": "Trained in {where} in {seconds} s with mlp_core {mlp_core}, NumPy {numpy}",
    "trained_pyodide": "Trained in {where} in {seconds} s with mlp_core {mlp_core}, NumPy "
                       "{numpy}, Pyodide {pyodide}",
    "in_browser": "the browser",
    "in_cpython": "CPython",
    "data_sha256": "Training data SHA-256: `{sha}`",
    "data_imported": "Imported from {file} ({estimator}; scikit-learn {sklearn}, skops "
                     "{skops}; file SHA-256 `{sha}`). Its training data is not known.",
    "imported_lineage": "Imported with mlp_core {mlp_core}: trained outside the app, with "
                        "no parent here",
    "settings_imported": "Only the layer sizes and the activation are the model's own; "
                         "it was trained outside the app, and the other settings are "
                         "defaults (fine-tuning uses them).",
    "use_elsewhere": "Use elsewhere",
    "onnx": "ONNX: {file}, opset {opset}. Input {input} (N = 1 for one drawing), the "
            "{grid}x{grid} grid row-major, 1 = ink, 0 = blank. Outputs: {outputs}. "
            "{preprocessing}",
    "onnx_centres": "Centring is inside the graph: give it the raw grid.",
    "onnx_plain": "The drawing goes to the network as it is.",
    "other_formats": "Also as {formats}: the page's Download, or `python -m mlp_core "
                     "registry export {version} --format FORMAT`.",
    "history": "Production history",
    "event": "{at}: {how} {to}",
    "event_from": "{at}: {how} {to} (was {from})",
    **{f"how_{kind}": words.card for kind, words in HOW.items()},
    "limits": "Known limits",
    "limit_validation": "Validation accuracy is measured on a held-out part of its own "
                        "training drawings, not on people's drawings; real handwriting and "
                        "the test drawings are the real-drawing figures.",
    "limit_few_tests": "Validation accuracy is measured on a held-out part of its own "
                       "training drawings, not on people's drawings; real handwriting and "
                       "the test drawings are the real-drawing figures, and {n} test "
                       "drawings give a wide interval.",
    "limit_cells": "A drawing is {cells} on/off cells: thickness, pressure and stroke order "
                   "are lost; letters that differ only in such detail cannot be told "
                   "apart.",
    "limit_centred": "Drawings are centred before reading, so position carries no "
                     "meaning.",
    "limit_placed": "Drawings are read where they are drawn: a letter far from where the "
                    "templates sit is harder for it.",
    "limit_confidence": "The confidence is calibrated on synthetic validation data; on "
                        "real drawings it can be over- or under-confident.",
}


class Words(Protocol):
    """Says the card's words (``CARD`` keys) and formats its numbers and dates."""

    def t(self, key: str, params: dict[str, Any]) -> str: ...

    def pct(self, p: float) -> str: ...

    def number(self, x: float, digits: int) -> str: ...

    def date(self, iso: str) -> str: ...


class English:
    """``CARD`` as it is, numbers as Python writes them."""

    def t(self, key: str, params: dict[str, Any]) -> str:
        return CARD[key].format(**params)

    def pct(self, p: float) -> str:
        return f"{100 * p:.1f}%"

    def number(self, x: float, digits: int) -> str:
        return f"{x:.{digits}f}"

    def date(self, iso: str) -> str:
        return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


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


class Say:
    """The card's words in its language: ``say(key, **params)`` is a sentence; ``pct``,
    ``number`` and ``date`` format figures ("—" for a share not known), ``name`` a class
    label ("none of these" for the none class); ``per_class`` and ``confusion`` are
    tables."""

    def __init__(self, words: Words) -> None:
        self.words = words

    def __call__(self, key: str, **params: Any) -> str:
        return self.words.t(key, params)

    def pct(self, p: float | None) -> str:
        return "—" if p is None else self.words.pct(p)

    def number(self, x: float, digits: int) -> str:
        return self.words.number(x, digits)

    def date(self, iso: str) -> str:
        return self.words.date(iso)

    def name(self, label: str) -> str:
        return self("none") if label == NONE_LABEL else label

    def per_class(self, per: dict[str, dict[str, Any]]) -> list[str]:
        pct = self.pct
        return _table([self(k) for k in ("letter", "precision", "recall", "f1", "examples")],
                      [[self.name(k), pct(m["precision"]), pct(m["recall"]), pct(m["f1"]),
                        m["support"]] for k, m in per.items()])

    def confusion(self, labels: list[str], matrix: list[list[int]]) -> list[str]:
        return _table([self("true_predicted"), *map(self.name, labels)],
                      [[self.name(t), *row] for t, row in zip(labels, matrix, strict=True)])


def _data_lines(d: dict[str, Any], say: Say) -> list[str]:
    """The Data section's lines for a model trained here (its ``dataset_info`` ``d``):
    how many drawings, every source it drew them from with its share (records from
    before a source existed have none of it), and how the generated ones were made."""
    pct = say.pct
    numbers = {k: v for k, v in d.items() if isinstance(v, int | float)}
    parts = {k: v for k, v in shares(numbers).items() if v > 0}
    lines = [say("data_drawings", n=d["n_samples"], train=d.get("train_samples"),
                 val=d.get("val_samples"), negatives=pct(d.get("negatives", 0))),
             say("data_sources", sources=", ".join(
                 f"{pct(parts[s.name])} {say(f'source_{s.name}')}" for s in SOURCES
                 if s.name in parts))]
    if any(s.rest and s.name in parts for s in SOURCES):  # the generated drawings
        lines.append(say("data_synthetic", augment=pct(d.get("augment", 0)),
                         noise_min=pct(d.get("noise_min")), noise_max=pct(d.get("noise_max"))))
    return lines


def _handwriting_lines(m: dict[str, Any], d: dict[str, Any], say: Say) -> list[str]:
    """The Metrics section's lead: how the model reads real handwriting of writers it
    never saw (``metrics["handwriting"]``), or "—" and why not."""
    pct = say.pct
    h = m.get("handwriting")
    if d.get("source") == "imported":
        return [say("handwriting_imported"), ""]
    if not isinstance(h, dict):
        return [say("handwriting_no_letters" if "handwriting" in m else "handwriting_old"), ""]
    by_letter, by_pen = h.get("by_letter") or {}, h.get("by_pen") or {}
    pen = {p: say(f"pen_{p}") if f"pen_{p}" in CARD else p for p in by_pen}
    return [say("handwriting", writers=h.get("writers"), n=h.get("n"),
                letters=", ".join(by_letter), right=pct(h.get("right")),
                rejected=pct(h.get("rejected")), wrong=pct(h.get("wrong")),
                top1=pct(h.get("top1"))),
            say("handwriting_detail",
                letters=", ".join(f"{c} {pct(v)}" for c, v in by_letter.items()),
                pens=", ".join(f"{pen[p]} {pct(v)}" for p, v in by_pen.items()),
                median=pct(h.get("writer_median")), p10=pct(h.get("writer_p10")),
                others=pct(h.get("others_rejected")), others_n=h.get("others_n")), ""]


# --- the card's sections, in order; ``s`` is the entry's summary (``document.summary``) --


def _title(s: dict[str, Any], say: Say) -> list[str]:
    """The title, when it was made, whether it is production, its tags and notes."""
    lines = [f"# {say('title', version=s['version'])}", "",
             say("created", date=say.date(s["created_at"]),
                 state=say("production" if s["is_production"] else "not_production"))
             + (" " + say("tags", tags=", ".join(s["tags"])) if s["tags"] else ""), ""]
    if s["notes"]:
        lines += ["> " + line for line in s["notes"].splitlines()] + [""]
    return lines


def _intended_use(s: dict[str, Any], say: Say) -> list[str]:
    """What the model is for (its letters, whether it can say "none of these") and not."""
    return [f"## {say('use')}", "",
            say("use_text", letters=", ".join(s["classes"]), grid=GRID) + " "
            + say("use_rejects" if s["can_reject"] else "use_no_reject"), "",
            say("not_for"), ""]


def _data(s: dict[str, Any], say: Say) -> list[str]:
    """What it was trained on: the drawings and their sources, or the file it was
    imported from; the person's drawings and letters; how it was fine-tuned."""
    d = s["dataset_info"]
    lines = [f"## {say('data')}", ""]
    if d.get("n_samples"):
        lines += ["- " + line for line in _data_lines(d, say)]
    if d.get("source") == "imported":
        lines.append("- " + say("data_imported", file=d.get("file"),
                                estimator=d.get("estimator"), sklearn=d.get("sklearn_version"),
                                skops=d.get("skops_version"), sha=d.get("sha256")))
    lines.append("- " + say("data_own", n=d.get("user_samples", 0)))
    if d.get("templates"):
        lines.append("- " + say("data_letters", letters=", ".join(d["templates"])))
    f = d.get("finetune")
    if isinstance(f, dict) and isinstance(f.get("learning_rate_scale", 1), int | float):
        lines.append("- " + say("data_finetune", epochs=f.get("epochs"), replay=f.get("replay"),
                                repeat=f.get("repeat"),
                                scale=say.number(f.get("learning_rate_scale", 1), 2)))
    return [*lines, ""]


def _settings(s: dict[str, Any], say: Say) -> list[str]:
    """Its hyperparameters, a table (and, imported, which of them are its own)."""
    imported = s["dataset_info"].get("source") == "imported"
    return [f"## {say('settings')}", "",
            *_table([say("setting"), say("value")],
                    [[k, v] for k, v in s["hyperparameters"].items()]),
            *([say("settings_imported"), ""] if imported else [])]


def _metrics(s: dict[str, Any], say: Say) -> list[str]:
    """Real handwriting, then validation: accuracy, per class, confusion matrix,
    calibration and the held-out pen-stroke drawings."""
    m, d, pct = s["metrics"], s["dataset_info"], say.pct
    accuracy = {"n": m.get("total", d.get("val_samples")), "accuracy": pct(s["accuracy"])}
    lines = [f"## {say('metrics')}", "", *_handwriting_lines(m, d, say),
             say("validation_f1", **accuracy, f1=pct(m["macro_f1"])) if "macro_f1" in m
             else say("validation", **accuracy), ""]
    if "per_class" in m:
        lines += say.per_class(m["per_class"])
    if "confusion_matrix" in m:
        lines += [say("confusion_validation"), "",
                  *say.confusion(m["labels"], m["confusion_matrix"])]
    if "calibration" in m:
        c = m["calibration"]
        lines += [say("calibration", temperature=say.number(c["temperature"], 3),
                      before=say.number(c["ece_before"], 4),
                      after=say.number(c["ece_after"], 4)), ""]
    if isinstance(m.get("open_set"), dict) and m["open_set"].get("can_reject"):
        o = m["open_set"]
        lines += [say("open_set", rejected=pct(o["reject_rate"]), n_other=o["n_other"],
                      accepted=pct(o["accept_rate"]), n_letters=o["n_letters"]), ""]
    return lines


def _on_test(test: dict[str, Any] | None, say: Say) -> list[str]:
    """Its figures on the person's test drawings (``evaluation.evaluate_drawings``)."""
    lines = [f"### {say('on_test')}", ""]
    if not test or not test["n"]:
        return [*lines, say("no_test"), ""]
    correct = round(test["accuracy"] * test["n"])
    low, high = wilson(correct, test["n"])
    return [*lines, say("test_accuracy", accuracy=say.pct(test["accuracy"]), correct=correct,
                        n=test["n"], low=say.pct(low), high=say.pct(high)), "",
            *say.per_class(test["per_class"]), say("confusion_test"), "",
            *say.confusion(test["labels"], test["confusion"])]


def _lineage(s: dict[str, Any], say: Say) -> list[str]:
    """Where it came from: its parent, where and with what it was trained, its data's
    hash (or that it was imported, or made before lineage was kept)."""
    lines, lin = [f"## {say('lineage')}", ""], s["lineage"]
    if lin is None:
        return [*lines, say("no_lineage"), ""]
    if s["dataset_info"].get("source") == "imported":
        return [*lines, "- " + say("imported_lineage", mlp_core=lin["mlp_core"]), ""]
    trained = {"where": say(f"in_{lin['trained_in']}") if lin["trained_in"] else "—",
               "seconds": lin["train_seconds"], "mlp_core": lin["mlp_core"],
               "numpy": lin["numpy"], "pyodide": lin["pyodide"]}
    return [*lines, "- " + (say("parent", parent=lin["parent"]) if lin["parent"]
                            else say("no_parent")),
            "- " + say("trained_pyodide" if lin["pyodide"] else "trained", **trained),
            "- " + say("data_sha256", sha=lin["data_sha256"]), ""]


def _use_elsewhere(s: dict[str, Any], exports: dict[str, Any] | None, say: Say) -> list[str]:
    """How it leaves the app (``export.card_facts``): the ONNX file's inputs and outputs,
    and the other formats; nothing without ``exports``."""
    if not exports:
        return []
    onnx = exports["onnx"]
    return [f"## {say('use_elsewhere')}", "",
            # names and shapes are code, the same in every language
            "- " + say("onnx", file=f"`{onnx['file']}`", opset=onnx["opset"],
                       input=f"`{onnx['input']}`: float32 [N, {onnx['pixels']}]",
                       grid=GRID, outputs=f"`probabilities` [N, {len(onnx['classes'])}] "
                       f"({', '.join(onnx['classes'])}), `letter`, `recognized`",
                       preprocessing=say("onnx_centres" if onnx["centres"] else "onnx_plain")),
            "- " + say("other_formats", formats=", ".join(exports["others"]),
                       version=s["version"]), ""]


def _history(s: dict[str, Any], history: list[dict[str, Any]], say: Say) -> list[str]:
    """The production history's events that involve this model; nothing without any."""
    mine = [e for e in history if s["version"] in (e["from"], e["to"])]
    if not mine:
        return []
    return [f"## {say('history')}", "",
            *("- " + say("event_from" if e["from"] else "event", at=say.date(e["at"]),
                         how=say(f"how_{e['how']}") if e["how"] in HOW else e["how"],
                         to=e["to"], **{"from": e["from"]})
              + (f": {e['note']}" if e["note"] else "") for e in mine), ""]


def _limits(test: dict[str, Any] | None, centred: bool, say: Say) -> list[str]:
    """What its figures do not say (a wide interval below 100 test drawings) and what
    the grid and centring (``centred``) lose."""
    n_test = test["n"] if test else 0
    return [f"## {say('limits')}", "",
            "- " + (say("limit_few_tests", n=n_test) if 0 < n_test < 100
                    else say("limit_validation")),
            "- " + say("limit_cells", cells=GRID * GRID),
            "- " + say("limit_centred" if centred else "limit_placed"),
            "- " + say("limit_confidence"), ""]


def model_card(entry: Entry, test: dict[str, Any] | None = None,
               history: list[dict[str, Any]] = (), words: Words | None = None,
               exports: dict[str, Any] | None = None) -> str:
    """Markdown text describing registry ``entry``; ``test`` is its result on the test
    drawings (``evaluation.evaluate_drawings``), ``history`` the production history,
    ``words`` the language it is written in (English by default), ``exports`` how it
    leaves the app (``export.card_facts``)."""
    say, s = Say(words or English()), summary(entry)
    centred = entry["model"].get("preprocessing") == "center"
    return "\n".join([*_title(s, say), *_intended_use(s, say), *_data(s, say),
                      *_settings(s, say), *_metrics(s, say), *_on_test(test, say),
                      *_lineage(s, say), *_use_elsewhere(s, exports, say),
                      *_history(s, history, say), *_limits(test, centred, say)])
