"""Exports and a scikit-learn import through the page: the files the page downloads are
loaded by onnxruntime, skops and the page itself, and compared with the page's answers."""

from __future__ import annotations

import io
import json
import sys
import zipfile

import numpy as np
import pytest
from conftest import ROOT
from drawings import DRAWINGS, as_bits
from playwright.sync_api import expect
from test_training_ui import open_app

from mlp_core import make_dataset

ort = pytest.importorskip("onnxruntime")
sio = pytest.importorskip("skops.io")

from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

pytestmark = pytest.mark.browser


def patterns() -> list[list[int]]:
    """The 12 hand-made drawings and 20 random ones."""
    rng = np.random.default_rng(7)
    random = (rng.random((20, 100)) < rng.uniform(0.05, 0.5, (20, 1))).astype(int).tolist()
    return [as_bits(d) for ds in DRAWINGS.values() for d in ds] + random


def page_answers(page, drawings) -> list[dict]:
    return page.evaluate("(ds) => Promise.all(ds.map((d) => window.mlp.predict(d, {log: false})))",
                         drawings)


def as_matrix(answers: list[dict], classes: list[str]) -> np.ndarray:
    return np.array([[a["none_probability"] if c == "(none)" else a["probabilities"][c]
                      for c in classes] for a in answers])


def downloaded(page, click) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()


def test_the_model_tab_downloads_production_for_onnxruntime_and_as_one_js_file(context):
    page = open_app(context)
    expect(page.get_by_role("tab", name="Model", exact=True)).to_have_attribute(
        "aria-selected", "true")
    version = page.evaluate("window.mlp.modelInfo()")["version"]
    drawings = patterns()
    answers = page_answers(page, drawings)
    classes = ["(none)", "b", "d", "f"]

    page.get_by_label("Format").select_option("onnx")
    name, data = downloaded(page, page.get_by_role("button", name="Download").click)
    assert name == f"{version}.onnx"
    expect(page.locator("#export-status")).to_have_text(f"Downloaded {name}.")
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    P, letters, recognized = session.run(None, {"drawing": np.array(drawings, np.float32)})
    assert np.abs(P - as_matrix(answers, classes)).max() < 1e-4
    assert letters.tolist() == [a["letter"] for a in answers]
    assert recognized.tolist() == [a["recognized"] for a in answers]

    # The JavaScript predictor, dropped into another page (the app's own policy allows
    # only its own scripts), answers as the app does.
    page.get_by_label("Format").select_option("js")
    name, data = downloaded(page, page.get_by_role("button", name="Download").click)
    assert name == "letter-predictor.js"
    other = context.new_page()
    other.set_content("<!doctype html><title>another page</title>")
    theirs = other.evaluate("""async ([source, ds]) => {
        const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
        const { predict, version } = await import(url);
        return { version, answers: ds.map((d) => predict(d)) };
    }""", [data.decode(), drawings])
    assert theirs["version"] == version
    assert np.abs(as_matrix(theirs["answers"], classes) - as_matrix(answers, classes)).max() < 1e-9
    assert [a["letter"] for a in theirs["answers"]] == [a["letter"] for a in answers]
    assert [a["recognized"] for a in theirs["answers"]] == [a["recognized"] for a in answers]


def _fitted_pipeline(tmp_path) -> tuple[Pipeline, bytes]:
    sys.path.insert(0, str(ROOT / "mlp_core" / "export" / "shipped"))
    try:
        from letter_centering import CenterDrawing
    finally:
        sys.path.pop(0)
    X, y = make_dataset(240, seed=8)
    pipe = Pipeline([("center", CenterDrawing()), ("mlp", MLPClassifier(
        hidden_layer_sizes=(12,), max_iter=300, random_state=0))]).fit(X, y)
    return pipe, sio.dumps(pipe)


def test_a_scikit_learn_model_comes_in_and_any_model_goes_out(context, tmp_path):
    page = open_app(context)
    page.get_by_role("tab", name="Models").click()
    rows = page.locator("#models-table tbody tr")
    expect(rows).not_to_have_count(0)  # the registry holds the default model once shown
    before = rows.count()
    status = page.locator("#models-status")

    # A damaged file is refused in words, and nothing changes.
    (tmp_path / "broken.skops").write_bytes(b"PK\x03\x04 not really a zip")
    page.locator("#import-file").set_input_files(str(tmp_path / "broken.skops"))
    expect(page.locator("#models-error")).to_contain_text(
        "broken.skops was not imported, nothing changed: this file is not a complete skops file")
    expect(rows).to_have_count(before)

    pipe, raw = _fitted_pipeline(tmp_path)
    (tmp_path / "mine.skops").write_bytes(raw)
    page.locator("#import-file").set_input_files(str(tmp_path / "mine.skops"))
    expect(status).to_contain_text("Imported 1 model")
    expect(rows).to_have_count(before + 1)
    listed = page.evaluate("window.mlp.registry.list()")
    version = listed[-1]["version"]
    entry = page.evaluate("(v) => window.mlp.registry.get(v)", version)
    assert entry["dataset_info"]["file"] == "mine.skops"
    assert entry["lineage"]["parent"] is None
    drawings = patterns()
    mine = [next(a for a in page.evaluate("(d) => window.mlp.predictAll(d)", d)
                 if a["model_version"] == version) for d in drawings]
    want = pipe.predict_proba(np.array(drawings, float))
    assert np.abs(as_matrix(mine, [str(c) for c in pipe.classes_]) - want).max() < 1e-9

    page.get_by_role("button", name=f"details of {version}").click()
    expect(page.locator("#ask")).to_contain_text("none here (imported)")
    expect(page.locator("#ask")).to_contain_text("imported from mine.skops (scikit-learn 1.6.1)")
    page.locator("#ask").get_by_role("button", name="Cancel").click()

    # The imported model goes out again, as scikit-learn, from its row.
    page.get_by_role("button", name=f"export {version}").click()
    dialog = page.locator("#ask")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Format").select_option("sklearn")
    name, data = downloaded(page, dialog.get_by_role("button", name="Download").click)
    assert name == f"{version}-sklearn.zip"
    files = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(files.namelist()) == ["README.txt", "letter_centering.py", "model.skops"]
    (tmp_path / "out").mkdir()
    files.extractall(tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out"))
    sys.modules.pop("letter_centering", None)
    try:
        again = sio.load(tmp_path / "out" / "model.skops",
                         trusted=["letter_centering.CenterDrawing"])
        assert np.abs(again.predict_proba(np.array(drawings, float)) - want).max() < 1e-9
    finally:
        sys.path.pop(0)
        sys.modules.pop("letter_centering", None)
    assert json.loads(json.dumps(entry["dataset_info"]))["source"] == "imported"
