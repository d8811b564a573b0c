"""The data and software of others are credited as their licences ask: the notices are in
the repository, the wheel and the site (precached for offline use), the page's footer
links to them in both languages, and the README and docs/evaluation.md carry UNIPEN's
attribution (CC BY 4.0)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

import build

#: The attribution UNIPEN train_r01_v07's licence asks for, word for word as the data
#: pack's README gives it (it names the licence and the changes made).
UNIPEN = ("Consortium (1999). Unipen data set of on-line (vectorial) handwriting - "
          "train_r01_v07 (December 1999) [Data set]. Zenodo. "
          "https://doi.org/10.5281/zenodo.1195803 . Licence: "
          "https://creativecommons.org/licenses/by/4.0/ . Changes: characters of categories "
          "1a-1d were cut out of the pen-data files, y was turned to point down, points were "
          "quantized into each character's bounding box and thinned, and repeated records "
          "were removed")
NOTICES = build.NOTICES.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """``text`` with every run of white space one space (lines wrap differently)."""
    return " ".join(text.split())


def test_the_notices_credit_unipen_the_fonts_and_every_program_the_site_ships():
    notices = _flat(NOTICES)
    assert UNIPEN in notices
    assert "onto a 10x10 grid" in notices  # this project's own change, on top of the pack's
    assert "vendor/licenses/fonts-copyright.txt" in notices
    for name, _, spdx, source, _ in build.THIRD_PARTY:
        assert f"| {name} | {spdx} | {source} |" in NOTICES, name


@pytest.mark.parametrize("doc", ["README.md", "docs/evaluation.md"])
def test_the_readme_and_the_evaluation_credit_unipen(doc):
    text = (build.ROOT / doc).read_text(encoding="utf-8")
    assert UNIPEN in _flat(text)
    assert "THIRD-PARTY-NOTICES.md" in text


#: The wheel of 1.0 (861,023 bytes), plus the 1 MB the handwriting data may add.
WHEEL_BUDGET = 861_023 + 1_000_000


def test_the_wheel_ships_the_notices_and_the_fonts_licences(tmp_path):
    path = build.core_wheel(tmp_path)
    assert path.stat().st_size <= WHEEL_BUDGET
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        (info,) = {n.split("/")[0] for n in names if ".dist-info/" in n}
        licenses = f"{info}/licenses/"
        assert wheel.read(licenses + "THIRD-PARTY-NOTICES.md").decode() == NOTICES
        assert (wheel.read(licenses + "vendor/licenses/fonts-copyright.txt")
                == build.FONT_LICENSES.read_bytes())
        assert {"mlp_core/data/fonts.npz", "mlp_core/data/handwriting.npz"} <= set(names)
        metadata = wheel.read(f"{info}/METADATA").decode()
    assert {"LICENSE", "THIRD-PARTY-NOTICES.md", "vendor/licenses/fonts-copyright.txt"} <= set(
        re.findall(r"^License-File: (.+)$", metadata, re.M))


class _Footer(HTMLParser):
    """The links (href and attributes) inside <footer>."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.links = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "footer":
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "footer":
            self.inside = False


def test_the_site_ships_the_notices_precached_and_the_footer_links_them(dist):
    served = (dist / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    assert served.startswith(NOTICES.strip())  # then the full licence texts
    assert UNIPEN in _flat(served)
    footer = _Footer()
    footer.feed((dist / "index.html").read_text(encoding="utf-8"))
    (link,) = [a for a in footer.links if a.get("href") == "THIRD-PARTY-NOTICES.txt"]
    # Relative (no scheme, no leading /): it works under a GitHub Pages project path.
    catalogues = {c: json.loads((dist / "locales" / f"{c}.json").read_text()) for c in
                  ("en", "es")}
    assert [c[link["data-i18n"]] for c in catalogues.values()] == [
        "Credits and licences", "Créditos y licencias"]
    for messages in catalogues.values():
        assert "UNIPEN" in messages["footer.data"] and "CC BY 4.0" in messages["footer.data"]
    # The service worker keeps it (its exact bytes) for offline use.
    digest = base64.b64encode(hashlib.sha256(served.encode()).digest()).decode()
    assert f'["THIRD-PARTY-NOTICES.txt", "sha256-{digest}"]' in (dist / "sw.js").read_text()


@pytest.mark.browser
def test_the_footer_link_opens_the_notices_in_spanish(chromium, server):
    ctx = chromium.new_context(locale="es-ES")
    try:
        page = ctx.new_page()
        page.goto(server.url)
        link = page.locator("footer").get_by_role("link", name="Créditos y licencias")
        expect(page.locator("footer")).to_contain_text("escritura a mano del conjunto de "
                                                       "datos UNIPEN")
        with page.expect_popup() as popup:
            link.click()
        notices = popup.value
        notices.wait_for_load_state()
        assert notices.url == server.url + "THIRD-PARTY-NOTICES.txt"
        assert UNIPEN in _flat(notices.locator("body").inner_text())
    finally:
        ctx.close()
