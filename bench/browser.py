"""Browser timings of the built site (a script, not a test; timings here are noisy).

    .venv/bin/python bench/browser.py [--runs 5]

Prints JSON: navigation -> first prediction with an empty cache (fresh profile) and a
primed one (same profile, second visit: service worker + IndexedDB), predict and echo
round-trip latency (page -> worker -> Python -> page), and what a first visit downloads.
Medians over --runs fresh profiles.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, Server, chromium_path  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

B_BITS = [1 if c == "#" else 0 for r in (
    "##........", "##........", "##........", "##........", "######....",
    "#######...", "##...##...", "##...##...", "#######...", "######....") for c in r]

FIRST_PREDICTION_MS = """async (bits) => {
    await window.mlp.ready;
    await window.mlp.predict(bits);
    return performance.now();   // ms since navigation started
}"""

ROUND_TRIPS = """async ([bits, n]) => {
    const time = async (f) => {
        const out = [];
        for (let i = 0; i < n; i++) {
            const t = performance.now();
            await f();
            out.push(performance.now() - t);
        }
        return out;
    };
    return { echo: await time(() => window.mlp.echo(1)),
             predict: await time(() => window.mlp.predict(bits)) };
}"""


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def measure(url: str, runs: int, calls: int) -> dict:
    cold, warm, echo, predict, downloaded = [], [], [], [], []
    with sync_playwright() as p:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                ctx = p.chromium.launch_persistent_context(
                    profile, executable_path=chromium_path(), args=CHROMIUM_ARGS)
                sizes: dict[str, int] = {}

                def record(request, sizes=sizes) -> None:
                    sizes[request.url] = request.sizes()["responseBodySize"]

                ctx.on("requestfinished", record)
                page = ctx.new_page()
                page.goto(url)
                cold.append(page.evaluate(FIRST_PREDICTION_MS, B_BITS))
                page.evaluate("navigator.serviceWorker.ready")
                downloaded.append(sum(sizes.values()))
                page.wait_for_timeout(500)  # let the service worker finish precaching
                page.close()
                page = ctx.new_page()
                page.goto(url)
                warm.append(page.evaluate(FIRST_PREDICTION_MS, B_BITS))
                trips = page.evaluate(ROUND_TRIPS, [B_BITS, calls])
                echo += trips["echo"]
                predict += trips["predict"]
                ctx.close()
    return {
        "first_prediction_cold_ms": statistics.median(cold),
        "first_prediction_warm_ms": statistics.median(warm),
        "echo_p50_ms": pct(echo, 0.5), "predict_p50_ms": pct(predict, 0.5),
        "predict_p95_ms": pct(predict, 0.95),
        "first_visit_download_bytes": statistics.median(downloaded),
        "runs": runs, "calls_per_run": calls,
        "raw": {"cold": cold, "warm": warm},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calls", type=int, default=200)
    args = ap.parse_args()
    server = Server(ROOT / "dist")
    try:
        print(json.dumps(measure(server.url, args.runs, args.calls), indent=1))
    finally:
        server.close()


if __name__ == "__main__":
    main()
