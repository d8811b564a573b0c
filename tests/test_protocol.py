"""The page <-> worker protocol is declared once (web/shared/protocol.js): the page's API,
the worker's handlers and the Python methods behind them agree with it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from protocol_table import table

from mlp_core.registry import history
from mlp_core.service.webapi import App

WEB = Path(__file__).resolve().parent.parent / "web"
WORKER = {p.name: p.read_text() for p in (WEB / "worker").glob("*.js")}
OPERATIONS, EVENTS = table("OPERATIONS"), table("EVENTS")


def test_the_tables_are_read():
    assert {"predict", "registry.list", "monitoring.settle", "samples.add"} <= set(OPERATIONS)
    assert {"ready", "registry-changed", "crashed"} <= set(EVENTS)
    assert len(OPERATIONS) == len(set(OPERATIONS))


def test_every_python_method_the_worker_calls_exists_and_every_one_is_called():
    first_arguments = [a for text in WORKER.values()
                       for a in re.findall(r"python\.(?:call|run)\(\s*([^,)]+)", text)]
    called = {m for a in first_arguments for m in re.findall(r'(?<!=== )"(\w+)"', a)}
    public = {name for name, _ in inspect.getmembers(App, inspect.isfunction)
              if not name.startswith("_")}
    assert called - public == set(), "the worker calls methods App does not have"
    assert public - called == set(), "App methods no worker code calls"


def test_the_worker_handles_exactly_the_declared_operations():
    text = WORKER["handlers.js"]
    handled = set(re.findall(r'^    "?([\w.]+)"?: ', text, flags=re.M))
    assert handled == set(OPERATIONS)


def test_every_event_emitted_or_listened_to_is_declared():
    emitted = {e for text in WORKER.values() for e in re.findall(r'emit\("([\w-]+)"', text)}
    main = (WEB / "page" / "main.js").read_text()
    listened = set(re.findall(r'^      "?([\w-]+)"?: ', main.split("client.on({", 1)[1]
                              .split("});", 1)[0], flags=re.M))
    assert emitted <= set(EVENTS)
    assert listened == set(EVENTS)


def test_history_kinds_are_worded_from_the_python_table():
    import json

    english = json.loads((WEB / "locales" / "en.json").read_text())
    assert {k.removeprefix("how.") for k in english if k.startswith("how.")} == set(history.HOW)


@pytest.mark.browser
def test_window_mlp_is_built_from_the_table(app):
    offered = app.evaluate("""() => {
        const out = [];
        const walk = (o, prefix) => {
            for (const [k, v] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
                if (typeof v.value === "function") out.push(prefix + k);
                else if (v.value && typeof v.value === "object" && k !== "grid") {
                    walk(v.value, prefix + k + ".");
                }
            }
        };
        walk(window.mlp, "");
        return out;
    }""")
    internal = {"registry.removeDamaged", "templates"}
    assert set(offered) == set(OPERATIONS) - internal
    # A call with an unknown name is refused by the page, before the worker sees it.
    error = app.evaluate("""async () => {
        const { client } = await import("./page/start-worker.js");
        return client.call("registry.lst").then(() => "answered", (e) => e.message);
    }""")
    assert "unknown operation registry.lst" in error


COUNT_REQUESTS = """
const post = Worker.prototype.postMessage;
window.__requests = [];
Worker.prototype.postMessage = function (message, ...rest) {
  if (message && message.op) window.__requests.push(message.op);
  return post.call(this, message, ...rest);
};
"""


# The page's first look at the production model (at ready) answers late, as on a busy
# machine: a stroke made meanwhile must still be read once, not again when it arrives.
SLOW_MODEL_INFO = """
const send = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (message && message.op === "modelInfo") {
    setTimeout(() => send.call(this, message, ...rest), 1500);
    return undefined;
  }
  return send.call(this, message, ...rest);
};
"""


@pytest.mark.browser
def test_a_stroke_is_predicted_once_and_logged_once_when_it_settles(context):
    context.add_init_script(SLOW_MODEL_INFO)
    context.add_init_script(COUNT_REQUESTS)
    page = context.new_page()
    page.goto(context.url)
    page.evaluate("window.mlp.ready")
    page.evaluate("window.__requests.length = 0")
    page.get_by_label("row 3 column 4", exact=True).click()  # one stroke
    expect(page.locator("#confidence")).not_to_be_empty()
    page.wait_for_function(
        "window.mlp.monitoring.summary().then((s) => s.predictions === 1)", polling=500,
        timeout=10_000)
    expect(page.locator("#model-info")).not_to_contain_text("loading")  # modelInfo came
    assert page.evaluate("window.__requests.filter((op) => op === 'predict').length") == 1
    # The Predict button logs the drawing at once, still with one prediction.
    page.evaluate("window.__requests.length = 0")
    page.get_by_label("row 4 column 4", exact=True).click()
    page.get_by_role("button", name="Predict", exact=True).click()
    page.wait_for_function(
        "window.mlp.monitoring.summary().then((s) => s.predictions === 2)", polling=200,
        timeout=5_000)
    assert page.evaluate("window.__requests.filter((op) => op === 'predict').length") == 2
