"""The Train form and its URL are made from the settings schema (mlp.settings()), and
what the form submits is what the registered model records."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from mlp_core import settings

pytestmark = pytest.mark.browser

#: A value for every setting that differs from the form's start and trains in seconds.
CHANGED = {"hidden_layer_sizes": "7, 5", "activation": "tanh", "learning_rate": "0.07",
           "learning_rate_decay": "0.9",
           "momentum": "0.5", "batch_size": "16", "l2": "0.01", "max_epochs": "3",
           "tolerance": "0.001", "patience": "4", "validation_fraction": "0.3", "seed": "7",
           "n_samples": "300", "noise_min": "0.02", "noise_max": "0.2",
           "clean_fraction": "0.2", "augment": "0.3", "augment_noise_max": "0.04",
           "negatives": "0.25", "fonts": "0.3", "handwriting": "0.2"}


def open_app(context, query: str = ""):
    page = context.new_page()
    page.goto(context.url + query)
    page.evaluate("window.mlp.ready")
    expect(page.locator("#train-settings")).not_to_have_attribute("aria-busy", "true")
    return page


def start_values() -> dict[str, str]:
    """The form's starting values as text: the default preset over the defaults."""
    preset = settings.PRESETS[settings.DEFAULT_PRESET]
    out = {}
    for s in settings.SETTINGS:
        v = {**preset.hyperparameters, **preset.data}.get(s.name, s.default)
        out[s.name] = ", ".join(map(str, v)) if s.type == "int_list" else str(v)
    return out


def test_the_page_gets_the_schema_python_declares(context):
    page = open_app(context)
    assert page.evaluate("window.mlp.settings()") == settings.as_json()


def test_form_fields_follow_the_schema(context):
    page = open_app(context)
    page.get_by_role("tab", name="Train").click()
    assert set(CHANGED) == {s.name for s in settings.SETTINGS}  # covers every setting
    start = start_values()
    for s in settings.SETTINGS:
        field = page.locator(f"#train-form [name={s.name}]")
        expect(field).to_have_count(1)
        inner = page.locator(f"[name={s.name}]")  # (relative to the locator it filters)
        fieldset = page.locator("#train-form fieldset", has=inner)
        expect(fieldset.locator("legend")).to_have_text(s.group)
        expect(field).to_have_attribute("title", f"{s.help} Allowed: {s.describe()}.")
        assert float(field.input_value()) == float(start[s.name]) if s.type in (
            "int", "float") else field.input_value() == start[s.name]
        if s.type in ("int", "float"):  # text in the page's language, a number keypad
            assert field.get_attribute("inputmode") == ("numeric" if s.type == "int"
                                                        else "decimal")
        if s.type == "choice":
            assert field.locator("option").all_inner_texts() == list(s.choices)
        expect(page.locator("#train-form label", has=inner)).to_contain_text(s.label)
    expect(page.locator("[name=preset]")).to_have_value(settings.DEFAULT_PRESET)


def test_presets_fill_the_form_and_editing_makes_it_custom(context):
    page = open_app(context)
    page.get_by_role("tab", name="Train").click()
    quick = settings.PRESETS["quick"]
    page.locator("[name=preset]").select_option("quick")
    for name, value in {**quick.hyperparameters, **quick.data}.items():
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        expect(page.locator(f"[name={name}]")).to_have_value(text)
    expect(page).to_have_url(re.compile(f"n_samples={quick.data['n_samples']}"))
    page.locator("[name=seed]").fill("5")
    expect(page.locator("[name=preset]")).to_have_value("")  # Custom
    page.locator("[name=seed]").fill(str(settings.BY_NAME["seed"].default))
    expect(page.locator("[name=preset]")).to_have_value("quick")


def test_every_setting_travels_in_the_url_and_is_recorded_as_submitted(context):
    page = open_app(context)
    page.get_by_role("tab", name="Train").click()
    for name, value in CHANGED.items():
        field = page.locator(f"[name={name}]")
        if name == "activation":
            field.select_option(value)
        else:
            field.fill(value)
    expect(page).to_have_url(re.compile(r"handwriting=0\.2"))  # the last field changed
    query = parse_qs(urlsplit(page.url).query)
    assert {k: v[0] for k, v in query.items()} == CHANGED  # one parameter per setting
    other = open_app(context, "?" + urlsplit(page.url).query)
    for name, value in CHANGED.items():
        expect(other.locator(f"[name={name}]")).to_have_value(value)
    other.get_by_role("button", name="Train", exact=True).click()
    expect(other.locator("#train-status")).to_contain_text("Done", timeout=60_000)
    newest = max(other.evaluate("window.mlp.registry.list()"), key=lambda m: m["created_at"])
    recorded = {**newest["dataset_info"], **newest["hyperparameters"]}
    for s in settings.SETTINGS:
        expected = s.check([int(v) for v in CHANGED[s.name].split(",")]
                           if s.type == "int_list" else
                           CHANGED[s.name] if s.type == "choice" else float(CHANGED[s.name]))
        got = recorded[s.name]
        assert (tuple(got) if isinstance(got, list) else got) == expected, s.name


def test_numbers_in_the_form_speak_the_page_language(chromium, server):
    """In Spanish the form shows and reads decimal commas; the URL keeps decimal points."""
    from browser import app_page
    with app_page(chromium, server.url, locale="es-ES") as page:
        page.get_by_role("tab", name="Entrenar").click()
        rate = page.locator("#train-form [name=learning_rate]")
        start = start_values()["learning_rate"]
        expect(rate).to_have_value(str(start).replace(".", ","))
        rate.fill("0,2")
        expect(page).to_have_url(re.compile(r"learning_rate=0\.2(&|$)"))
        assert page.evaluate("() => document.querySelector('#train-form [name=learning_rate]')"
                             ".checkValidity()")
        rate.fill("0.3")  # a decimal point reads too
        expect(page).to_have_url(re.compile(r"learning_rate=0\.3(&|$)"))
    with app_page(chromium, server.url + "?learning_rate=0.25", locale="es-ES") as page:
        expect(page.locator("#train-form [name=learning_rate]")).to_have_value("0,25")
