"""The main journey in Chromium, Firefox ESR and WebKitGTK (tests/engines.py), with a real
outage: first visit, a drawn b read, a small model trained and listed, a warm reload, then
reloads while the server is stopped (connections refused) and while it hangs (connections
accepted, never answered). Each step's figures are written to build/journey-<engine>.json
and printed with -s; `make test` runs the three engines in parallel."""

from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path

import pytest
from browser import Server
from drawings import DRAWINGS
from engines import Chromium, Firefox, WebKit, missing

pytestmark = pytest.mark.browser
REPORTS = Path(__file__).resolve().parents[1] / "build"

# Ready (performance.now() at that moment: ms since the navigation started), or the error the
# page shows. `seconds` bounds the wait; a start must not be silent.
READY = """async () => {
    const shown = () => ["load-error", "error", "notice"].map((id) => document.getElementById(id))
        .find((el) => el && !el.hidden && el.textContent.trim());
    const says = () => new Error(`the page says: ${shown().textContent.trim()}`);
    while (!window.mlp) {
        if (shown()) throw says();
        await new Promise((r) => setTimeout(r, 50));
    }
    const failed = new Promise((_, no) => {
        const poll = setInterval(() => { if (shown()) { clearInterval(poll); no(says()); } }, 100);
        window.mlp.ready.finally(() => clearInterval(poll));
    });
    const ready = await Promise.race([window.mlp.ready, failed]);
    return { ms: Math.round(performance.now()), snapshot: ready.timings.snapshot,
             steps: ready.timings, language: navigator.language };
}"""

# Draw with the keyboard, as a person without a mouse does (Space on each inked cell),
# press Predict, and read the letter the page shows once it is settled.
DRAW = """async (cells) => {
    document.getElementById("clear").click();
    for (const i of cells) {
        const cell = document.querySelector(`#grid [data-index="${i}"]`);
        cell.focus();
        cell.dispatchEvent(new KeyboardEvent("keydown", { key: " ", bubbles: true }));
    }
    document.getElementById("predict").click();
    const letter = document.getElementById("letter");
    let last = null, same = 0;
    while (same < 5) {  // the same answer for 250 ms
        await new Promise((r) => setTimeout(r, 50));
        same = letter.textContent === last && last !== "?" ? same + 1 : 0;
        last = letter.textContent;
    }
    return { letter: last, confidence: document.getElementById("confidence").textContent };
}"""

# Offline from now on: the service worker controls the page and the runtime snapshot is
# made (or found unusable).
INSTALLED = """async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
    return { snapshot: await window.mlp.snapshotReady };
}"""

TRAIN = """async () => {
    const t = performance.now();
    const model = await window.mlp.train({ hyperparameters: { hidden_layer_sizes: [16],
        max_epochs: 5 }, data: { n_samples: 600 } });
    const seconds = (performance.now() - t) / 1000;
    document.getElementById("tab-models").click();
    while (!document.querySelector(`#panel-models tr[data-version="${model.version}"]`)) {
        await new Promise((r) => setTimeout(r, 50));
    }
    return { version: model.version, seconds: Math.round(seconds * 10) / 10 };
}"""

B_CELLS = [i for i, ch in enumerate("".join(DRAWINGS["b"][0])) if ch == "#"]
# Starting Python without a snapshot takes WebKitGTK up to ~30 s here, under load more.
READY_S = 90


def _engine(name: str, chromium_browser):
    if name == "chromium":
        return Chromium(chromium_browser)
    absent = missing()
    if absent:
        pytest.fail(f"the cross-engine tests need: {', '.join(absent)} (`make test` installs them)")
    return Firefox() if name == "firefox" else WebKit()


# WebKitGTK under the C locale reported navigator.language "C", which Intl rejects; uPlot
# formats with it as its module loads. Injected by a script that runs before the page's.
C_LOCALE = """
Object.defineProperty(Navigator.prototype, "language", { get: () => "C" });
Object.defineProperty(Navigator.prototype, "languages", { get: () => ["C"] });
window.languageBeforeThePage = navigator.language;
"""


@pytest.fixture
def site_copy(dist, tmp_path):
    """A copy of the built site, to change before serving it."""
    site = tmp_path / "site"
    shutil.copytree(dist, site)
    return site


@pytest.mark.parametrize("name", ["chromium", "firefox", "webkit"])
def test_a_module_that_fails_to_load_is_shown_within_10_s(name, request, site_copy):
    (site_copy / "page" / "thumbs.js").unlink()  # main.js imports it
    server = Server(site_copy)
    engine = _engine(name, request.getfixturevalue("chromium") if name == "chromium" else None)
    try:
        engine.goto(server.url)
        with pytest.raises(Exception, match="The page could not start .main.js did not load."):
            engine.run(READY, seconds=10)
    finally:
        engine.close()
        server.close()


@pytest.mark.parametrize("name", ["chromium", "webkit"])
def test_a_locale_intl_rejects_starts_in_english(name, request, site_copy):
    site = site_copy
    (site / "c-locale.js").write_text(C_LOCALE)
    index = site / "index.html"
    first = '<script src="c-locale.js"></script>\n  <script '
    index.write_text(index.read_text().replace("<script ", first, 1))
    server = Server(site)
    engine = _engine(name, request.getfixturevalue("chromium") if name == "chromium" else None)
    try:
        engine.goto(server.url)
        assert engine.run(READY, seconds=READY_S)["language"] == "en-US"  # page/locale-guard.js
        assert engine.run("async () => window.languageBeforeThePage") == "C"
        assert engine.run("async () => document.documentElement.lang") == "en"
        assert engine.run(DRAW, B_CELLS)["letter"] == "b"
    finally:
        engine.close()
        server.close()


@pytest.mark.parametrize("name", ["chromium", "firefox", "webkit"])
def test_the_journey_survives_a_real_outage(name, request, dist):
    chromium_browser = request.getfixturevalue("chromium") if name == "chromium" else None
    server = Server(dist)
    port = server.httpd.server_address[1]
    engine = _engine(name, chromium_browser)
    report: dict = {}
    hang = None

    def step(label: str, do):
        t = time.perf_counter()
        value = do()
        report[label] = {**(value if isinstance(value, dict) else {"value": value}),
                         "wall_s": round(time.perf_counter() - t, 2)}
        print(f"{name}: {label}: {report[label]}")
        return value

    def reload_and_read(label: str):
        step(f"{label} reload", engine.reload)
        ready = step(f"{label} ready", lambda: engine.run(READY, seconds=READY_S))
        # A warm start, from the runtime snapshot: WebKit keeps it too, and no outage
        # costs it.
        assert ready["snapshot"] is True, ready
        # NumPy's extensions compiled in the background while Python was restored.
        assert ready["steps"]["compiledAhead"] >= 1, ready
        assert step(f"{label} draws b", lambda: engine.run(DRAW, B_CELLS))["letter"] == "b"

    try:
        step("first visit", lambda: engine.goto(server.url))
        step("first visit ready", lambda: engine.run(READY, seconds=READY_S))
        assert step("draws b", lambda: engine.run(DRAW, B_CELLS))["letter"] == "b"
        assert step("offline ready", lambda: engine.run(INSTALLED, seconds=READY_S))["snapshot"]
        trained = step("trains", lambda: engine.run(TRAIN, seconds=120))
        assert trained["version"]
        reload_and_read("warm")
        server.close()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5)
        reload_and_read("server stopped")
        hang = server.hang()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as probe:
            probe.sendall(b"GET / HTTP/1.0\r\n\r\n")
            probe.settimeout(1)
            with pytest.raises(TimeoutError):
                probe.recv(1)
        reload_and_read("server hangs")
    finally:
        if hang:
            hang.close()
        else:
            server.close()
        engine.close()
        REPORTS.mkdir(exist_ok=True)
        (REPORTS / f"journey-{name}.json").write_text(json.dumps(report, indent=1))
