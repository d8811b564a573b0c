"""Defects found in review, each pinned by the behaviour a person (or window.mlp) sees:
storage errors that were swallowed or hung, charts that were never freed, and a Promote
button that failed silently."""

from __future__ import annotations

import pytest
from browser import WITHIN
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TINY = "?hidden=8&max_epochs=2&patience=50&n_samples=300"
BLOCKED = "another tab holds an older version of the database open; close it and reload"


def open_app(context, query: str = ""):
    page = context.new_page()
    page.goto(context.url + query)
    page.evaluate("window.mlp.ready")
    return page


def live_charts(page) -> int:
    """uPlot instances not destroyed (every chart joins the same cursor-sync group)."""
    return page.evaluate("""async () => {
        const { default: uPlot } = await import("/vendor/uPlot.esm.js");
        return uPlot.sync("letter-recognizer").plots.length;
    }""")


# --- 1. a failed read of the person's data is an error, not "no data" ----------------------

def test_failed_read_of_own_data_rejects_with_its_cause(app):
    out = app.evaluate("""async () => {
        const storage = await import("/worker/storage.js");
        const real = IDBObjectStore.prototype.getAll;
        IDBObjectStore.prototype.getAll = function () {
            throw new DOMException("the disk could not be read", "UnknownError");
        };
        try {
            const settle = (p) => p.then((value) => ({ value }),
                                         (e) => ({ name: e.name, message: e.message }));
            return [await settle(storage.listSamples()), await settle(storage.listClasses())];
        } finally {
            IDBObjectStore.prototype.getAll = real;
        }
    }""")
    cause = {"name": "UnknownError", "message": "the disk could not be read"}
    assert out == [cause, cause]


def test_training_refuses_to_drop_examples_it_cannot_read(context):
    # Fault injection: in the worker, reading the "samples" store fails (the registry's
    # stores still work, so storage as a whole is available).
    def unreadable_samples(route):
        body = """const realGetAll = IDBObjectStore.prototype.getAll;
IDBObjectStore.prototype.getAll = function (...args) {
  if (this.name === "samples") throw new DOMException("the disk could not be read", "UnknownError");
  return realGetAll.apply(this, args);
};
""" + route.fetch().text()
        route.fulfill(body=body, content_type="text/javascript")

    context.route("**/worker/storage.js", unreadable_samples)
    page = open_app(context)
    err = page.evaluate("window.mlp.samples.list().then(() => null, (e) => e.message)")
    assert err == "the disk could not be read"
    before = page.evaluate("window.mlp.registry.list()")
    err = page.evaluate(f"""() => ({WITHIN})(window.mlp.train({{hyperparameters: {{
        hidden_layer_sizes: [4], max_epochs: 1}}, data: {{n_samples: 60}}}}), 60)
        .then(() => null, (e) => e.message)""")
    assert err == "the disk could not be read"
    assert page.evaluate("window.mlp.registry.list()") == before
    # The My data tab says so instead of showing "No examples yet".
    expect(page.locator("#error")).to_contain_text("Could not read your examples: the disk")


# --- 2. an older connection that will not close: say so, do not hang ----------------------

def test_database_blocked_by_an_older_tab_is_reported_not_a_hang(context):
    # An "older tab": a version-1 connection opened before the app's worker asks for
    # version 2, which never closes when asked to. Opens are queued in order, so the
    # worker's request is always the blocked one.
    context.add_init_script("""if (location.protocol === "http:") {  // not about:blank
        const r = indexedDB.open("letter-recognizer", 1);
        r.onsuccess = () => { window.__olderTab = r.result; };
    }""")
    page = context.new_page()
    page.goto(context.url)
    # Python boots first (bounded), then the registry is opened: it must fail at once.
    expect(page.locator('[data-step="packages"]')).to_have_class("done", timeout=90_000)
    expect(page.locator("#notice")).to_contain_text(BLOCKED, timeout=10_000)
    # It runs from memory instead.
    health = page.evaluate(f"({WITHIN})(window.mlp.ready.then(() => window.mlp.health()), 30)")
    assert health["storage"] == "memory"


def test_own_connections_give_way_to_a_newer_version(app):
    # The worker and this page's storage module each hold a connection; a newer version
    # of the app (here: a raw open of the next database version) must not be blocked.
    out = app.evaluate("""async () => {
        const storage = await import("/worker/storage.js");
        await storage.readAll();
        const newer = (await storage.db()).version + 1;
        return new Promise((resolve) => {
            const r = indexedDB.open("letter-recognizer", newer);
            r.onsuccess = () => { r.result.close(); resolve("opened"); };
            r.onerror = () => resolve(`failed: ${r.error}`);
            setTimeout(() => resolve("still blocked after 10 s"), 10_000);
        });
    }""")
    assert out == "opened"


# --- 3. charts are freed when replaced ---------------------------------------------------

def test_trainings_and_comparisons_do_not_pile_up_charts(context):
    page = open_app(context, TINY)
    for i in range(5):
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.locator("#models-table tbody tr")).to_have_count(2 + i, timeout=60_000)
        expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
    assert live_charts(page) == 2  # loss and accuracy of the last training
    page.get_by_role("tab", name="Models").click()
    for cb in page.locator("#models-table tbody input[type=checkbox]").all()[:2]:
        cb.check()
    for _ in range(2):
        # Empty the result first, so the wait below sees the new chart, not the old one.
        page.evaluate("document.getElementById('compare-result').replaceChildren()")
        page.get_by_role("button", name="Compare selected").click()
        expect(page.get_by_test_id("chart-compare")).to_have_attribute("data-points", "2")
    assert live_charts(page) == 3  # plus the one comparison on screen


# --- 4. Promote after training says why it failed ----------------------------------------

def test_promote_after_training_reports_failure_and_can_be_retried(context):
    page = open_app(context, TINY)
    page.get_by_role("button", name="Train", exact=True).click()
    result = page.locator("#train-result")
    expect(result).to_contain_text("Registered", timeout=60_000)
    version = next(m["version"] for m in page.evaluate("window.mlp.registry.list()")
                   if not m["is_production"])
    page.evaluate("v => window.mlp.registry.delete(v)", version)
    button = result.get_by_role("button", name="Promote to production")
    button.click()
    error = page.locator("#train-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(f"Could not promote {version}")
    expect(error).to_contain_text("Models tab")
    expect(button).to_be_enabled()
    expect(button).to_have_text("Promote to production")
