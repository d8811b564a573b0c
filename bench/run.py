"""`make bench`: measure, then write bench/results.json, bench/report.md and plots (and
bench/new_letter.json, as bench/new_letter.py does).

    .venv/bin/python bench/run.py [--runs 3] [--startup-runs 5] [--calls 1000] [--seeds 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests"), str(HERE)]

import browser_bench  # noqa: E402
import cpython_bench as cpython  # noqa: E402
import new_letter  # noqa: E402
from browser import chromium_path  # noqa: E402  (tests/browser.py)

from mlp_core import registry  # noqa: E402
from mlp_core.data import handwriting  # noqa: E402
from mlp_core.data.fonts import font_report, report_markdown  # noqa: E402
from mlp_core.registry import store  # noqa: E402


def dist_size(dist: Path) -> dict:
    """The site's size: raw, gzip-compressed (what a browser downloads from GitHub Pages,
    which compresses on the fly), and per file: ``files_bytes`` {path: [raw, gzip]}."""
    files = sorted(p for p in dist.rglob("*") if p.is_file())
    per = {p.relative_to(dist).as_posix(): [p.stat().st_size,
                                             len(gzip.compress(p.read_bytes(), 9))]
           for p in files}
    return {"bytes": sum(b for b, _ in per.values()),
            "gzip_bytes": sum(g for _, g in per.values()),
            "files": len(files), "files_bytes": per}


def machine() -> dict:
    import numpy
    import sklearn

    chromium = subprocess.run([chromium_path(), "--version"], capture_output=True,
                              text=True).stdout.strip()
    return {"platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "numpy": numpy.__version__,
            "sklearn": sklearn.__version__, "chromium": chromium,
            "pyodide": "0.27.7 (numpy 2.0.2, no BLAS)"}


def _ratio(section: str, a: str, b: str):
    return lambda r: r[section][a] / r[section][b]


def _min_accuracy(upto: float):
    return lambda r: min(v for k, v in r["cpython"]["accuracy_by_noise"][
        "with_rejection"].items() if float(k) <= upto)


def _at_03(r: dict) -> float:
    return r["cpython"]["accuracy_by_noise"]["with_rejection"]["0.3"]


def _handwriting(*path: str):
    """A figure of the default model's handwriting report (evaluation writers)."""
    def value(r: dict) -> float:
        v = r["handwriting"]["default"]
        for key in path:
            v = v[key]
        return v
    return value


def _least_rejected_other(r: dict) -> float:
    """The lowest share rejected of any other character with at least 10 drawings."""
    return min(c["rejected"] for c in
               r["handwriting"]["default"]["others"]["by_character"].values() if c["n"] >= 10)


def _accuracy_z(r: dict) -> float:
    d = r["cpython"]["accuracy_difference"]
    return d["mean"] / d["standard_error"]


# (what, measured value, is it met?)
TARGETS = [
    ("CPython fit time <= scikit-learn's (ratio)",
     _ratio("cpython", "fit_seconds", "sklearn_fit_seconds"), lambda v: v <= 1.0),
    ("at equal or better accuracy: mean difference over seeds in standard errors "
     "(equal: >= -2)", _accuracy_z, lambda v: v >= -2.0),
    ("bytes fetched before the first prediction is possible, first visit, gzip as GitHub "
     "Pages sends them <= 6.8 MB (first_visit_bytes_before_ready, MB)",
     lambda r: r["browser"]["first_visit_bytes_before_ready"] / 1e6, lambda v: v <= 6.8),
    ("first visit at 5 Mbit/s <= 1.05 x the bare page's (first_visit_5mbps)",
     _ratio("browser", "first_visit_5mbps_ms", "first_visit_bare_5mbps_ms"),
     lambda v: v <= 1.05),
    ("ready_cold <= 1.0 x bare_ready_cold",
     _ratio("browser", "ready_cold_ms", "bare_ready_cold_ms"), lambda v: v <= 1.0),
    ("ready_warm <= 0.45 x bare_ready_warm",
     _ratio("browser", "ready_warm_ms", "bare_ready_warm_ms"), lambda v: v <= 0.45),
    ("shadow mode adds no visible delay: predict_p50 with a shadow <= 1.25 x without",
     _ratio("browser", "predict_shadow_on_p50_ms", "predict_shadow_off_p50_ms"),
     lambda v: v <= 1.25),
    ("page training of the default preset <= 10 s on this machine, in a settled page "
     "(train_default_preset_seconds, median)",
     lambda r: r["browser"]["train_default_preset_seconds"], lambda v: v <= 10.0),
    ("... and <= 2.2 x the same recipe on CPython (data, fit and evaluation), same run",
     _ratio("browser", "train_default_preset_seconds", "cpython_train_seconds"),
     lambda v: v <= 2.2),
    ("page training of the default preset <= 1.2 x the 1.0 recipe (preset fonts), same run "
     "(ratio of medians)", lambda r: r["browser"]["train_default_over_fonts"],
     lambda v: v <= 1.2),
    ("browser fine-tuning on 50 examples <= 2 s, in a settled page (finetune_seconds)",
     lambda r: r["browser"]["finetune_seconds"], lambda v: v <= 2.0),
    ("with rejection counted as an error: accuracy >= 99% at every flip rate up to 0.2 "
     "(lowest)", _min_accuracy(0.2), lambda v: v >= 0.99),
    ("... and >= 95% at flip rate 0.3", _at_03, lambda v: v >= 0.95),
    ("held-out non-letters rejected >= 90% (reject_rate)",
     lambda r: r["cpython"]["reject_rate"], lambda v: v >= 0.90),
    ("held-out b/d/f accepted and correct >= 96% (accept_rate)",
     lambda r: r["cpython"]["accept_rate"], lambda v: v >= 0.96),
    # Issue 34's targets, judged on hidden writers; here measured on the pack's
    # evaluation writers (reported, never used to choose anything), both pens.
    ("handwriting, evaluation writers: b/d/f right and accepted >= 92% ...",
     _handwriting("letters", "all", "right"), lambda v: v >= 0.92),
    ("... while other characters are rejected >= 92% (both at once: same model, same "
     "margins)", _handwriting("others", "rejected"), lambda v: v >= 0.92),
    ("handwriting, evaluation writers: b/d/f top-1, ignoring rejection, >= 96%",
     _handwriting("letters", "all", "top1"), lambda v: v >= 0.96),
    ("handwriting, evaluation writers with >= 4 letters: 10th percentile writer's right "
     "and accepted >= 75%", _handwriting("writers", "p10"), lambda v: v >= 0.75),
    ("handwriting, evaluation writers: every other character with >= 10 drawings "
     "rejected >= 70% (least rejected)", _least_rejected_other, lambda v: v >= 0.70),
]


def plots(results: dict) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, noise in results["cpython"]["accuracy_by_noise"].items():
        ax.plot([float(k) for k in noise], [v * 100 for v in noise.values()], "o-",
                label=name.replace("_", " "))
    ax.axhline(99, color="grey", lw=0.8, ls="--")
    ax.legend()
    ax.set(xlabel="pixel-flip rate", ylabel="accuracy (%)", title="Default model vs noise")
    fig.tight_layout()
    fig.savefig(HERE / "accuracy_vs_noise.svg")
    made.append("accuracy_vs_noise.svg")

    curves = results["cpython"]["loss_curves"]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, label=name)
    ax.set(xlabel="epoch", ylabel="training loss", yscale="log",
           title="Same data, architecture, optimizer")
    ax.legend()
    fig.tight_layout()
    fig.savefig(HERE / "loss_curves.svg")
    made.append("loss_curves.svg")

    s = results["browser"]["samples"]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    top = max(1.0, sorted(s["predict_ms"])[int(0.99 * len(s["predict_ms"]))])
    bins = [i * top / 40 for i in range(41)]
    ax.hist([min(v, top) for v in s["echo_ms"]], bins=bins, alpha=0.6, label="echo")
    ax.hist([min(v, top) for v in s["predict_ms"]], bins=bins, alpha=0.6, label="predict")
    ax.set(xlabel="round trip (ms, clipped at p99)", ylabel="calls",
           title="Page → worker → Python → page")
    ax.legend()
    fig.tight_layout()
    fig.savefig(HERE / "latency_histogram.svg")
    made.append("latency_histogram.svg")
    plt.close("all")
    return made


def first_visit_lines(b: dict) -> list[str]:
    """The report's rows for ``browser_bench.first_visits``."""
    return [
        f"| first visit, gzip as GitHub Pages sends it, 20 Mbit/s 40 ms / 5 Mbit/s 70 ms: "
        f"this app / the bare page | {b['first_visit_20mbps_ms'] / 1000:.1f} s / "
        f"{b['first_visit_5mbps_ms'] / 1000:.1f} s; {b['first_visit_bare_20mbps_ms'] / 1000:.1f}"
        f" s / {b['first_visit_bare_5mbps_ms'] / 1000:.1f} s |",
        f"| first visit's bytes (gzip as sent), until a first prediction is possible / after, "
        f"until idle and offline-ready | {b['first_visit_bytes_before_ready'] / 1e6:.3f} MB / "
        f"{b['first_visit_bytes_after_ready'] / 1e6:.3f} MB |",
    ]


def report(results: dict, figures: list[str]) -> str:
    c, b, d = results["cpython"], results["browser"], results["dist"]
    m = results["machine"]
    lines = [
        "# Benchmark report", "",
        f"Medians of {results['runs']} runs ({results['startup_runs']} for start-up, "
        f"{results['seeds']} seeds against scikit-learn) on {m['platform']} "
        f"({m['cpus']} CPUs), "
        f"{m['chromium']}. Timings on these shared machines are noisy: read ratios, "
        "not absolute values.", "",
        "| measure | value |", "|---|---|",
        f"| CPython fit, mlp_core / scikit-learn (the default preset's data and network, "
        f"constant learning rate, its epoch budget) | {c['fit_seconds']:.2f} s / "
        f"{c['sklearn_fit_seconds']:.2f} s |",
        f"| test accuracy (median of {len(c['samples']['accuracy'])} seeds), mlp_core / "
        f"scikit-learn | {c['accuracy']:.4f} / {c['sklearn_accuracy']:.4f} |",
        f"| mean accuracy difference, mlp_core minus scikit-learn | "
        f"{c['accuracy_difference']['mean'] * 100:+.2f} points (standard error "
        f"{c['accuracy_difference']['standard_error'] * 100:.2f}) |",
        f"| epochs to stop (median), mlp_core / scikit-learn | "
        f"{statistics.median(c['samples']['epochs']):.0f} / "
        f"{statistics.median(c['samples']['sklearn_epochs']):.0f} |",
        *(f"| default model accuracy, flip rate {k}, plain / rejection counted as error | "
          f"{v:.4f} / {c['accuracy_by_noise']['with_rejection'][k]:.4f} |"
          for k, v in c["accuracy_by_noise"]["plain"].items()),
        f"| held-out: non-letters rejected / b, d, f accepted and correct / unseen shapes "
        f"rejected | {c['reject_rate']:.3f} of {c['n_other']} / {c['accept_rate']:.3f} of "
        f"{c['n_letters']} / {c['unseen_reject_rate']:.3f} |",
        f"| expected calibration error on test data, T = 1 / stored T = "
        f"{c['temperature']:.3f} | {c['ece_uncalibrated']:.4f} / {c['ece']:.4f} |",
        f"| bare Pyodide + numpy ready, cold / warm | {b['bare_ready_cold_ms']:.0f} ms / "
        f"{b['bare_ready_warm_ms']:.0f} ms |",
        f"| app ready (first prediction possible), cold / warm | {b['ready_cold_ms']:.0f} ms"
        f" / {b['ready_warm_ms']:.0f} ms |",
        f"| echo round trip p50, same drawing / a single number | {b['echo_p50_ms']:.2f} ms"
        f" / {b['echo_tiny_p50_ms']:.2f} ms |",
        f"| predict round trip p50 / p95 | {b['predict_p50_ms']:.2f} ms / "
        f"{b['predict_p95_ms']:.2f} ms ({b['predict_p50_ms'] / b['echo_p50_ms']:.2f} x the "
        "echo's p50) |",
        f"| predict round trip p50, shadow mode off / on (logging on) | "
        f"{b['predict_shadow_off_p50_ms']:.2f} ms / {b['predict_shadow_on_p50_ms']:.2f} ms |",
        f"| page training, default preset / 1.0 recipe (preset fonts), same pages in turn | "
        f"{b['train_default_preset_seconds']:.1f} s / {b['train_fonts_preset_seconds']:.1f} s"
        f" ({b['train_default_over_fonts']:.2f} x; median of paired ratios "
        f"{b['train_default_over_fonts_paired']:.2f} x) |",
        f"| default preset's training, browser / CPython | "
        f"{b['train_default_preset_seconds']:.1f} s / {b['cpython_train_seconds']:.1f} s |",
        f"| default preset's training in a page asked as soon as it is ready (it makes "
        f"what a settled page prepared) | {b['train_at_once_seconds']:.1f} s |",
        f"| an epoch of the default recipe / its matrix products alone, browser | "
        f"{b['epoch_ms']:.0f} ms / {b['epoch_products_ms']:.0f} ms "
        f"({b['epoch_over_products']:.2f} x, median of paired runs) |",
        *first_visit_lines(b),
        f"| fine-tuning production on 50 examples, browser: settled page / asked as soon "
        f"as it is ready | {b['finetune_seconds']:.2f} s / "
        f"{b['finetune_at_once_seconds']:.2f} s |",
        f"| site size / gzip | {d['bytes'] / 1e6:.1f} MB / {d['gzip_bytes'] / 1e6:.1f} MB |",
        "", "## Targets", "", "| target | measured | met |", "|---|---|---|",
    ]
    for text, value, met in TARGETS:
        v = value(results)
        lines.append(f"| {text} | {v:.3f} | {'yes' if met(v) else 'no'} |")
    names = {"default": "The default model", "page_trained": "A model trained in the page "
             "with the default preset", "page_trained_fonts": "A model trained in the page "
             "with the 1.0 recipe (preset fonts)"}
    for key, r in results.get("handwriting", {}).items():
        lines += ["", f"## {names[key]}, on the handwriting of {r['writers_n']} "
                  f"{r['role']} writers", "", handwriting.report_markdown(r)]
    for key, r in results.get("fonts", {}).items():
        lines += ["", f"## {names[key]}, on {len(r['families'])} font families never trained "
                  "on", "", report_markdown(r)]
    if "new_letter" in results:
        lines += ["", f"## A new letter from a template and {results['new_letter']['n_examples']} "
                  "drawings of one training writer (bench/new_letter.py)", "",
                  new_letter.markdown(results["new_letter"])]
    lines += ["", *(f"![{f}]({f})" for f in figures), ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--startup-runs", type=int, default=5,
                    help="cold/warm start-up pairs for the app and the bare page")
    ap.add_argument("--seeds", type=int, default=5,
                    help="seeds for the scikit-learn comparison (accuracy varies by seed)")
    args = ap.parse_args()
    start = time.perf_counter()
    print("CPython: mlp_core vs scikit-learn…", flush=True)
    c = cpython.compare_with_sklearn(args.seeds)
    c["accuracy_by_noise"] = cpython.accuracy_by_noise()
    c.update(cpython.open_set())
    print("browser: start-up, round trips, training…", flush=True)
    b = browser_bench.measure(args.runs, args.calls, browser_bench.TRAIN_PRESETS,
                              train_on_cpython=cpython.default_training_seconds,
                              startup_runs=args.startup_runs)
    print("handwriting and fonts it never saw: the default model and those trained in the "
          "page…", flush=True)
    default = registry.load_recognizer(
        registry.get_production(store.read_registry(store.DEFAULT_BUNDLE)))
    hand = {"default": handwriting.handwriting_report(default)}
    fonts = {"default": font_report(default)}
    # What the page itself measured (Pyodide), as its Models table shows it: the same
    # summary as hand[...] when the page and CPython agree.
    b["page_metrics_handwriting"] = {key: (b[f"{key}_entry"].get("metrics") or {}).get(
        "handwriting") for key in ("page_trained", "page_trained_fonts") if f"{key}_entry" in b}
    if "page_trained_entry" in b:
        page_trained = registry.load_recognizer(b.pop("page_trained_entry"))
        hand["page_trained"] = handwriting.handwriting_report(page_trained)
        fonts["page_trained"] = font_report(page_trained)
    if "page_trained_fonts_entry" in b:
        hand["page_trained_fonts"] = handwriting.handwriting_report(
            registry.load_recognizer(b.pop("page_trained_fonts_entry")))
    print("a new letter from 5 drawings: fine-tuned and trained…", flush=True)
    taught = new_letter.measure(log=lambda s: print(s, flush=True))
    new_letter.save(taught)
    results = {"cpython": c, "browser": b, "handwriting": hand, "fonts": fonts,
               "new_letter": taught,
               "dist": dist_size(HERE.parent / "dist"),
               "machine": machine(), "runs": args.runs, "startup_runs": args.startup_runs,
               "seeds": args.seeds,
               "seconds": round(time.perf_counter() - start, 1)}
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (HERE / "report.md").write_text(report(results, plots(results)))
    print((HERE / "report.md").read_text())


if __name__ == "__main__":
    main()
