"""Browser measurements of the built site in headless Chromium (a script, not a test).

Each run uses a fresh browser profile: the first navigation has an empty cache, the
second (same profile) a primed one. The bare page (bench/bare/) only boots the official,
untrimmed Pyodide in a worker and imports the official NumPy: the floor for any Pyodide
app. It gets its own copy of those files (``bare_site``), not the site's trimmed ones.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, Server, chromium_path  # noqa: E402
from drawings import DRAWINGS, as_bits  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from mlp_core.settings import DEFAULT_PRESET, PRESETS  # noqa: E402

B_BITS = [1 if c == "#" else 0 for r in (
    "##........", "##........", "##........", "##........", "######....",
    "#######...", "##...##...", "##...##...", "#######...", "######....") for c in r]

APP_READY = """async (bits) => {
    await window.mlp.ready;
    const t = performance.now();   // ms since navigation started
    await window.mlp.predict(bits);
    return t;
}"""
BARE_READY = "() => window.bareReady"
# The page's clock ticks in 0.1 ms (no cross-origin isolation), about one echo: so time
# batches of BATCH sequential calls and report the mean call time of each batch.
# The echo carries the same drawing as the prediction and Python hands it back unchanged:
# the floor for that message. echo_tiny (a single number) shows what the payload costs.
BATCH = 10
ROUND_TRIPS = """async ([bits, n, batch]) => {
    const calls = { echo: () => window.mlp.echo(bits), echo_tiny: () => window.mlp.echo(1),
                    predict: () => window.mlp.predict(bits) };
    const out = { echo: [], echo_tiny: [], predict: [] };
    for (let i = 0; i < n / batch; i++) {
        for (const [name, f] of Object.entries(calls)) {  // interleaved: same conditions
            const t = performance.now();
            for (let j = 0; j < batch; j++) await f();
            out[name].push((performance.now() - t) / batch);
        }
    }
    return out;
}"""
# Shadow mode must add no visible delay: predictions timed with a model in shadow mode
# and without, batch by batch in turn (same conditions). The shadow reads each drawing
# when the log is written (every 0.5 s), so batches span those writes.
SHADOW_TRIPS = """async ([bits, n, batch, shadow]) => {
    const out = { off: [], on: [] };
    for (let i = 0; i < n / batch; i++) {
        for (const mode of ["off", "on"]) {
            await window.mlp.monitoring.setShadow(mode === "on" ? shadow : null);
            const t = performance.now();
            for (let j = 0; j < batch; j++) await window.mlp.predict(bits);
            out[mode].push((performance.now() - t) / batch);
        }
    }
    await window.mlp.monitoring.setShadow(null);
    return out;
}"""
TRAIN = """async (config) => {
    const t = performance.now();
    const result = await window.mlp.train(config);
    const seconds = (performance.now() - t) / 1000;
    return { seconds, entry: await window.mlp.registry.get(result.version) };
}"""


# Fine-tuning the production model on 50 drawn examples (the figure): the time
# from the call to the registered model, examples already stored.
FINETUNE_EXAMPLES = 50
FINETUNE = """async (examples) => {
    for (const [label, pattern] of examples) {
        await window.mlp.samples.add(label, pattern, {split: "train"});
    }
    const t = performance.now();
    await window.mlp.fineTune();
    return (performance.now() - t) / 1000;
}"""


# A settled page: one that has made what a first training needs while idle (the worker
# does it once the page has asked nothing for a second: worker/training.js prepare).
# Trainings and fine-tunings are timed on one, as a person who looks around first meets
# them, and also at once, as soon as the page is ready ("at once" figures).
SETTLED_WITHIN_MS = 120_000
SETTLE = """(ms) => Promise.race([window.mlp.trainingPrepared, new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`not prepared within ${ms} ms`)), ms))])"""


def open_page(ctx, url: str, settled: bool):
    """A new page of ``url`` in ``ctx``, ready, and settled when ``settled``."""
    page = ctx.new_page()
    page.goto(url)
    page.evaluate("window.mlp.ready")
    if settled and page.evaluate(SETTLE, SETTLED_WITHIN_MS) is not True:
        raise RuntimeError("the page could not prepare for training: see its console")
    return page


def finetune_examples(n: int = FINETUNE_EXAMPLES) -> list[tuple[str, list[int]]]:
    """``n`` drawn b, d, f (the test drawings, in turn)."""
    drawn = [(k, as_bits(d)) for k in "bdf" for d in DRAWINGS[k]]
    return [drawn[i % len(drawn)] for i in range(n)]


EPOCH = """(runs) => new Promise((resolve, reject) => {
    const w = new Worker("epoch-worker.js", {type: "module"});
    w.onmessage = (e) => (e.data.ok ? resolve(e.data.result) : reject(new Error(e.data.error)));
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage({runs});
})"""


#: The presets whose training in the page the bench times, by key: the default preset
#: and today's (1.0) recipe, kept as preset "fonts"; issue 34 holds the first to at most
#: 1.2x the second, both measured in the same run.
TRAIN_PRESETS = {"default": DEFAULT_PRESET, "fonts": "fonts"}


def preset_config(name: str) -> dict:
    """What the Train button sends for preset ``name``, without the person's examples."""
    return {**PRESETS[name].config(), "include_samples": False}


def time_training(browser, url: str, runs: int, presets: dict[str, str] | None = None,
                  train_on_cpython: Callable[[], float] | None = None) -> dict:
    """Seconds to train each of ``presets`` ({key: preset name}) in the page, from the call
    to the registered model: ``runs`` rounds, each in one fresh profile's settled page
    (``SETTLE``) that trains every preset in turn, the order alternating between rounds.
    Each round also trains the first preset in a fresh page at once, as soon as it is
    ready: that training also fetches and installs the data files and makes what the
    preparation would have. ``train_on_cpython`` runs after each round.

    ``train_<key>_preset_seconds`` and ``train_at_once_seconds`` are medians;
    ``train_default_over_fonts`` is the ratio of the medians and
    ``train_default_over_fonts_paired`` the median of each round's ratio.
    ``page_trained_entry`` (the registry entry of the last round's default-preset model)
    and ``page_trained_<key>_entry`` for the others are for the caller to pop.
    """
    presets = dict(presets or TRAIN_PRESETS)
    seconds: dict[str, list[float]] = {key: [] for key in presets}
    at_once: list[float] = []
    cpython_train: list[float] = []
    out: dict = {}
    for i in range(runs):
        ctx = browser.new_context()
        try:
            page = open_page(ctx, url, settled=False)
            at_once.append(page.evaluate(TRAIN, preset_config(next(iter(presets.values()))))
                           ["seconds"])
        finally:
            ctx.close()
        ctx = browser.new_context()
        try:
            page = open_page(ctx, url, settled=True)
            for key in (list(presets) if i % 2 == 0 else list(presets)[::-1]):
                trained = page.evaluate(TRAIN, preset_config(presets[key]))
                seconds[key].append(trained["seconds"])
                out["page_trained_entry" if key == "default"
                    else f"page_trained_{key}_entry"] = trained["entry"]
        finally:
            ctx.close()
        if train_on_cpython is not None:
            cpython_train.append(train_on_cpython())
    for key, values in seconds.items():
        out[f"train_{key}_preset_seconds"] = statistics.median(values)
    out["train_at_once_seconds"] = statistics.median(at_once)
    if {"default", "fonts"} <= seconds.keys():
        out["train_default_over_fonts"] = (out["train_default_preset_seconds"]
                                           / out["train_fonts_preset_seconds"])
        out["train_default_over_fonts_paired"] = statistics.median(
            d / f for d, f in zip(seconds["default"], seconds["fonts"], strict=True))
    if cpython_train:
        out["cpython_train_seconds"] = statistics.median(cpython_train)
    out["samples"] = {**{f"train_{key}_preset": v for key, v in seconds.items()},
                      "train_at_once": at_once, "cpython_train": cpython_train}
    return out


def measure_training(runs: int = 2, presets: dict[str, str] | None = None) -> dict:
    """Only the page trainings of ``time_training`` (with the registry entries of the
    models they made, under ``page_trained*_entry``), on the built site in dist/."""
    server = Server(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                return time_training(browser, server.url, runs, presets)
            finally:
                browser.close()
    finally:
        server.close()


def time_epoch(browser, url: str, runs: int) -> dict[str, float]:
    """An epoch of the default recipe and its matrix products alone, in the browser
    (bench/epoch/): medians in ms, ``epoch_ms`` and ``epoch_products_ms``."""
    page = browser.new_page()
    try:
        page.goto(url + "__tests__/index.html")
        return page.evaluate(EPOCH, runs)
    finally:
        page.close()


#: First visits as a new user sees them: (name, download Mbit/s, latency ms).
NETWORKS = (("20mbps", 20, 40), ("5mbps", 5, 70))


def first_visit_ms(p, url: str, mbps: float, latency_ms: float, ready_js: str = APP_READY,
                   arg=B_BITS) -> float:
    """ms from navigation until a first prediction is possible (``ready_js``: the app's,
    or the bare page's ``BARE_READY``), in a fresh profile on a network throttled by
    Chromium (CDP Network.emulateNetworkConditions)."""
    with tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=chromium_path(),
                                                   args=CHROMIUM_ARGS)
        try:
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": latency_ms,
                "downloadThroughput": mbps * 1e6 / 8, "uploadThroughput": mbps * 1e6 / 8})
            page.goto(url)
            return page.evaluate(ready_js, arg)
        finally:
            ctx.close()


class ByteLog:
    """The body bytes a server sent (gzip where it compresses, as GitHub Pages does), in
    the order the requests arrived, split by a marker request (``MARK``)."""

    MARK = "__bench__/ready"

    def __init__(self, server) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []
        self.marked: int | None = None  # len(sent) when the marker arrived
        base = server.httpd.RequestHandlerClass  # functools.partial(handler, directory=...)
        log = self

        class Counting(base.func):
            def send_head(self):
                if self.MARK_PATH in self.path:
                    with log.lock:
                        log.marked = len(log.sent)
                return super().send_head()

            def copyfile(self, source, outputfile) -> None:
                data = source.read()
                with log.lock:
                    log.sent.append((self.path.split("?")[0], len(data)))
                outputfile.write(data)

        Counting.MARK_PATH = self.MARK
        server.httpd.RequestHandlerClass = partial(Counting, *base.args, **base.keywords)

    def clear(self) -> None:
        with self.lock:
            self.sent, self.marked = [], None

    def split(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """The files sent before the marker and after it."""
        with self.lock:
            at = len(self.sent) if self.marked is None else self.marked
            return self.sent[:at], self.sent[at:]


# Fetches ByteLog.MARK the moment the page says a first prediction is possible.
MARK_READY = """(() => {
    const poll = setInterval(() => {
        if (!window.mlp) return;
        clearInterval(poll);
        window.mlp.ready.then(() => fetch("/MARK"));
    }, 2);
})();""".replace("MARK", ByteLog.MARK)
# Offline-ready: the service worker controls the page and the runtime snapshot is made.
OFFLINE_READY = """async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
    return await window.mlp.snapshotReady;
}"""
QUIET_S = 3  # the page is idle once nothing more was sent for this long


def first_visit_bytes(browser, url: str, log: ByteLog) -> dict:
    """Body bytes a first visit fetches (fresh profile, unthrottled) until a first
    prediction is possible, and after that until the page is idle and offline-ready;
    ``files`` lists each part's files."""
    log.clear()
    ctx = browser.new_context()
    try:
        ctx.add_init_script(MARK_READY)
        page = ctx.new_page()
        page.goto(url)
        page.evaluate(APP_READY, B_BITS)
        page.evaluate(OFFLINE_READY)
        quiet, seen = 0.0, -1
        while quiet < QUIET_S:  # bounded: the page's own downloads are finite
            time.sleep(0.5)
            n = len(log.split()[1])
            quiet = quiet + 0.5 if n == seen else 0.0
            seen = n
    finally:
        ctx.close()
    before, after = log.split()
    return {"first_visit_bytes_before_ready": sum(n for _, n in before),
            "first_visit_bytes_after_ready": sum(n for _, n in after),
            "files": {"before_ready": before, "after_ready": after}}


def time_finetune(browser, url: str, settled: bool = True) -> float:
    """Seconds to fine-tune production on ``FINETUNE_EXAMPLES`` examples, in a fresh
    profile's page, settled (``SETTLE``) or not."""
    ctx = browser.new_context()
    try:
        page = open_page(ctx, url, settled)
        return page.evaluate(FINETUNE, finetune_examples())
    finally:
        ctx.close()


def bare_site(folder: Path) -> Path:
    """bench/bare/ plus the official Pyodide files and NumPy wheel under pyodide/."""
    import shutil

    import build

    shutil.copytree(ROOT / "bench" / "bare", folder, dirs_exist_ok=True)
    shutil.copytree(ROOT / "bench" / "epoch", folder, dirs_exist_ok=True)  # on the site's
    (folder / "pyodide").mkdir(exist_ok=True)
    for name in (*build.PYODIDE_FILES, "pyodide-lock.json"):
        shutil.copy2(build.PYODIDE / name, folder / "pyodide" / name)
    shutil.copy2(build.numpy_wheel(), folder / "pyodide" / build.NUMPY_WHEEL)
    return folder


def time_shadow(browser, url: str, calls: int) -> dict[str, list[float]]:
    """Per-call prediction times (ms, batches of BATCH) with shadow mode off and on, the
    shadow a 128-unit model trained in the page; logging on, as a person's page has it."""
    ctx = browser.new_context()
    try:
        page = open_page(ctx, url, settled=False)
        shadow = page.evaluate("c => window.mlp.train(c)", {
            "hyperparameters": {"hidden_layer_sizes": [128], "max_epochs": 3},
            "data": {"n_samples": 600}})["version"]
        page.evaluate(SHADOW_TRIPS, [B_BITS, 40, BATCH, shadow])  # warm up
        return page.evaluate(SHADOW_TRIPS, [B_BITS, calls, BATCH, shadow])
    finally:
        ctx.close()


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def _cold_warm(p, url: str, ready_js: str, arg=None) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=chromium_path(),
                                                   args=CHROMIUM_ARGS)
        try:
            page = ctx.new_page()
            page.goto(url)
            cold = page.evaluate(ready_js, arg)
            if "mlp" in ready_js:  # let the offline cache and the runtime snapshot finish
                page.evaluate("window.mlp.snapshotReady")
                page.evaluate("navigator.serviceWorker.ready")
                page.wait_for_timeout(1000)
            page.close()
            page = ctx.new_page()
            page.goto(url)
            warm = page.evaluate(ready_js, arg)
            return cold, warm
        finally:
            ctx.close()


def first_visits(p, server: Server, runs: int) -> dict:
    """The app's and the bare page's first visits at each of ``NETWORKS``, alternating
    (medians of ``runs``), and the bytes a first visit of the app fetches before and after
    ready (``first_visit_bytes``). ``server`` serves the bare page under __tests__/."""
    log = ByteLog(server)
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        sizes = first_visit_bytes(browser, server.url, log)
    finally:
        browser.close()
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        for name, mbps, latency in NETWORKS:
            samples.setdefault(f"first_visit_{name}_ms", []).append(
                first_visit_ms(p, server.url, mbps, latency))
            samples.setdefault(f"first_visit_bare_{name}_ms", []).append(first_visit_ms(
                p, server.url + "__tests__/index.html", mbps, latency, BARE_READY, None))
    out = {k: statistics.median(v) for k, v in samples.items()}
    out["first_visit_bytes_before_ready"] = sizes["first_visit_bytes_before_ready"]
    out["first_visit_bytes_after_ready"] = sizes["first_visit_bytes_after_ready"]
    out["samples"] = {**samples, "first_visit_files": sizes["files"]}
    return out


def measure_first_visits(runs: int = 3) -> dict:
    """Only ``first_visits``, on the built site in dist/ and the bare page."""
    with tempfile.TemporaryDirectory() as bare_dir:
        server = Server(ROOT / "dist", bare_site(Path(bare_dir)))
        try:
            with sync_playwright() as p:
                return first_visits(p, server, runs)
        finally:
            server.close()


def measure(runs: int = 3, calls: int = 1000, train_presets: dict[str, str] | None = None,
            train_on_cpython: Callable[[], float] | None = None,
            startup_runs: int = 5) -> dict:
    """Medians over `runs` (`startup_runs` for start-up, the noisiest figure) of every
    browser figure; raw samples under "samples".

    ``train_presets`` ({key: preset name}, e.g. ``TRAIN_PRESETS``) are trained in the
    page as ``time_training`` does; ``train_on_cpython`` (the default preset's training on
    CPython, returning seconds) runs after each round, under the same machine load.
    """
    bare_dir = tempfile.TemporaryDirectory()
    server = Server(ROOT / "dist", bare_site(Path(bare_dir.name)))
    training: dict = {"samples": {}}
    try:
        with sync_playwright() as p:
            bare, app = [], []
            for _ in range(startup_runs):  # alternating: both see the same machine load
                bare.append(_cold_warm(p, server.url + "__tests__/index.html", BARE_READY))
                app.append(_cold_warm(p, server.url, APP_READY, B_BITS))
            visits = first_visits(p, server, runs)
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url)
            page.evaluate("window.mlp.ready")
            page.evaluate(ROUND_TRIPS, [B_BITS, 50, BATCH])  # warm up
            trips = page.evaluate(ROUND_TRIPS, [B_BITS, calls, BATCH])
            shadow = time_shadow(browser, server.url, calls // 2)
            finetune = [time_finetune(browser, server.url) for _ in range(runs)]
            finetune_at_once = [time_finetune(browser, server.url, settled=False)
                                for _ in range(runs)]
            epoch = time_epoch(browser, server.url, runs)
            if train_presets:
                training = time_training(browser, server.url, runs, train_presets,
                                         train_on_cpython)
            browser.close()
    finally:
        server.close()
        bare_dir.cleanup()
    out = {
        "bare_ready_cold_ms": statistics.median(b[0] for b in bare),
        "bare_ready_warm_ms": statistics.median(b[1] for b in bare),
        "ready_cold_ms": statistics.median(a[0] for a in app),
        "ready_warm_ms": statistics.median(a[1] for a in app),
        "echo_p50_ms": percentile(trips["echo"], 0.5),
        "echo_tiny_p50_ms": percentile(trips["echo_tiny"], 0.5),
        "predict_p50_ms": percentile(trips["predict"], 0.5),
        "predict_p95_ms": percentile(trips["predict"], 0.95),
        "predict_shadow_off_p50_ms": percentile(shadow["off"], 0.5),
        "predict_shadow_on_p50_ms": percentile(shadow["on"], 0.5),
        "finetune_seconds": statistics.median(finetune),
        "finetune_at_once_seconds": statistics.median(finetune_at_once),
        **{k: v for k, v in visits.items() if k != "samples"},
        **epoch,
    }
    training_samples = training.pop("samples")
    out.update(training)
    out["samples"] = {"bare": bare, "app": app, **training_samples, **visits["samples"],
                      "finetune": finetune, "finetune_at_once": finetune_at_once,
                      "echo_ms": trips["echo"],
                      "echo_tiny_ms": trips["echo_tiny"], "predict_ms": trips["predict"],
                      "predict_shadow_off_ms": shadow["off"],
                      "predict_shadow_on_ms": shadow["on"]}
    return out


def main() -> None:
    import argparse
    import json

    ap = argparse.ArgumentParser(description="The browser bench on its own, as JSON on "
                                 "stdout (make bench runs it through bench/run.py, with "
                                 "CPython alongside, and writes the report).")
    ap.add_argument("--training-only", action="store_true",
                    help="time only the page's training of the default preset and of "
                    "today's recipe (preset fonts), in turn in one page per round")
    ap.add_argument("--first-visit-only", action="store_true",
                    help="measure only first visits: the bytes before and after ready, "
                    "and the app and the bare page at each throttled network")
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    if args.first_visit_only:
        print(json.dumps(measure_first_visits(args.runs), indent=1))
        return
    out = (measure_training(args.runs) if args.training_only
           else measure(args.runs, train_presets=TRAIN_PRESETS))
    entries = {k: out.pop(k) for k in list(out) if k.endswith("_entry")}
    out["page_trained_handwriting"] = {k: (e.get("metrics") or {}).get("handwriting")
                                       for k, e in entries.items()}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
