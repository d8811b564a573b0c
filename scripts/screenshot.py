"""Take the README's screenshot of the built site: `python scripts/screenshot.py`.

Serves dist/ on localhost, draws a "b" in Chromium (as a person would, cell by cell) and
writes docs/screenshot.png (light theme) and docs/screenshot-dark.png.

`python scripts/screenshot.py --views` instead writes, for English and Spanish, each tab
at 320 px wide (WCAG reflow) and on a 390 px phone with the text at 200%, to
docs/images/views/<view>-<tab>-<lang>.png (the tabs and the open panel; 64-colour PNGs).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, Server, chromium_path  # noqa: E402
from drawings import DRAWINGS, as_bits  # noqa: E402
from layout_checks import RESTYLE, STYLES, TABS, VIEWS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

SHOWN_VIEWS = ("reflow-320", "phone-text-200")


def main() -> None:
    server = Server(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for scheme, name in (("light", "screenshot.png"), ("dark", "screenshot-dark.png")):
                ctx = browser.new_context(color_scheme=scheme,
                                          viewport={"width": 1200, "height": 760})
                page = ctx.new_page()
                page.goto(server.url)
                page.evaluate("window.mlp.ready")
                for r, row in enumerate(DRAWINGS["b"][0]):
                    for c, ch in enumerate(row):
                        if ch == "#":
                            page.get_by_label(f"row {r + 1} column {c + 1}", exact=True).click()
                page.get_by_role("button", name="Predict").click()
                page.wait_for_timeout(300)
                page.screenshot(path=ROOT / "docs" / name)
                ctx.close()
            browser.close()
    finally:
        server.close()


def views() -> None:
    from PIL import Image

    out = ROOT / "docs" / "images" / "views"
    out.mkdir(parents=True, exist_ok=True)
    server = Server(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for lang, locale in (("en", "en-US"), ("es", "es-ES")):
                ctx = browser.new_context(locale=locale, color_scheme="light")
                page = ctx.new_page()
                page.goto(server.url)
                page.evaluate("window.mlp.ready")
                page.evaluate("p => window.mlp.predict(p)", as_bits(DRAWINGS["b"][0]))
                for view in SHOWN_VIEWS:
                    width, height, style = VIEWS[view]
                    page.set_viewport_size({"width": width, "height": height})
                    page.evaluate(RESTYLE, STYLES[style])
                    for tab in TABS:
                        page.locator(f"#{tab}").click()
                        page.wait_for_timeout(300)
                        path = out / f"{view}-{tab.removeprefix('tab-')}-{lang}.png"
                        page.locator(".column.wide").screenshot(path=path)
                        Image.open(path).convert("RGB").quantize(64).save(path, optimize=True)
                ctx.close()
            browser.close()
    finally:
        server.close()


if __name__ == "__main__":
    views() if sys.argv[1:] == ["--views"] else main()
