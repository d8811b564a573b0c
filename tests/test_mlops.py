"""The MLOps loop in the page: the person's drawings as a test set."""

from __future__ import annotations

import pytest
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_app(context):
    page = context.new_page()
    page.goto(context.url)
    page.evaluate("window.mlp.ready")
    return page


def add_examples(page, per_letter: int) -> list[dict]:
    examples = [(letter, as_bits(DRAWINGS[letter][i % len(DRAWINGS[letter])]))
                for i in range(per_letter) for letter in "bdf"]
    for label, pattern in examples:
        page.evaluate("([l, p]) => window.mlp.samples.add(l, p)", [label, pattern])
    return page.evaluate("window.mlp.samples.list()")


def test_drawn_examples_are_a_test_set_that_judges_every_model(context):
    page = open_app(context)
    listed = add_examples(page, 10)
    tests = [s for s in listed if s["split"] == "test"]
    assert {s["split"] for s in listed} == {"train", "test"} and len(tests) == 9  # 3 of 10
    production = page.evaluate("window.mlp.evaluate()")
    assert production["test"]["n"] == 9
    assert sum(map(sum, production["test"]["confusion"])) == 9

    page.get_by_role("tab", name="Models").click()
    cell = page.locator("#models-table tbody tr").first.get_by_test_id("test-accuracy")
    expect(cell).to_contain_text("(n=9)")

    # Moving one example to the test set changes every model's figures, no retraining.
    page.get_by_role("tab", name="My data").click()
    train_one = next(s for s in listed if s["split"] == "train")
    name = f"use of example {train_one['id']} ({train_one['label']})"
    page.get_by_label(name).select_option("test")
    page.get_by_role("tab", name="Models").click()
    expect(cell).to_contain_text("(n=10)")

    # Opening a model's test results shows per-letter figures and the confusion matrix.
    version = production["version"]
    page.get_by_role("button", name=f"test results of {version}").click()
    expect(page.locator("#test-result")).to_contain_text("on 10 test drawing(s)")
    expect(page.locator("#test-result").get_by_test_id("confusion-matrix")).to_be_visible()

    # Training never sees the test drawings.
    entry = page.evaluate("""() => window.mlp.train({hyperparameters: {hidden_layer_sizes: [8],
        max_epochs: 2}, data: {n_samples: 300}})""")
    assert entry["dataset_info"]["user_samples"] == 30 - 10


def test_the_person_chooses_the_split_when_adding(context):
    page = open_app(context)
    pattern = as_bits(DRAWINGS["b"][0])
    added = page.evaluate("p => window.mlp.samples.add('b', p, {split: 'test'})", pattern)
    assert added["split"] == "test"
    err = page.evaluate("""p => window.mlp.samples.add('b', p, {split: 'dev'})
        .then(() => null, (e) => e.message)""", pattern)
    assert err == "split must be one of train, test, got 'dev'"
