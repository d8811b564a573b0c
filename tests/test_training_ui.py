"""Training, the person's own data and registry management, through the page."""

from __future__ import annotations

import json
import re

import pytest
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect
from test_browser import draw

from mlp_core import registry, settings
from mlp_core.data.sources import DATA_FILES
from mlp_core.registry import store

pytestmark = pytest.mark.browser

SMALL = "?hidden_layer_sizes=16&max_epochs=6&patience=50&n_samples=600"
X_ROWS = ("#........#", ".#......#.", "..#....#..", "...#..#...", "....##....",
          "....##....", "...#..#...", "..#....#..", ".#......#.", "#........#")


def open_app(context, query: str = ""):
    page = context.new_page()
    page.goto(context.url + query)
    page.evaluate("window.mlp.ready")
    return page


def versions(page) -> list[str]:
    return [m["version"] for m in page.evaluate("window.mlp.registry.list()")]


def test_train_in_the_page_with_live_progress(context):
    page = open_app(context, SMALL)
    expect(page.get_by_role("tab", name="Train")).to_have_attribute("aria-selected", "true")
    expect(page.locator("[name=hidden_layer_sizes]")).to_have_value("16")
    before = versions(page)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.locator("#train-status")).to_contain_text("Done", timeout=60_000)
    expect(page.get_by_test_id("chart-loss")).to_have_attribute("data-points", "6")
    expect(page.get_by_test_id("chart-accuracy")).to_have_attribute("data-points", "6")
    # Whole epochs on the x axis; the legend shows the last epoch's values, never "--".
    ticks = page.get_by_test_id("chart-loss").get_attribute("data-x-ticks").split()
    assert ticks and all(float(t) == int(float(t)) for t in ticks), ticks
    values = page.get_by_test_id("chart-loss").locator(".u-legend .u-series .u-value")
    expect(values).to_have_count(3)
    expect(values.nth(0)).to_have_text("6")  # the epoch
    for i in (1, 2):  # training and validation loss at epoch 6
        expect(values.nth(i)).to_have_text(re.compile(r"^\d+\.\d{4}$"))
    # Each chart's text alternative: the last epoch in words, every epoch in a table.
    loss_data = page.get_by_test_id("chart-loss").locator("details.chart-data")
    expect(loss_data.locator("summary")).to_contain_text(
        re.compile(r"Epoch 6: training \d+\.\d{4}; validation \d+\.\d{4} \(data table\)"))
    expect(loss_data.locator("tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("chart-accuracy").locator("thead")).to_contain_text(
        "validation accuracy")
    expect(page.locator("#train-bar")).to_have_attribute("value", "1")
    result = page.locator("#train-result")
    expect(result).to_contain_text("Registered v1.0_")
    # b, d, f and "none of these"
    expect(result.locator("table.metrics tbody tr")).to_have_count(4)
    expect(result.locator("table.confusion tbody td")).to_have_count(16)
    expect(result.locator("table.confusion thead")).to_contain_text("none of these")
    after = versions(page)
    assert len(after) == len(before) + 1
    page.get_by_role("tab", name="Models").click()
    expect(page.locator("#models-table tbody tr")).to_have_count(2)


def test_javascript_train_reports_every_epoch(context):
    page = open_app(context)
    out = page.evaluate("""async () => {
        const seen = [];
        const entry = await window.mlp.train(
            {hyperparameters: {hidden_layer_sizes: [8], max_epochs: 4, patience: 50},
             data: {n_samples: 300}, promote: true},
            (p) => seen.push(p));
        return {entry, seen};
    }""")
    epochs = [p["epoch"] for p in out["seen"] if not p.get("done")]
    assert epochs == [1, 2, 3, 4] and out["seen"][-1]["done"]
    entry = out["entry"]
    assert entry["is_production"] and entry["version"].startswith("v1.0_")
    bits = as_bits(DRAWINGS["b"][0])
    assert page.evaluate("p => window.mlp.predict(p)", bits)["model_version"] == entry["version"]
    err = page.evaluate("""() => window.mlp.train({hyperparameters: {activation: "swish"}})
        .then(() => null, (e) => e.message)""")
    assert "activation must be one of" in err


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_files_arrive_with_the_first_training_and_a_failed_download_is_retried(
        context, name):
    """The site's wheel leaves the data files (fonts.npz, handwriting.npz) out; the first
    training fetches them. If one fails, the training says which file and why, changes
    nothing, and the next one fetches again."""
    context.route(f"**/{name}", lambda route: route.fulfill(status=404, body="Not Found"))
    page = open_app(context)
    before = versions(page)
    small = {"hyperparameters": {"hidden_layer_sizes": [8], "max_epochs": 2},
             "data": {"n_samples": 300, "fonts": 0.3, "handwriting": 0.3}}
    err = page.evaluate("c => window.mlp.train(c).then(() => null, (e) => e.message)", small)
    assert f"could not download {name} (HTTP 404)" in err
    assert versions(page) == before
    context.unroute(f"**/{name}")
    entry = page.evaluate("c => window.mlp.train(c)", small)
    assert entry["dataset_info"]["fonts"] == entry["dataset_info"]["handwriting"] == 0.3
    assert len(versions(page)) == len(before) + 1
    assert entry["metrics"]["handwriting"]["role"] == "evaluation"


# Bounded waits for the page's own promises (evaluate has no timeout of its own).
WITHIN = """([what, ms]) => Promise.race([eval(what), new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))])"""


def test_what_a_first_training_needs_is_made_while_the_page_is_quiet(context):
    """Once the page has asked nothing for a second, the worker fetches the data files
    and makes what a first training would (mlp_core/training/preparation.py), a small
    step at a time; while the page keeps asking, it waits."""
    asked = []
    context.on("request", lambda r: asked.append(r.url.rsplit("/", 1)[-1]))
    page = open_app(context)
    bits = as_bits(DRAWINGS["b"][0])
    # Asking every 100 ms for 6 s: the later parts and data files arrive (2 s after
    # ready), but no step is made while the page is busy.
    busy = page.evaluate("""async (bits) => {
        const end = performance.now() + 6000;
        while (performance.now() < end) {
            await window.mlp.predict(bits, {log: false});
            await new Promise((r) => setTimeout(r, 100));
        }
        return (await window.mlp.health()).training_prepared; }""", bits)
    assert busy is False
    assert set(DATA_FILES) <= set(asked)  # fetched without a training asking
    assert page.evaluate(WITHIN, ["window.mlp.trainingPrepared", 60_000]) is True
    assert page.evaluate("window.mlp.health()")["training_prepared"] is True
    # A fine-tuning then fetches nothing more, and goes as before.
    fetched = len(asked)
    page.evaluate("b => window.mlp.samples.add('b', b, {split: 'train'})", bits)
    entry = page.evaluate("window.mlp.fineTune({finetune: {epochs: 2}})")
    assert entry["lineage"]["parent"] and asked[fetched:] == []


def test_cancel_stops_and_leaves_registry_unchanged(context):
    page = open_app(context, "?hidden=128&max_epochs=400&patience=400&n_samples=20000")
    before = page.evaluate("window.mlp.registry.export()")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("chart-loss")).to_have_attribute(
        "data-points", re.compile(r"^([2-9]|\d\d+)$"), timeout=60_000)
    # The page stays responsive while training: a prediction goes through.
    assert page.evaluate("window.mlp.predict(new Array(100).fill(0))")["letter"]
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#train-error")).to_contain_text("Cancelled", timeout=30_000)
    points = int(page.get_by_test_id("chart-loss").get_attribute("data-points"))
    assert points < 400
    assert page.evaluate("window.mlp.registry.export()") == before
    page.reload()
    page.evaluate("window.mlp.ready")
    assert page.evaluate("window.mlp.registry.export()") == before


def test_promote_when_done_then_reload_keeps_it(context):
    page = open_app(context, SMALL + "&promote=1")
    expect(page.locator("[name=promote]")).to_be_checked()
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.locator("#train-result")).to_contain_text("in production", timeout=60_000)
    version = page.evaluate("window.mlp.modelInfo()")["version"]
    draw(page, DRAWINGS["d"][0])
    expect(page.get_by_test_id("prediction-letter")).not_to_have_text("?")
    assert page.evaluate("window.mlp.predict(window.mlp.grid.pattern())")[
        "model_version"] == version
    page.reload()
    page.evaluate("window.mlp.ready")
    assert page.evaluate("window.mlp.modelInfo()")["version"] == version
    expect(page.locator("#model-info")).to_contain_text(version)


def test_setup_is_shared_as_a_link(context):
    page = open_app(context)
    page.get_by_role("tab", name="Train").click()
    page.locator("[name=hidden_layer_sizes]").fill("32, 16")
    page.locator("[name=activation]").select_option("tanh")
    page.locator("[name=learning_rate]").fill("0.2")
    expect(page).to_have_url(re.compile(r"learning_rate=0\.2"))
    url = page.url
    assert "hidden_layer_sizes=32" in url and "activation=tanh" in url
    other = context.new_page()
    other.goto(url)
    expect(other.get_by_role("tab", name="Train")).to_have_attribute("aria-selected", "true")
    other.evaluate("window.mlp.ready")  # the form is made from mlp.settings()
    expect(other.locator("[name=hidden_layer_sizes]")).to_have_value("32, 16")
    expect(other.locator("[name=activation]")).to_have_value("tanh")
    expect(other.locator("[name=learning_rate]")).to_have_value("0.2")


def test_a_status_line_gives_way_to_the_next_and_expires(context):
    # The page's clock is Playwright's: it runs as usual until the test jumps it ahead.
    context.clock.install()
    page = open_app(context)
    page.get_by_role("tab", name="My data").click()
    status = page.locator("#sample-status")

    def add(letter: str) -> None:
        draw(page, DRAWINGS[letter][0])
        page.locator("#sample-label").select_option(letter)
        page.get_by_role("button", name="Add example").click()
        expect(status).to_contain_text(f"Added an example of {letter}")

    add("b")
    page.clock.fast_forward("00:10")
    add("d")  # replaces the b message, and its 15 s: b's would end 5 s from here
    page.clock.fast_forward("00:09")
    expect(status).to_contain_text("Added an example of d")
    page.clock.fast_forward("00:07")  # STATUS_MS (15 s) after the d message
    expect(status).to_have_text("")
    # An offer (Undo) is not taken away on a timer: it stays until the next message.
    page.locator("#sample-list li").first.get_by_role("button", name=re.compile("delete")).click()
    undo = page.locator("#examples-status").get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    page.clock.fast_forward("01:00")
    expect(undo).to_be_visible()
    undo.click()
    expect(page.locator("#examples-status")).to_contain_text("is back")
    expect(page.locator("#examples-status")).to_be_focused()  # focus is not lost with Undo


def test_own_examples_and_a_new_letter(context):
    page = open_app(context)
    page.get_by_role("tab", name="My data").click()
    draw(page, X_ROWS)
    # Before x is one of the letters, the default model says it is none of them.
    expect(page.get_by_test_id("prediction-letter")).to_have_text("Doesn't look like b, d, or f")
    expect(page.get_by_test_id("prediction-confidence")).to_contain_text("closest:")
    page.get_by_label("New letter").fill("x")
    page.get_by_role("button", name="Add from my drawing").click()
    expect(page.locator("#class-list li[data-letter=x]")).to_be_visible()
    expect(page.locator("#sample-label")).to_have_value("x")
    for _ in range(3):
        page.get_by_role("button", name="Add example").click()
    draw(page, DRAWINGS["b"][1])
    page.locator("#sample-label").select_option("b")
    page.get_by_role("button", name="Add example").click()
    expect(page.locator("#sample-list li")).to_have_count(4)
    expect(page.locator("#sample-list canvas").first).to_be_visible()
    page.get_by_role("button", name="delete example 4 (b)").click()
    expect(page.locator("#sample-list li")).to_have_count(3)
    # Undo brings it back (the same drawing and use); deleting again sticks.
    before = page.evaluate("window.mlp.samples.list()")
    status = page.locator("#examples-status")
    expect(status).to_contain_text("Deleted an example of b.")
    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("The example of b is back.")
    expect(page.locator("#sample-list li")).to_have_count(4)
    back = page.evaluate("window.mlp.samples.list()")[-1]
    assert (back["label"], back["pattern"]) == ("b", as_bits(DRAWINGS["b"][1]))
    page.get_by_role("button", name=f"delete example {back['id']} (b)").click()
    expect(page.locator("#sample-list li")).to_have_count(3)
    assert page.evaluate("window.mlp.samples.list()") == before
    listed = page.evaluate("window.mlp.samples.list()")
    assert [s["label"] for s in listed] == ["x"] * 3
    assert [s["split"] for s in listed].count("test") == 1  # 30% of 3, held out
    err = page.evaluate("""() => window.mlp.classes.add("b", new Array(100).fill(1))
        .then(() => null, (e) => e.message)""")
    assert "already a letter called 'b'" in err

    entry = page.evaluate("""() => window.mlp.train({
        hyperparameters: {hidden_layer_sizes: [32], activation: "relu", learning_rate: 0.05,
                          momentum: 0.9, max_epochs: 40},
        data: {n_samples: 1500, augment: 0.3}, promote: true})""")
    assert entry["classes"] == ["b", "d", "f", "x"]
    assert entry["dataset_info"]["user_samples"] == 2  # the test drawing is not trained on
    draw(page, X_ROWS)
    expect(page.get_by_test_id("prediction-letter")).to_have_text("x")
    expect(page.locator("#bars li")).to_have_count(5)  # b, d, f, x and none of these
    page.reload()
    page.evaluate("window.mlp.ready")
    page.get_by_role("tab", name="My data").click()
    expect(page.locator("#sample-list li")).to_have_count(3)
    page.get_by_role("button", name="delete letter x").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#class-list li[data-letter=x]")).to_have_count(0)
    assert page.evaluate("window.mlp.samples.list()") == []


def test_export_then_import_into_a_fresh_profile(context, chromium, tmp_path):
    page = open_app(context)
    page.evaluate("""() => window.mlp.train({hyperparameters: {hidden_layer_sizes: [8],
        max_epochs: 3}, data: {n_samples: 300}})""")
    page.get_by_role("tab", name="Models").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export all").click()
    path = tmp_path / "bundle.json"
    download.value.save_as(path)
    bundle = json.loads(path.read_text())
    assert len(bundle["models"]) == 2
    assert bundle["schema_version"] == registry.SCHEMA_VERSION

    fresh = chromium.new_context()
    try:
        other = fresh.new_page()
        other.goto(context.url)
        other.evaluate("window.mlp.ready")
        other.get_by_role("tab", name="Models").click()
        other.locator("#import-file").set_input_files(str(path))
        expect(other.locator("#models-status")).to_contain_text("Imported 1 model")
        expect(other.locator("#models-table tbody tr")).to_have_count(2)
        assert other.evaluate("window.mlp.registry.export()") == bundle
    finally:
        fresh.close()


def test_broken_bundle_file_is_refused_with_reason(context, tmp_path):
    page = open_app(context)
    before = page.evaluate("window.mlp.registry.export()")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(before)[:-40])
    page.get_by_role("tab", name="Models").click()
    page.locator("#import-file").set_input_files(str(broken))
    expect(page.locator("#models-error")).to_contain_text("broken.json was not imported, "
                                                          "nothing changed: not valid JSON")
    assert page.evaluate("window.mlp.registry.export()") == before


def test_compare_run_all_delete_and_reset(context):
    page = open_app(context)
    trained = page.evaluate("""() => window.mlp.train({hyperparameters: {hidden_layer_sizes: [8],
        max_epochs: 3}, data: {n_samples: 300}})""")["version"]
    page.get_by_role("tab", name="Models").click()
    expect(page.locator("#models-table tbody tr")).to_have_count(2)
    for cb in page.locator("#models-table tbody input[type=checkbox]").all():
        cb.check()
    page.get_by_role("button", name="Compare selected").click()
    side = page.get_by_role("table", name="Side by side")
    expect(side).to_contain_text("Hidden layers8128")
    # Data settings and the test drawings too: every setting that may differ.
    expect(side.get_by_role("row", name="Samples")).to_contain_text("300")
    recipe = settings.PRESETS[settings.DEFAULT_PRESET].data  # the default model's
    expect(side.get_by_role("row", name="Font share")).to_contain_text(str(recipe["fonts"]))
    expect(side.get_by_role("row", name="Handwriting share")).to_contain_text(
        str(recipe["handwriting"]))
    expect(side.get_by_role("row", name="Test drawings")).to_contain_text("no test drawings")
    # The longer history of the two: the default model's.
    epochs = len(store.read_registry(store.DEFAULT_BUNDLE)["models"][0]["model"]["history"][
        "train_loss"])
    expect(page.get_by_test_id("chart-compare")).to_have_attribute("data-points", str(epochs))
    draw(page, DRAWINGS["f"][0])
    page.get_by_role("button", name="Run my drawing through every model").click()
    expect(page.locator("#run-all-result tbody tr")).to_have_count(2)
    page.locator("#models-table thead button[data-sort=accuracy]").click()
    expect(page.locator("#models-table thead th:has(button[data-sort=accuracy])")
           ).to_have_attribute("aria-sort", "ascending")
    lowest = min(page.evaluate("window.mlp.registry.list()"), key=lambda m: m["accuracy"])
    expect(page.locator("#models-table tbody tr").first).to_have_attribute(
        "data-version", lowest["version"])
    page.locator("#models-table thead button[data-sort=accuracy]").click()
    expect(page.locator("#models-table tbody tr").last).to_have_attribute(
        "data-version", lowest["version"])
    page.get_by_role("button", name=f"delete {trained}").click()
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#models-table tbody tr")).to_have_count(2)
    page.get_by_role("button", name=f"delete {trained}").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#models-table tbody tr")).to_have_count(1)
    page.evaluate("""() => window.mlp.train({hyperparameters: {hidden_layer_sizes: [8],
        max_epochs: 2}, data: {n_samples: 300}, promote: true})""")
    page.get_by_role("button", name="Reset to default models").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#models-status")).to_contain_text("back to the default models")
    assert len(versions(page)) == 1
    expect(page.locator("#weights canvas")).to_have_count(128)
