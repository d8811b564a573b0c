"""The page fits the screen: no tab scrolls the page sideways, every tab can be reached,
and the dialog fits the viewport with its buttons in view, on a 1280x800 desktop and a
390x844 phone (touch), in English and Spanish."""

from __future__ import annotations

import pytest
from browser import app_page
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"viewport": {"width": 1280, "height": 800}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                   "has_touch": True}}
LOCALES = {"en": "en-US", "es": "es-ES"}
TABS = ("tab-model", "tab-train", "tab-models", "tab-data", "tab-monitoring")
SMALL = {"hyperparameters": {"hidden_layer_sizes": [8], "max_epochs": 2},
         "data": {"n_samples": 200}}

# What sticks out past the right edge of the viewport, if anything.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    return { scroll: document.documentElement.scrollWidth, width };
}"""


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


def inside(box: dict, viewport: dict) -> bool:
    return (box["x"] >= -0.5 and box["y"] >= -0.5
            and box["x"] + box["width"] <= viewport["width"] + 0.5
            and box["y"] + box["height"] <= viewport["height"] + 0.5)


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("size", SIZES)
def test_every_tab_and_the_dialog_fit_the_screen(chromium, server, size, lang):
    viewport = SIZES[size]["viewport"]
    with app_page(chromium, server.url, locale=LOCALES[lang], **SIZES[size]) as page:
        # Content that made the page wide: more models, examples, logged predictions.
        candidate = page.evaluate("c => window.mlp.train(c)", SMALL)["version"]
        for k in "bdf":
            page.evaluate("([l, p]) => window.mlp.samples.add(l, p, {split: 'test'})",
                          [k, as_bits(DRAWINGS[k][0])])
        page.evaluate("p => window.mlp.predict(p)", as_bits(DRAWINGS["b"][0])[:80] + [0] * 20)
        for tab in TABS:
            button = page.locator(f"#{tab}")
            button.scroll_into_view_if_needed()
            assert inside(button.bounding_box(), viewport), f"{tab} is out of reach"
            button.click()
            expect(button).to_have_attribute("aria-selected", "true")
            # the panel has rendered what it fetches (Monitoring reads the log on show)
            expect(page.locator('[role="tabpanel"][aria-busy="true"]')).to_have_count(0)
            width = page.evaluate(OVERFLOW)
            assert width["scroll"] <= width["width"], f"{tab} scrolls the page sideways: {width}"
            if tab == "tab-train":  # the preset menu shows any choice whole
                fits = page.evaluate(PRESET_FITS)
                assert fits["text"] <= fits["room"], fits

        # The promote dialog (the widest one): inside the viewport, its button in view.
        page.locator("#tab-models").click()
        page.locator(f'button[aria-label="{promote_label(lang, candidate)}"]').click()
        dialog = page.locator("#ask")
        expect(dialog.get_by_test_id("gate-table")).to_be_visible()
        assert inside(dialog.bounding_box(), viewport), dialog.bounding_box()
        ok = page.locator("#ask-ok")
        assert inside(ok.bounding_box(), viewport), ok.bounding_box()
        assert page.evaluate(OVERFLOW)["scroll"] <= viewport["width"]
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()


def promote_label(lang: str, version: str) -> str:
    return {"en": f"promote {version}", "es": f"pasar {version} a producción"}[lang]


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
