"""Two languages, complete: the catalogues agree, every key the page uses exists, and the
page in Spanish shows Spanish (text, <html lang>, numbers), remembered when chosen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import app_page
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect
from protocol_table import table

import build
from mlp_core.settings import PRESETS

WEB = Path(__file__).resolve().parents[1] / "web"
CATALOGUES = {p.stem: json.loads(p.read_text()) for p in sorted((WEB / "locales").glob("*.json"))}
EN = CATALOGUES["en"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _forms(message) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


def _placeholders(message) -> set[str]:
    return {name for form in _forms(message) for name in PLACEHOLDER.findall(form)}


def used_keys() -> set[str]:
    """Every message key index.html and the page's scripts name, and those the settings
    form makes from the settings schema (one label and help per setting, ...)."""
    html = (WEB / "index.html").read_text()
    keys = set(re.findall(r'data-i18n="([^"]+)"', html))
    for attrs in re.findall(r'data-i18n-attr="([^"]+)"', html):
        keys |= {pair.split(":")[1].strip() for pair in attrs.split(";") if pair.strip()}
    # In scripts, a key is a string literal in one of the catalogue's namespaces.
    spaces = {k.split(".")[0] for k in EN}
    operations = set(table("OPERATIONS"))  # "monitoring.summary" names a request
    for path in WEB.rglob("*.js"):
        for literal in re.findall(r'"([a-z_]+(?:\.[a-z_0-9]+)+)"', path.read_text()):
            if literal.split(".")[0] in spaces and literal not in operations:
                keys.add(literal)
    return keys | set(build.python_messages())


@pytest.mark.parametrize("lang", sorted(set(CATALOGUES) - {"en"}))
def test_every_catalogue_has_every_message_with_the_same_placeholders(lang):
    other = CATALOGUES[lang]
    assert set(other) == set(EN), f"missing in {lang}: {sorted(set(EN) - set(other))}; " \
                                  f"extra: {sorted(set(other) - set(EN))}"
    for key, message in EN.items():
        assert _placeholders(other[key]) == _placeholders(message), key
        if isinstance(message, dict):
            assert isinstance(other[key], dict) and "other" in other[key], key


def test_every_key_the_page_uses_exists_and_every_message_is_used():
    used = used_keys()
    assert used - set(EN) == set(), "keys without a message"
    assert set(EN) - used - {"language.name"} == set(), "messages nothing shows"


def _draw_b_in_spanish(page) -> None:
    """Click the inked cells of a "b", by their Spanish labels ("fila 1 columna 2")."""
    for i, v in enumerate(as_bits(DRAWINGS["b"][0])):
        if v:
            page.get_by_label(f"fila {i // 10 + 1} columna {i % 10 + 1}", exact=True).click()


def _visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def _english_fragments() -> list[str]:
    """Pieces of English messages long enough to be unmistakable, for messages whose
    Spanish differs: finding one on the Spanish page means something was not translated."""
    es = CATALOGUES["es"]
    out = []
    for key, message in EN.items():
        for form, spanish in zip(_forms(message), _forms(es[key]), strict=False):
            if form == spanish:
                continue
            out += [f.strip() for f in PLACEHOLDER.split(form)[::2] if len(f.strip()) >= 14]
    return out


def test_the_english_catalogue_states_the_settings_as_mlp_core_does():
    assert build.english_catalogue() == (WEB / "locales" / "en.json").read_text()


def test_the_page_in_spanish(chromium, server):
    # navigator.language "es-ES"
    with app_page(chromium, server.url, locale="es-ES") as page:
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.title() == "Reconocedor de letras"
        expect(page.get_by_test_id("health")).to_contain_text("listo")
        expect(page.get_by_role("tab", name="Mis datos")).to_be_visible()
        # Numbers in Spanish: a decimal comma and a space before the percent sign.
        expect(page.locator("#model-info")).to_contain_text(re.compile(r"\d+,\d\s%"))
        _draw_b_in_spanish(page)
        expect(page.get_by_test_id("prediction-confidence")).to_contain_text(
            re.compile(r"\d+,\d\s% de seguridad"))
        fragments = _english_fragments()
        for tab in ("Modelo", "Entrenar", "Modelos", "Mis datos", "Monitorización"):
            page.get_by_role("tab", name=tab, exact=True).click()
            page.locator("details").evaluate_all("ds => ds.forEach((d) => { d.open = true; })")
            text = _visible_text(page)
            left = [f for f in fragments if f in text]
            assert left == [], f"English on the Spanish page, tab {tab}: {left}"
        expect(page.locator("#train-form")).to_contain_text("Tasa de aprendizaje")

        # Chosen in the page: remembered over the browser's language.
        with page.expect_navigation():
            page.get_by_label("Idioma").select_option("en")
        page.evaluate("window.mlp.ready")
        assert page.evaluate("document.documentElement.lang") == "en"
        expect(page.get_by_role("tab", name="My data")).to_be_visible()
        page.reload()
        page.evaluate("window.mlp.ready")
        assert page.evaluate("document.documentElement.lang") == "en"


# Visible text nodes, and the aria-label and title of visible elements.
VISIBLE_TEXT = """() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
        const text = walk.currentNode.textContent.trim();
        const parent = walk.currentNode.parentElement;
        if (text && parent?.checkVisibility()) out.push(text);
    }
    for (const e of document.querySelectorAll("[aria-label], [title]")) {
        if (!e.checkVisibility()) continue;
        for (const a of ["aria-label", "title"]) if (e.getAttribute(a)) out.push(e.getAttribute(a));
    }
    return out;
}"""
# Words that are the same in every language: names of things, and model versions.
NEUTRAL = re.compile(r"v\d[\w.]*|relu|tanh|sigmoid|softmax|SGD|NumPy|Pyodide|CPython|"
                     r"mlp_core|SHA-256|F1|L2")


def _texts_on_every_tab(browser, url: str, locale: str) -> set[str]:
    with app_page(browser, url, locale=locale) as page:
        texts: set[str] = set()
        for tab in ("model", "train", "models", "data", "monitoring"):
            page.locator(f"#tab-{tab}").click()
            expect(page.locator(f"#panel-{tab}")).to_be_visible()
            page.wait_for_load_state("networkidle")
            page.locator("details").evaluate_all("ds => ds.forEach((d) => { d.open = true; })")
            texts |= set(page.evaluate(VISIBLE_TEXT))
        return texts


def test_no_visible_text_is_left_untranslated(chromium, server):
    """What the page shows in English and in Spanish differs wherever there are words."""
    english = _texts_on_every_tab(chromium, server.url, "en-US")
    spanish = _texts_on_every_tab(chromium, server.url, "es-ES")
    same = [t for t in english & spanish if re.search(r"[A-Za-z]{4,}", NEUTRAL.sub("", t))]
    assert same == [], f"shown the same in English and Spanish: {sorted(same)}"


def test_every_coded_message_is_raised_somewhere():
    from mlp_core.messages import MESSAGES
    from mlp_core.settings import RULES

    source = "".join(p.read_text() for p in (WEB.parent / "mlp_core").rglob("*.py"))
    # coded(Error, "code", ...), serialize's fail("code", ...), and the settings' rules.
    raised = set(re.findall(r'(?:coded\([\w.]+,\s*|\bfail\()"(\w+)"', source))
    assert raised | {code for _, _, code in RULES} == set(MESSAGES)


def test_a_python_error_in_spanish(chromium, server):
    """Python raises with a code and parameters; the page says it in Spanish."""
    with app_page(chromium, server.url, locale="es-ES") as page:
        _draw_b_in_spanish(page)
        page.get_by_role("tab", name="Mis datos").click()
        page.get_by_label("Letra nueva").fill("b")
        page.get_by_role("button", name="Añadir desde mi dibujo").click()
        expect(page.locator("#sample-status")).to_have_text(
            "No se añadió: ya hay una letra llamada «b»")
        err = page.evaluate("""() => window.mlp.classes.add('b', new Array(100).fill(1))
            .then(() => null, (e) => ({name: e.name, code: e.code, message: e.message}))""")
        assert err == {"name": "ValueError", "code": "py.letter_exists",
                       "message": "ya hay una letra llamada «b»"}


def test_a_failed_start_is_explained_in_spanish(chromium, server):
    """The worker's own errors are coded too: a wheel that does not arrive."""
    ctx = chromium.new_context(locale="es-ES")
    try:
        ctx.route("**/numpy-*.whl", lambda route: route.fulfill(status=404, body="Not Found"))
        page = ctx.new_page()
        page.goto(server.url)
        expect(page.locator("#load-error")).to_contain_text(
            "El reconocedor no pudo arrancar: no se pudo descargar "
            "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl (HTTP 404); comprueba la "
            "conexión", timeout=20_000)
        expect(page.get_by_role("button", name="Reintentar")).to_be_visible()
    finally:
        ctx.close()


def test_a_damaged_file_and_a_model_card_in_spanish(chromium, server):
    """A damaged bundle is refused with its place in the file and the reason in Spanish;
    the model card is written in the page's language (or the one asked for)."""
    with app_page(chromium, server.url, locale="es-ES") as page:
        bundle = page.evaluate("window.mlp.registry.export()")
        version = bundle["models"][0]["version"]
        bundle["models"][0]["accuracy"] = 2
        err = page.evaluate("""b => window.mlp.registry.import(b)
            .then(() => null, (e) => ({code: e.code, message: e.message}))""", bundle)
        assert err == {"code": "py.field_number",
                       "message": f"models[0] ({version}).accuracy debe ser un número de 0 a 1"}
        card = page.evaluate("v => window.mlp.modelCard(v)", version)
        for line in (f"# Ficha del modelo: {version}", "## Uso previsto", "## Límites conocidos",
                     "| Letra | Precisión | Exhaustividad | F1 | Ejemplos |"):
            assert line in card.splitlines(), line
        assert re.search(r"exactitud del \d+,\d\s%", card)
        english = [f for key, message in EN.items() if key.startswith("card.")
                   for f in PLACEHOLDER.split(message)[::2] if len(f.strip()) >= 14]
        assert [f for f in english if f in card] == []
        assert "## Intended use" in page.evaluate("v => window.mlp.modelCard(v, {lang: 'en'})",
                                                  version)


def test_training_in_spanish(chromium, server):
    """The Train tab after a training: status, charts (axis, summary, data table) and
    the result, all in Spanish."""
    url = f"{server.url}?hidden_layer_sizes=8&max_epochs=3&patience=50&n_samples=300"
    with app_page(chromium, url, locale="es-ES") as page:
        page.get_by_role("button", name="Entrenar", exact=True).click()
        expect(page.locator("#train-result")).to_contain_text("v1.0_", timeout=60_000)
        loss = page.get_by_test_id("chart-loss").locator("details.chart-data")
        expect(loss.locator("summary")).to_contain_text(
            re.compile(r"Época 3: entrenamiento \d+,\d{4}; validación \d+,\d{4}"))
        expect(loss.locator("thead")).to_contain_text("época")
        page.locator("details").evaluate_all("ds => ds.forEach((d) => { d.open = true; })")
        text = _visible_text(page)
        assert [f for f in _english_fragments() if f in text] == []
        assert not re.search(r"\b(epoch|training|validation|data table)\b", text, re.I)


def test_a_promotion_by_the_gate_is_noted_in_spanish(chromium, server):
    """A training that beats production on the test drawings is promoted, and the
    history keeps why in the language of the page that trained it."""
    with app_page(chromium, server.url, locale="es-ES") as page:
        page.evaluate("""() => window.mlp.train({hyperparameters: {hidden_layer_sizes: [2],
            max_epochs: 1}, data: {n_samples: 60}, promote: true})""")  # a weak production
        for label, drawings in DRAWINGS.items():
            for drawing in drawings:
                page.evaluate("([l, p]) => window.mlp.samples.add(l, p, {split: 'test'})",
                              [label, as_bits(drawing)])
        quick = PRESETS["quick"].config()  # right on 10 of the 12 (production: 4)
        entry = page.evaluate("c => window.mlp.train({...c, promote: 'if_better'})", quick)
        assert entry["gate"]["promoted"] and entry["is_production"], entry["gate"]
        assert entry["gate"]["challenger"]["version"] == entry["version"]
        last = page.evaluate("window.mlp.registry.history()")[-1]
        assert (last["how"], last["to"]) == ("promote", entry["version"])
        assert re.fullmatch(r"de 12 dibujos de prueba, solo el candidato acierta en \d+ y "
                            r"solo el de producción en \d+ \(p = 0,\d+\)", last["note"]), \
            last["note"]
