"""Take the README's screenshot of the built site: `python scripts/screenshot.py`.

Serves dist/ on localhost, draws a "b" in Chromium (as a person would, cell by cell) and
writes docs/screenshot.png (light theme) and docs/screenshot-dark.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import CHROMIUM_ARGS, Server, chromium_path  # noqa: E402
from drawings import DRAWINGS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


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


if __name__ == "__main__":
    main()
