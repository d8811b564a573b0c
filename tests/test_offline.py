"""After one first visit, everything works with the server gone (Chromium).

Before ready the page fetches only what a first prediction imports; the runtime's later
parts (``build.LATER``) and the data files training reads arrive after ready, or at first
use, and the service worker precaches every file. So once the first visit is offline-ready
(the service worker controls the page and the runtime snapshot is made), the server is
stopped (connections refused), then replaced by one that never answers, and each time:
reload, train a small model in the page with its charts, fine-tune, export in every
format, write a model card, switch the language.
"""

from __future__ import annotations

import json
import socket

import pytest
from browser import WITHIN, Server
from conftest import Watch
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect
from test_engines import INSTALLED, READY

from mlp_core import export

pytestmark = pytest.mark.browser

SMALL = "?hidden_layer_sizes=16&max_epochs=4&patience=50&n_samples=600"
TRAIN_S = 120  # a training of SMALL, with the data files installed first, on a loaded machine
CALL_S = 60  # one call through window.mlp


def within(page, script: str, arg=None, seconds: float = CALL_S):
    """``script`` (a function of ``arg`` returning a promise) run in the page, bounded."""
    return page.evaluate(f"([arg, seconds]) => ({WITHIN})(({script})(arg), seconds)",
                         [arg, seconds])


def ready(page) -> dict:
    return within(page, READY, seconds=90)


def everything(page, round_: str) -> None:
    """Reload, then every operation that needs more than a first prediction does."""
    page.reload()
    started = ready(page)
    assert started["snapshot"] is True, (round_, started)
    # Train in the page: the Train tab's button, live charts.
    page.locator("#train-start").click()
    expect(page.locator("#train-result")).to_contain_text("v1.0_", timeout=TRAIN_S * 1000)
    expect(page.get_by_test_id("chart-loss")).to_have_attribute("data-points", "4")
    expect(page.get_by_test_id("chart-accuracy")).to_have_attribute("data-points", "4")
    tuned = within(page, "() => window.mlp.fineTune()", seconds=TRAIN_S)
    assert tuned["version"], (round_, tuned)
    for fmt in export.FORMATS:
        out = within(page, "([v, f]) => window.mlp.registry.exportAs(v, f)",
                     [tuned["version"], fmt])
        assert out["data"] and out["name"], (round_, fmt)
    assert within(page, "(v) => window.mlp.modelCard(v)", tuned["version"]).startswith(
        f"# Model card: {tuned['version']}")
    # Another language: the page reloads in it, and the model card is written in it.
    with page.expect_navigation():
        page.locator("#language").select_option("es")
    ready(page)
    expect(page.get_by_role("tab", name="Entrenar")).to_be_visible()
    assert within(page, "(v) => window.mlp.modelCard(v)", tuned["version"]).startswith(
        f"# Ficha del modelo: {tuned['version']}")
    with page.expect_navigation():
        page.locator("#language").select_option("en")
    ready(page)


def test_everything_works_offline_after_the_first_visit(chromium, dist):
    server = Server(dist)
    port = server.httpd.server_address[1]
    ctx = chromium.new_context()
    watch = Watch(server.url)
    ctx.on("request", watch.request)
    ctx.on("page", watch.attach)
    hang = None
    try:
        page = ctx.new_page()
        page.goto(server.url + SMALL)
        assert ready(page)["snapshot"] is False  # a first visit
        # A drawn example to fine-tune on (every round fine-tunes the new production).
        b = json.dumps(as_bits(DRAWINGS["b"][0]))
        within(page, f"() => window.mlp.samples.add('b', {b}, {{split: 'train'}})")
        assert within(page, INSTALLED, seconds=120)["snapshot"] is True
        server.close()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5)
        everything(page, "server stopped")
        hang = server.hang()
        everything(page, "server hangs")
    finally:
        if hang:
            hang.close()
        else:
            server.close()
        ctx.close()
    assert watch.left_origin() == [], f"requests left the origin: {watch.left_origin()}"
    assert watch.errors == [], f"uncaught errors in the page: {watch.errors}"
