"""The page fits any screen, text size and font: in English and Spanish, with every tab
selected and the promote and export dialogs open, nothing scrolls the page sideways, no
text spills out of its box, every control can be reached (WCAG 1.4.10 Reflow, 1.4.4
Resize text), and at 320 px the grid's cells and the buttons are at least 24 x 24 px (2.5.8
Target size). Views (tests/layout_checks.py): 1280 and 390 px, 320 px, the text at 200% on
a phone and on a laptop, and DejaVu Sans Mono in place of the page's fonts on a phone. One
page per language; each view changes the window and the style in place."""

from __future__ import annotations

import pytest
from browser import app_page
from drawings import DRAWINGS, as_bits
from layout_checks import RESTYLE, STYLES, TABS, TOUR, VIEWS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"viewport": {"width": 1280, "height": 800}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                   "has_touch": True}}
LOCALES = {"en": "en-US", "es": "es-ES"}
SMALL = {"hyperparameters": {"hidden_layer_sizes": [8], "max_epochs": 2},
         "data": {"n_samples": 200}}


def inside(box: dict, viewport: dict) -> bool:
    return (box["x"] >= -0.5 and box["y"] >= -0.5
            and box["x"] + box["width"] <= viewport["width"] + 0.5
            and box["y"] + box["height"] <= viewport["height"] + 0.5)


def fill(page) -> str:
    """Content that makes the page wide: a second model with a long version, test
    drawings, a logged prediction. Returns the new model's version."""
    version = page.evaluate("c => window.mlp.train(c)", SMALL)["version"]
    for k in "bdf":
        page.evaluate("([l, p]) => window.mlp.samples.add(l, p, {split: 'test'})",
                      [k, as_bits(DRAWINGS[k][0])])
    page.evaluate("p => window.mlp.predict(p)", as_bits(DRAWINGS["b"][0])[:80] + [0] * 20)
    return version


def dialogs(lang: str, version: str) -> list[list[str]]:
    """The promote and export dialogs of `version`: [name, the label of its button]."""
    labels = {"promote": {"en": "promote {v}", "es": "pasar {v} a producción"},
              "export": {"en": "export {v}", "es": "exportar {v}"}}
    return [[name, label[lang].format(v=version)] for name, label in labels.items()]


# The preset menu's longest choice against the room its box has for it (less the arrow).
PRESET_FITS = """() => {
    const select = document.querySelector("#train-form [name=preset]");
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widths = [...select.options].map((o) => context.measureText(o.text).width);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return { text: Math.ceil(Math.max(...widths)), room: select.clientWidth - padding - 20,
             labels: [...select.options].map((o) => o.text) };
}"""


@pytest.mark.parametrize("lang", LOCALES)
def test_every_tab_and_dialog_fits_every_view(chromium, server, lang):
    findings: list[str] = []
    with app_page(chromium, server.url, locale=LOCALES[lang],
                  viewport={"width": 1280, "height": 800}) as page:
        version = fill(page)
        for view, (width, height, style) in VIEWS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate(RESTYLE, STYLES[style])
            findings += [f"{view} {f}" for f in page.evaluate(TOUR, {
                "tabs": TABS, "dialogs": dialogs(lang, version), "targets": width <= 320})]
            if width <= 320:
                cell = page.locator("#grid button").first.bounding_box()
                if min(cell["width"], cell["height"]) < 24:
                    findings.append(f"{view}: a grid cell is {cell['width']:.1f} px wide")
            if view == "laptop":  # a select may cut its choice (not on a laptop, though)
                page.locator("#tab-train").click()
                fits = page.evaluate(PRESET_FITS)
                if fits["text"] > fits["room"]:
                    findings.append(f"{view}: the preset menu cuts its choices {fits}")
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


def test_on_a_phone_the_hint_speaks_touch_and_a_language_switch_keeps_the_drawing(
        chromium, server):
    with app_page(chromium, server.url, locale="en-US", **SIZES["phone"]) as page:
        hint = page.locator("#draw-hint")
        expect(hint).to_contain_text("tap Erase")
        expect(hint).not_to_contain_text("right-click")

        # Switching the language reloads the page; the drawing stays, and is read again.
        for i, v in enumerate(as_bits(DRAWINGS["b"][0])):
            if v:
                page.get_by_label(f"row {i // 10 + 1} column {i % 10 + 1}", exact=True).tap()
        drawn = page.evaluate("[...document.querySelectorAll('#grid button')]"
                              ".map((b) => b.getAttribute('aria-pressed') === 'true' ? 1 : 0)")
        with page.expect_navigation():
            page.locator("#language").select_option("es")
        page.evaluate("window.mlp.ready")
        expect(page.locator("#draw-hint")).to_contain_text("toca Goma")
        kept = page.evaluate("[...document.querySelectorAll('#grid button')]"
                             ".map((b) => b.getAttribute('aria-pressed') === 'true' ? 1 : 0)")
        assert kept == drawn == as_bits(DRAWINGS["b"][0])
        expect(page.get_by_test_id("prediction-letter")).to_have_text("b")


@pytest.mark.parametrize("size", SIZES)
def test_training_progress_comes_into_view(chromium, server, size):
    viewport = SIZES[size]["viewport"]
    setup = "?hidden_layer_sizes=8&max_epochs=400&patience=400&n_samples=300"
    with app_page(chromium, server.url + setup, **SIZES[size]) as page:
        page.locator("#train-start").click()  # scrolled just into view, at the bottom
        status = page.locator("#train-status")
        expect(status).to_contain_text("Epoch", timeout=60_000)
        assert inside(status.bounding_box(), viewport), status.bounding_box()
        page.locator("#train-cancel").click()


# Firefox and WebKit: the app at 390 px (no touch), filled as above, every tab and dialog.
READY = """async () => {
    while (!window.mlp) await new Promise((r) => setTimeout(r, 50));
    await window.mlp.ready;
    return innerWidth;  // the window, its scroll bar included (Firefox's takes 12 px)
}"""
FILL = """async ({ small, drawings, partial }) => {
    const { version } = await window.mlp.train(small);
    for (const [letter, pattern] of drawings) {
        await window.mlp.samples.add(letter, pattern, { split: "test" });
    }
    await window.mlp.predict(partial);
    return version;
}"""
# A 390 x 844 window for WebKit: MiniBrowser's window cannot be narrower than 447 px, so the
# app runs in a frame of that size (its viewport is the frame: media queries, vw, layout).
PHONE_FRAME = ('<!doctype html><meta charset="utf-8"><style>body { margin: 0 }</style>'
               '<iframe src="/" width="390" height="844" style="border: 0"></iframe>')


@pytest.mark.parametrize("name", ["firefox", "webkit"])
def test_a_phone_sized_window_fits_in_firefox_and_webkit(name, dist, tmp_path):
    from browser import Server
    from engines import Firefox, WebKit, missing

    if missing():
        pytest.fail(f"the cross-engine tests need: {', '.join(missing())} (`make test` "
                    "installs them)")
    (tmp_path / "phone.html").write_text(PHONE_FRAME)
    server = Server(dist, extra=tmp_path)
    engine = Firefox() if name == "firefox" else WebKit()
    try:
        if name == "firefox":
            engine.goto(server.url)
            engine.resize(390, 844)
        else:
            engine.goto(server.url + "__tests__/phone.html")
            engine.enter_frame("iframe")
        assert engine.run(READY, seconds=120) == 390
        version = engine.run(FILL, {
            "small": SMALL, "drawings": [[k, as_bits(DRAWINGS[k][0])] for k in "bdf"],
            "partial": as_bits(DRAWINGS["b"][0])[:80] + [0] * 20}, seconds=120)
        findings = engine.run(TOUR, {"tabs": TABS, "dialogs": dialogs("en", version),
                                     "targets": False}, seconds=180)
        assert not findings, f"{len(findings)} findings in {name}:\n" + "\n".join(findings)
    finally:
        engine.close()
        server.close()
