"""The page, through its UI and window.mlp, in headless Chromium."""

from __future__ import annotations

import json
import re

import pytest
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect

import build
from mlp_core import MLP, make_dataset, registry
from mlp_core.registry import store

pytestmark = pytest.mark.browser


def draw(page, rows) -> None:
    """Click every inked cell of a drawing, as a person would."""
    page.get_by_role("button", name="Clear").click()
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            if ch == "#":
                page.get_by_label(f"row {r + 1} column {c + 1}", exact=True).click()


def test_loads_with_visible_steps_and_health(context):
    page = context.new_page()
    page.goto(context.url)
    expect(page.locator('[data-step="runtime"]')).to_be_visible()
    page.evaluate("window.mlp.ready")
    expect(page.get_by_test_id("health")).to_contain_text("ready")
    expect(page.locator("#loading")).to_be_hidden()
    expect(page.locator("#model-info")).to_contain_text("v1.0_")
    expect(page.locator("#model-info")).to_contain_text("100 → 128 → 4")


def test_a_first_visit_shows_bytes_downloaded_out_of_the_total(context, dist):
    page = context.new_page()
    page.goto(context.url)
    expect(page.locator("#download-text")).to_contain_text(" MB", timeout=30_000)
    page.evaluate("window.mlp.ready")
    # Pyodide's scripts are imported, not fetched; the later parts come after ready.
    total = sum(p.stat().st_size for p in (dist / "pyodide").iterdir()
                if p.name not in ("pyodide.mjs", "pyodide.asm.js", build.LATER))
    total += (dist / "registry.json").stat().st_size
    bar = page.evaluate("(b => [b.value, b.max])(document.getElementById('download-bar'))")
    assert bar == [total, total]  # every byte the start fetched, counted
    expect(page.locator("#download-text")).to_have_text(
        f"Downloaded {total / 1e6:.1f} of {total / 1e6:.1f} MB")


@pytest.mark.parametrize("letter", ["b", "d", "f"])
def test_draw_each_letter_by_clicking_cells(app, letter):
    for rows in DRAWINGS[letter][:2]:
        draw(app, rows)
        expect(app.get_by_test_id("prediction-letter")).to_have_text(letter)
        expect(app.get_by_test_id("prediction-confidence")).to_contain_text("% sure")
        expect(app.locator("#bars li")).to_have_count(4)  # b, d, f and none of these
        expect(app.locator("#bars li.best")).to_have_attribute("data-letter", letter)


def test_predict_button_clear_and_empty_grid(app):
    app.get_by_role("button", name="Predict").click()
    expect(app.get_by_test_id("prediction-confidence")).to_contain_text("grid is empty")
    draw(app, DRAWINGS["f"][0])
    app.get_by_role("button", name="Predict").click()
    expect(app.get_by_test_id("prediction-letter")).to_have_text("f")
    app.get_by_role("button", name="Clear").click()
    expect(app.get_by_test_id("prediction-letter")).to_have_text("?")
    assert app.evaluate("window.mlp.grid.isEmpty()")


def test_drag_right_click_erase_and_keyboard(app):
    cell = lambda r, c: app.get_by_label(f"row {r} column {c}", exact=True)  # noqa: E731
    box = cell(2, 2).bounding_box()
    end = cell(2, 6).bounding_box()
    app.mouse.move(box["x"] + 5, box["y"] + 5)
    app.mouse.down()
    app.mouse.move(end["x"] + 5, end["y"] + 5, steps=12)
    app.mouse.up()
    for c in range(2, 7):  # a dragged stroke paints every cell it crosses
        expect(cell(2, c)).to_have_attribute("aria-pressed", "true")
    cell(2, 4).click(button="right")
    expect(cell(2, 4)).to_have_attribute("aria-pressed", "false")
    app.get_by_label("Erase").check()
    cell(2, 5).click()
    expect(cell(2, 5)).to_have_attribute("aria-pressed", "false")
    app.get_by_label("Erase").uncheck()
    cell(5, 5).focus()
    app.keyboard.press("ArrowDown")
    app.keyboard.press("ArrowRight")
    app.keyboard.press("Space")
    expect(cell(6, 6)).to_have_attribute("aria-pressed", "true")
    expect(cell(6, 6)).to_be_focused()
    # A scribble: a letter or "none of these", with its probability either way.
    expect(app.get_by_test_id("prediction-confidence")).to_contain_text("%")


def _fast_stroke(page, start, end, button="left"):
    """Press in cell `start` (row, column; from 1), ONE pointer move to cell `end`, release;
    give back the cells the straight line between those points crosses (from their boxes,
    sampled along it) and the cells whose centres lie within 0.75 cell of it, as (row,
    column) sets from 0."""
    boxes = page.evaluate("""[...document.querySelectorAll('#grid button')].map(b => {
        const r = b.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })""")
    # Off-centre on purpose: the line need not run through the cells' corners.
    (x0, y0), (x1, y1) = ((boxes[(r - 1) * 10 + c - 1][0] + boxes[0][2] * 0.3,
                           boxes[(r - 1) * 10 + c - 1][1] + boxes[0][3] * 0.6)
                          for r, c in (start, end))
    page.mouse.move(x0, y0)
    page.mouse.down(button=button)
    page.mouse.move(x1, y1, steps=1)
    page.mouse.up(button=button)
    crossed, near = set(), set()
    pitch = boxes[1][0] - boxes[0][0]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    for i, (left, top, w, h) in enumerate(boxes):
        cx, cy = left + w / 2, top + h / 2
        if abs((x1 - x0) * (cy - y0) - (y1 - y0) * (cx - x0)) / length <= 0.75 * pitch:
            near.add(divmod(i, 10))
    for k in range(2001):
        x, y = x0 + (x1 - x0) * k / 2000, y0 + (y1 - y0) * k / 2000
        crossed |= {divmod(i, 10) for i, (left, top, w, h) in enumerate(boxes)
                    if left <= x < left + w and top <= y < top + h}
    return crossed, near


def _cells(page, value):
    return {divmod(i, 10) for i, v in enumerate(page.evaluate("window.mlp.grid.pattern()"))
            if v == value}


def test_a_fast_stroke_inks_every_cell_on_its_line(app):
    """One pointermove from corner to corner (a quick flick): every cell between is inked,
    not only the two under the events; erasing (on ink, or the right button) likewise."""
    for start, end in [((1, 1), (10, 10)), ((2, 1), (5, 10)), ((10, 3), (1, 6))]:
        app.get_by_role("button", name="Clear").click()
        crossed, near = _fast_stroke(app, start, end)
        inked = _cells(app, 1)
        assert crossed <= inked <= near, (start, end, sorted(inked))
        assert len(crossed) >= 10
    for start, end, button in [((1, 10), (10, 1), "left"), ((3, 10), (6, 1), "right")]:
        app.evaluate("window.mlp.grid.setPattern(new Array(100).fill(1))")
        crossed, near = _fast_stroke(app, start, end, button)
        erased = _cells(app, 0)
        assert crossed <= erased <= near, (start, end, button, sorted(erased))
    # A whole diagonal, with no gap a person could see.
    app.get_by_role("button", name="Clear").click()
    _fast_stroke(app, (1, 1), (10, 10))
    assert {(i, i) for i in range(10)} <= _cells(app, 1)


def test_javascript_api(app):
    bits = as_bits(DRAWINGS["d"][0])
    result = app.evaluate("p => window.mlp.predict(p)", bits)
    assert result["letter"] == "d" and set(result["probabilities"]) == {"b", "d", "f"}
    assert result["recognized"] is True and 0 <= result["none_probability"] < 0.5
    nested = app.evaluate("p => window.mlp.predict(p)", [bits[i:i + 10] for i in range(0, 100, 10)])
    assert nested == result
    info = app.evaluate("window.mlp.modelInfo()")
    assert info["version"] == result["model_version"]
    assert app.evaluate("window.mlp.health()")["status"] == "healthy"
    listed = app.evaluate("window.mlp.registry.list()")
    assert [m["version"] for m in listed] == [info["version"]] and listed[0]["is_production"]
    assert app.evaluate("v => window.mlp.registry.get(v)", info["version"])["model"]["classes"] \
        == ["(none)", "b", "d", "f"]
    assert info["classes"] == ["b", "d", "f"] and info["rejection"]["can_reject"] is True
    bundle = app.evaluate("window.mlp.registry.export()")
    committed = store.read_registry(store.DEFAULT_BUNDLE)
    assert bundle == json.loads(registry.dumps(committed))


PLUS = ("..........", "....#.....", "....#.....", "....#.....", ".#######..",
        "....#.....", "....#.....", "....#.....", "..........", "..........")


def test_non_letters_are_said_to_be_none_of_the_letters(app):
    draw(app, PLUS)
    expect(app.get_by_test_id("prediction-letter")).to_have_text("Doesn't look like b, d, or f")
    expect(app.get_by_test_id("prediction-confidence")).to_contain_text("closest:")
    expect(app.locator("#bars li")).to_have_count(4)
    expect(app.locator("#bars li.best")).to_contain_text("none of these")
    result = app.evaluate("p => window.mlp.predict(p)", as_bits(PLUS))
    assert result["recognized"] is False and result["none_probability"] > 0.5
    assert app.evaluate("window.mlp.predict(new Array(100).fill(0))")["recognized"] is False
    # A letter again: the answer is the letter, in large type.
    app.get_by_role("button", name="Clear").click()
    draw(app, DRAWINGS["b"][0])
    expect(app.get_by_test_id("prediction-letter")).to_have_text("b")
    # The Model tab says how it decides and how it does on held-out drawings.
    expect(app.locator("#model-info")).to_contain_text('Says "none of these" for')
    info = app.evaluate("window.mlp.modelInfo()")
    assert info["open_set"]["reject_rate"] >= 0.8 and info["open_set"]["accept_rate"] >= 0.9
    expect(app.locator("#model-info")).to_contain_text(
        f"{info['open_set']['reject_rate'] * 100:.1f}%")


@pytest.mark.parametrize("pattern, message", [
    ([0] * 99, "100 values"),
    ([0] * 99 + [2], "only 0 and 1"),
    ([0] * 99 + ["1"], "use 0 or 1"),
    ("0" * 100, "not a string"),
    ("NaN", "use 0 or 1"),
    ("nested", "10 rows of 10"),
    (None, "got NoneType"),
])
def test_bad_patterns_rejected_with_message(app, pattern, message):
    if pattern == "NaN":  # JSON has no NaN: the page sends null, which is refused
        pattern = [0] * 99 + [float("nan")]
    elif pattern == "nested":
        pattern = [[0] * 10] * 9 + [[0] * 11]
    err = app.evaluate("""async p => {
        try { await window.mlp.predict(p); return null; }
        catch (e) { return {name: e.name, message: e.message}; } }""", pattern)
    assert err["name"] == "ValueError" and message in err["message"]


def _second_model_bundle() -> dict:
    model = MLP(hidden_layer_sizes=(8,), max_epochs=20, seed=5).fit(*make_dataset(300, seed=5))
    doc, _ = registry.register(registry.empty_registry(), model, accuracy=0.42)
    return doc


def test_the_facts_and_the_models_table_lead_with_real_handwriting(app):
    """Production's facts and the Models table give the real-handwriting figure first,
    then the validation accuracy; a model trained before it was measured shows "—" and
    why."""
    from test_model_card import HANDWRITING

    bundle = _second_model_bundle()
    older = MLP(hidden_layer_sizes=(8,), max_epochs=5, seed=6).fit(*make_dataset(90, seed=6))
    bundle, _ = registry.register(bundle, older, accuracy=0.41)
    measured, unmeasured = (m["version"] for m in bundle["models"])
    bundle["models"][0]["metrics"]["handwriting"] = HANDWRITING
    app.evaluate("b => window.mlp.registry.import(b)", bundle)
    app.evaluate("v => window.mlp.registry.setProduction(v)", measured)
    facts = app.locator("#model-info")
    expect(facts).to_contain_text(measured)
    assert facts.locator("dt").all_inner_texts()[:3] == [
        "Version", "Real handwriting", "Validation accuracy"]
    expect(facts.locator("dd").nth(1)).to_have_text(
        "91.0% read right: b, d, and f by 22 people it never saw, both pen widths")
    expect(facts.locator("dd").nth(2)).to_have_text(
        "42.0% on a held-out part of its own training drawings")
    app.get_by_role("tab", name="Models").click()
    headers = app.locator("#models-table thead th").all_inner_texts()
    assert headers.index("Real handwriting") == headers.index("Validation") - 1
    table = app.locator("#models-table")
    expect(table.locator(f'tr[data-version="{measured}"]').get_by_test_id("handwriting")
           ).to_have_text("91.0%")
    expect(table.locator(f'tr[data-version="{unmeasured}"]').get_by_test_id("handwriting")
           ).to_have_text("— not measured: trained before the app measured handwriting")


def test_registry_persists_across_reload(app):
    bundle = _second_model_bundle()
    version = bundle["models"][0]["version"]
    report = app.evaluate("b => window.mlp.registry.import(b)", bundle)
    assert report == {"imported": [version], "skipped": []}
    default = app.evaluate("window.mlp.modelInfo()")["version"]
    assert default != version  # importing keeps the production model
    app.evaluate("v => window.mlp.registry.setProduction(v)", version)
    expect(app.locator("#model-info")).to_contain_text(version)
    app.reload()
    app.evaluate("window.mlp.ready")
    listed = app.evaluate("window.mlp.registry.list()")
    assert {m["version"]: m["is_production"] for m in listed} == {default: False, version: True}
    # A model trained without non-letters (as every model before rejection was) says so.
    expect(app.locator("#model-info")).to_contain_text('cannot say "none of these"')
    empty = app.evaluate("p => window.mlp.predict(p)", [0] * 100)
    assert empty["model_version"] == version
    assert empty["recognized"] is True and empty["none_probability"] is None
    err = app.evaluate("""v => window.mlp.registry.delete(v).then(() => null, e => e.message)""",
                       version)
    assert "promote another model first" in err
    app.evaluate("v => window.mlp.registry.setProduction(v)", default)
    app.evaluate("v => window.mlp.registry.delete(v)", version)
    app.reload()
    app.evaluate("window.mlp.ready")
    assert [m["version"] for m in app.evaluate("window.mlp.registry.list()")] == [default]


def test_broken_import_rejected_and_nothing_changes(app):
    before = app.evaluate("window.mlp.registry.export()")
    bad = _second_model_bundle()
    bad["models"][0]["model"]["weights"][0][0][0] = "x"
    err = app.evaluate("b => window.mlp.registry.import(b).then(() => null, e => e.message)",
                       bad)
    assert re.match(r"models\[0\] \(v[^)]+\)\.model\.weights\[0\] must be nested lists of "
                    "finite numbers", err), err
    assert app.evaluate("window.mlp.registry.export()") == before


def test_offline_reload_still_predicts(context):
    page = context.new_page()
    page.goto(context.url)
    page.evaluate("window.mlp.ready")
    page.evaluate("navigator.serviceWorker.ready")
    expect(page.get_by_test_id("health")).to_contain_text("works offline")
    context.set_offline(True)
    page.reload()
    page.evaluate("window.mlp.ready")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    draw(page, DRAWINGS["b"][0])
    expect(page.get_by_test_id("prediction-letter")).to_have_text("b")
    context.set_offline(False)


def test_unsupported_browser_is_told_in_words(context):
    page = context.new_page()
    page.add_init_script("delete window.WebAssembly")
    page.goto(context.url)
    expect(page.locator("#load-error")).to_contain_text("cannot run WebAssembly")
    expect(page.get_by_test_id("health")).to_have_text("unsupported browser")
    expect(page.get_by_role("button", name="Predict")).to_be_disabled()


IPAD_DESKTOP_SAFARI_18 = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                          "(KHTML, like Gecko) Version/18.3 Safari/605.1.15")


@pytest.mark.parametrize("touch_points, refused", [(5, True), (0, False)])
def test_ipad_safari_18_in_desktop_mode_is_told_instead_of_crashing(chromium, server,
                                                                     touch_points, refused):
    """Pyodide 0.27.7 crashes Safari on iPadOS 18 in desktop mode (pyodide#5670); the
    same user agent on a Mac (no touch) starts as usual."""
    ctx = chromium.new_context(user_agent=IPAD_DESKTOP_SAFARI_18)  # a Mac's too
    try:
        ctx.add_init_script(f"""const N = Navigator.prototype;
            Object.defineProperty(N, "platform", {{ get: () => "MacIntel" }});
            Object.defineProperty(N, "maxTouchPoints", {{ get: () => {touch_points} }});""")
        page = ctx.new_page()
        page.goto(server.url)
        if refused:
            expect(page.locator("#load-error")).to_contain_text("Request Mobile Website")
            expect(page.get_by_test_id("health")).to_have_text("unsupported browser")
        else:
            assert page.evaluate("window.mlp.ready")["status"] == "healthy"
    finally:
        ctx.close()


def test_failed_load_says_why_and_offers_retry(context):
    context.route("**/numpy-*.whl", lambda route: route.abort())
    page = context.new_page()
    page.goto(context.url)
    expect(page.locator("#load-error")).to_contain_text("could not download numpy-2.0.2",
                                                        timeout=30_000)
    expect(page.locator('[data-step="packages"]')).to_have_class("failed")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    context.unroute("**/numpy-*.whl")
    with page.expect_navigation(wait_until="domcontentloaded"):  # module scripts have run
        page.get_by_role("button", name="Retry").click()
    page.evaluate("window.mlp.ready")
    expect(page.locator("#loading")).to_be_hidden()


def test_touch_paints_cells(chromium, server):
    ctx = chromium.new_context(has_touch=True, viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(server.url)
        page.evaluate("window.mlp.ready")
        cell = page.get_by_label("row 3 column 4", exact=True)
        cell.tap()
        expect(cell).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("prediction-confidence")).to_contain_text("%")
    finally:
        ctx.close()
