"""Shared fixtures: small, fast models trained once per session."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from mlp_core import MLP, make_dataset, registry

ROOT = Path(__file__).resolve().parents[1]

# Property tests: 300 cases each by default; HYPOTHESIS_PROFILE=fuzz for a long run.
_common = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("default", max_examples=300, **_common)
settings.register_profile("fuzz", max_examples=5000, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def letters() -> tuple[np.ndarray, np.ndarray]:
    """The original recipe: 600 noisy centred letters."""
    return make_dataset(600, seed=3)


@pytest.fixture(scope="session")
def small_model(letters) -> MLP:
    X, y = letters
    return MLP(hidden_layer_sizes=(16,), max_epochs=60, seed=1).fit(X, y)


@pytest.fixture(scope="session")
def two_model_registry(small_model) -> registry.Document:
    """A registry with two models; the first is production."""
    other = MLP(hidden_layer_sizes=(8,), max_epochs=5, seed=2).fit(*make_dataset(90, seed=4))
    t = datetime(2025, 10, 23, 1, 21, 46, tzinfo=UTC)
    doc, _ = registry.register(registry.empty_registry(), small_model, accuracy=0.99, now=t)
    doc, _ = registry.register(doc, other, accuracy=0.5, now=t)
    return doc


# --- browser fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def dist() -> Path:
    site = ROOT / "dist"
    if not (site / "sw.js").exists():
        pytest.fail("dist/ is not built: run `make build` (make test does it first)")
    return site


@pytest.fixture(scope="session")
def server(dist):
    from browser import Server

    s = Server(dist)
    yield s
    s.close()


# Bounds for a machine under load (the suite must pass with another process keeping a
# core busy): a navigation or an action may take this long before it fails, and an
# `expect` waits this long for its condition. Playwright's defaults (30 s, 5 s) failed a
# fresh-clone run once while other work loaded the CPU.
NAVIGATION_MS = 120_000
ACTION_MS = 60_000
EXPECT_MS = 20_000


@pytest.fixture(scope="session")
def chromium():
    from browser import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        new_context = b.new_context

        def bounded_context(**options):
            ctx = new_context(**options)
            ctx.set_default_navigation_timeout(NAVIGATION_MS)
            ctx.set_default_timeout(ACTION_MS)
            return ctx

        b.new_context = bounded_context
        yield b
        b.close()


CSP_BLOCKED = ("csp", "net::ERR_BLOCKED_BY_CSP")  # how Chromium reports a CSP refusal


class Watch:
    """Records what a page did that a test may want to forbid."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.errors: list[str] = []

    def request(self, req) -> None:
        if not req.url.startswith((self.origin, "data:", "blob:")):
            self.foreign.append(req)

    def left_origin(self) -> list[str]:
        """Requests to other origins that were not stopped by the page's CSP."""
        return [r.url for r in self.foreign if r.failure not in CSP_BLOCKED]

    def attach(self, page) -> None:
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def context(chromium, server):
    """A fresh browser profile (empty IndexedDB and cache); fails the test if any request
    leaves the site's origin or a page throws."""
    ctx = chromium.new_context()
    watch = Watch(server.url)
    ctx.on("request", watch.request)
    ctx.on("page", watch.attach)
    ctx.watch = watch
    ctx.url = server.url
    yield ctx
    # A route handler still running when the test ends (e.g. fetching the real file to
    # patch it) must not fail the next test: stop routing first, ignoring late errors.
    ctx.unroute_all(behavior="ignoreErrors")
    ctx.close()
    assert watch.left_origin() == [], f"requests left the origin: {watch.left_origin()}"
    assert watch.errors == [], f"uncaught errors in the page: {watch.errors}"


@pytest.fixture
def app(context):
    """The app loaded and ready in a fresh profile."""
    page = context.new_page()
    page.goto(context.url)
    page.evaluate("window.mlp.ready")
    return page
