"""The app around the recognizer: installable under a GitHub Pages project path, offline
there, offering updates, light and dark themes, and an accessibility audit (axe-core)."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest
from browser import CHROMIUM_ARGS, Server, app_page, chromium_path
from conftest import NAVIGATION_MS
from drawings import DRAWINGS, as_bits
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

ROOT_DIR = Path(__file__).resolve().parents[1]
PROJECT = "letter-recognizer"  # https://<user>.github.io/<repo>/ serves the site here
AXE = ROOT_DIR / "node_modules" / "axe-core" / "axe.min.js"
TABS = ("model", "train", "models", "data", "monitoring")  # #tab-<name>, #panel-<name>


@pytest.fixture
def project_site(dist, tmp_path):
    """A copy of the site under /letter-recognizer/, as GitHub Pages serves a project
    site; the test may change its files (a new deploy)."""
    shutil.copytree(dist, tmp_path / PROJECT)
    server = Server(tmp_path)
    server.site = tmp_path / PROJECT
    yield server
    server.close()


def ready(page):
    page.evaluate("window.mlp.ready")
    page.evaluate("navigator.serviceWorker.ready")
    expect(page.get_by_test_id("health")).to_contain_text("works offline")


def test_installable_under_a_project_path(chromium, project_site, tmp_path_factory):
    # A profile on disk: Chromium does not offer to install from an incognito one.
    ctx = chromium.browser_type.launch_persistent_context(
        tmp_path_factory.mktemp("profile"), executable_path=chromium_path(),
        args=CHROMIUM_ARGS)
    ctx.set_default_navigation_timeout(NAVIGATION_MS)
    try:
        page = ctx.new_page()
        url = project_site.url + PROJECT + "/"
        page.goto(url)
        ready(page)
        cdp = ctx.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        got = cdp.send("Page.getAppManifest")
        assert got["url"] == url + "manifest.webmanifest" and got["errors"] == []
        manifest = json.loads(got["data"])
        assert manifest["display"] == "standalone"
        assert {manifest["start_url"], manifest["scope"]} == {"./"}  # within the project
        purposes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
        assert {("192x192", "maskable"), ("512x512", "maskable"), ("512x512", "any"),
                ("any", "any")} <= purposes
        for icon in manifest["icons"]:
            response = page.request.get(url + icon["src"])
            assert response.ok and response.headers["content-type"] == icon["type"]
            if icon["type"] == "image/png":  # the size it claims (PNG header: width, height)
                width, height = struct.unpack(">II", response.body()[16:24])
                assert f"{width}x{height}" == icon["sizes"]
        assert page.locator('link[rel="icon"]').get_attribute("href") == "icons/icon.svg"
        assert "needs JavaScript" in page.locator("noscript").inner_text()
    finally:
        ctx.close()


def test_offline_and_updates_under_a_project_path(chromium, project_site):
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        errors, console = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.goto(project_site.url + PROJECT + "/")
        ready(page)
        # The first service worker taking control is not a new version.
        expect(page.locator("#notice")).to_be_hidden()

        ctx.set_offline(True)
        page.reload()
        page.evaluate("window.mlp.ready")
        bits = as_bits(DRAWINGS["b"][0])
        assert page.evaluate("p => window.mlp.predict(p)", bits)["letter"] == "b"
        ctx.set_offline(False)
        other = ctx.new_page()  # a second tab of the old version
        other.goto(project_site.url + PROJECT + "/")
        other.evaluate("window.mlp.ready")
        other.evaluate("""() => { window.switched = new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", resolve)); }""")
        page.bring_to_front()  # shown again, it looks for a new version: let it find none
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")

        # A new deploy: the page offers it, says a training in progress would be
        # cancelled, and reloads into the new version only when asked.
        sw = project_site.site / "sw.js"
        sw.write_text(sw.read_text().replace('const VERSION = "', 'const VERSION = "next-'))
        page.get_by_role("tab", name="Train", exact=True).click()
        for name in ("max_epochs", "patience"):  # a training that is still running
            page.locator(f'#train-form [name="{name}"]').fill("5000")
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.locator("#train-cancel")).to_be_enabled()
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        notice = page.locator("#notice")
        expect(notice).to_contain_text("A new version is ready", timeout=30_000)
        expect(notice).to_contain_text("cancels the training in progress")
        # Installed beside the running version, which stays in use (its cache too) until
        # the reload.
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => "
                             "r.waiting !== null)")
        assert len([k for k in page.evaluate("caches.keys()")
                    if k.startswith("letter-recognizer-")]) == 2
        try:
            with page.expect_navigation():
                notice.get_by_role("button", name="Reload now").click()
        except PlaywrightTimeoutError:  # seen twice in full runs, never alone: say more
            state = page.evaluate("""navigator.serviceWorker.getRegistration().then((r) => ({
                active: r.active?.state, waiting: r.waiting?.state,
                installing: r.installing?.state,
                controller: navigator.serviceWorker.controller?.state}))""")
            raise AssertionError(f"no reload after 'Reload now': service workers {state}, "
                                 f"notice {notice.inner_text()!r}, console {console}") from None
        page.evaluate("window.mlp.ready")
        keys = page.evaluate("caches.keys()")
        assert any(k.startswith("letter-recognizer-next-") for k in keys)
        assert not any(k.startswith("letter-recognizer-") and "next-" not in k for k in keys)
        expect(page.locator("#notice")).to_be_hidden()
        # The other tab still runs the old files under the new worker: it offers to
        # reload, and its button reloads it (no waiting worker is left to switch to).
        other.evaluate("window.switched")  # the new worker controls it already
        expect(other.locator("#notice")).to_contain_text("A new version is ready")
        with other.expect_navigation():
            other.locator("#notice").get_by_role("button", name="Reload").click()
        other.evaluate("window.mlp.ready")
        expect(other.locator("#notice")).to_be_hidden()
        assert errors == []
    finally:
        ctx.close()


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def _first_pixel(page, selector: str) -> list[int]:
    return page.locator(selector).first.evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, 1, 1).data)")


def test_theme_follows_the_system_and_the_choice_is_remembered(chromium, server):
    with app_page(chromium, server.url, color_scheme="dark") as page:
        dark = _background(page)
        weights = "#weights canvas.thumb"  # the Model tab's heat maps
        expect(page.locator(weights).first).to_be_visible()
        dark_weights = _first_pixel(page, weights)

        page.get_by_label("Theme").select_option("light")
        light = _background(page)
        assert light != dark and light == "rgb(246, 247, 251)"
        assert _first_pixel(page, weights) != dark_weights  # heat maps redrawn
        page.reload()
        page.evaluate("window.mlp.ready")
        assert _background(page) == light  # remembered, against the system's dark
        expect(page.get_by_label("Theme")).to_have_value("light")

        page.get_by_label("Theme").select_option("system")
        assert _background(page) == dark

        # A chart's lines, axes and legend follow a change of theme.
        page.goto(f"{server.url}?hidden_layer_sizes=4&max_epochs=2&n_samples=200")
        page.evaluate("window.mlp.ready")
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.locator("#train-result")).to_contain_text("v1.0_", timeout=60_000)
        legend = page.get_by_test_id("chart-loss").locator(".u-legend .u-series")
        marker = legend.nth(1).locator(".u-marker")  # the first line's (0 is the x axis)
        expect(marker).to_be_visible()
        colour = "e => getComputedStyle(e).borderTopColor"
        series = """() => { const s = document.createElement("span");
            s.style.color = "var(--series-1)"; document.body.append(s);
            const c = getComputedStyle(s).color; s.remove(); return c; }"""
        dark_series = page.evaluate(series)
        assert marker.evaluate(colour) == dark_series
        page.get_by_label("Theme").select_option("light")
        assert page.evaluate(series) != dark_series
        assert marker.evaluate(colour) == page.evaluate(series)


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_accessibility_audit_finds_nothing_on_any_tab(chromium, server, theme, locale):
    """axe-core's WCAG 2 A and AA rules, on every tab, with its content shown, in both
    themes and both languages."""
    # axe is injected as a script, which the page's CSP would block: bypassed here only.
    with app_page(chromium, server.url, color_scheme=theme, locale=locale,
                  bypass_csp=True) as page:
        page.add_script_tag(path=str(AXE))
        for tab in TABS:
            page.locator(f"#tab-{tab}").click()
            expect(page.locator(f"#panel-{tab}")).to_be_visible()
            page.wait_for_load_state("networkidle")
            result = page.evaluate("""() => axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})""")
            found = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5])
                     for v in result["violations"]]
            assert found == [], f"{theme}, {locale}, tab {tab}: {found}"
