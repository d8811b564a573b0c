"""Exports, judged by the targets' own runtimes: onnxruntime (and onnx's checker), MLflow's
pyfunc, scikit-learn with skops, Node for the JavaScript predictor and a plain Python
import for the Python one; and scikit-learn models coming in."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from conftest import ROOT
from drawings import DRAWINGS, as_bits
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import run

from mlp_core import MLP, make_dataset, registry
from mlp_core.export import FORMATS, SkopsError, export_model, import_sklearn
from mlp_core.limits import NONE_LABEL
from mlp_core.model.preprocess import center
from mlp_core.model.serialize import model_to_dict
from mlp_core.registry import store

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
sio = pytest.importorskip("skops.io")
pytest.importorskip("mlflow")

from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

#: Probabilities of float64 exports agree to this; float32 ones (ONNX, MLflow) to FLOAT32.
EXACT, FLOAT32 = 1e-5, 1e-4


def _shifted(rows: list[str], dr: int, dc: int) -> list[int]:
    g = np.array(as_bits(rows)).reshape(10, 10)
    return np.roll(np.roll(g, dr, axis=0), dc, axis=1).ravel().tolist()


@pytest.fixture(scope="module")
def drawings() -> np.ndarray:
    """1,000 random drawings (from nearly blank to nearly full, and both extremes) and 48
    hand-made ones: each of the 12 drawn letters in 4 positions."""
    rng = np.random.default_rng(2026)
    density = rng.uniform(0.02, 0.6, (998, 1))
    random = (rng.random((998, 100)) < density).astype(float)
    made = [_shifted(d, dr, dc) for ds in DRAWINGS.values() for d in ds
            for dr, dc in ((0, 0), (1, 0), (0, -1), (-1, 1))]
    return np.vstack([random, np.zeros((1, 100)), np.ones((1, 100)), np.array(made, float)])


def _tanh_two_layers() -> dict:
    """Two tanh layers, a "none of these" output, a temperature and a margin on d."""
    X, y = make_dataset(300, seed=5)
    rng = np.random.default_rng(5)
    noise = (rng.random((120, 100)) < 0.3).astype(float)
    m = MLP(hidden_layer_sizes=(12, 8), activation="tanh", max_epochs=30, seed=4)
    m.fit(np.vstack([X, noise]), np.concatenate([y, [NONE_LABEL] * 120]))
    m.temperature_, m.none_margins_ = 1.7, {"d": 0.5}
    return model_to_dict(m, preprocessing="center")


@pytest.fixture(scope="module", params=["default", "sigmoid", "tanh"])
def entry(request, small_model) -> dict:
    """The shipped production model (relu, centred, rejects, margin on b); a sigmoid model
    that neither centres nor rejects; two tanh layers with rejection and a temperature."""
    if request.param == "default":
        return registry.get_production(store.read_registry(store.DEFAULT_BUNDLE))
    model = small_model if request.param == "sigmoid" else _tanh_two_layers()
    return registry.register(registry.empty_registry(), model, accuracy=0.9)[1]


def _expected(entry: dict, X: np.ndarray):
    """mlp_core's answers: (letters, recognized, probabilities in class order, lead)."""
    r = registry.load_recognizer(entry)
    letters, recognized, P = r.predict_many(X)
    return letters, recognized, P, r


def _decidable(P: np.ndarray, r, tol: float) -> np.ndarray:
    """Drawings whose top two letters are more than ``tol`` apart (a letter is defined)."""
    L = np.sort(P[:, [r.labels.index(c) for c in r.letters]], axis=1)
    return L[:, -1] - L[:, -2] > tol


def _compare(entry, X, P, letters, recognized, tol):
    want_letters, want_recognized, want_P, r = _expected(entry, X)
    diff = float(np.abs(P - want_P).max())
    assert diff < tol, diff
    ok = _decidable(want_P, r, tol)
    assert ok.mean() > 0.9
    assert (np.asarray(letters)[ok] == want_letters[ok]).all()
    if r.can_reject:  # away from the threshold, the decision agrees
        log = np.log(np.clip(want_P, 1e-300, 1))
        best = np.array([r.labels.index(c) for c in want_letters])
        lead = log[np.arange(len(X)), best] - log[:, r.none_index] - np.array(
            [r.model.none_margins_.get(c, 0.0) for c in want_letters])
        clear = ok & (np.abs(lead) > 1e-3)
        assert (np.asarray(recognized)[clear] == want_recognized[clear]).all()
    else:
        assert np.asarray(recognized).all()
    return diff


# --- ONNX and MLflow ------------------------------------------------------------------------


def test_onnx_export_runs_in_onnxruntime_as_mlp_core_answers(entry, drawings):
    data = export_model(entry, "onnx").single()
    model = onnx.load_from_string(data)
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version >= 13
    assert [i.name for i in model.graph.input] == ["drawing"]
    assert [o.name for o in model.graph.output] == ["probabilities", "letter", "recognized"]
    meta = {p.key: p.value for p in model.metadata_props}
    assert json.loads(meta["classes"]) == entry["model"]["classes"]
    assert meta["preprocessing"] == entry["model"]["preprocessing"]
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    P, letters, recognized = session.run(None, {"drawing": drawings.astype(np.float32)})
    assert P.dtype == np.float32 and recognized.dtype == bool
    _compare(entry, drawings, P, letters, recognized, FLOAT32)


def test_onnx_graph_centres_the_raw_grid():
    entry = registry.get_production(store.read_registry(store.DEFAULT_BUNDLE))
    session = ort.InferenceSession(export_model(entry, "onnx").single())
    g = np.array(as_bits(DRAWINGS["b"][0])).reshape(10, 10)
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    moved = np.array([np.roll(g, (dr, dc), axis=(0, 1)).ravel()  # every place it fits
                      for dr in range(-rows[0], 10 - rows[-1])
                      for dc in range(-cols[0], 10 - cols[-1])], np.float32)
    assert len(moved) >= 4 and (center(moved) == center(moved[:1])).all()
    P, letters, _ = session.run(None, {"drawing": moved})
    assert set(letters.tolist()) == {"b"} and np.ptp(P, axis=0).max() < 1e-6


def test_mlflow_pyfunc_loads_the_model_directory(entry, drawings, tmp_path):
    import mlflow.pyfunc

    for name, data in export_model(entry, "mlflow").files.items():
        (tmp_path / name).write_bytes(data)
    model = mlflow.pyfunc.load_model(str(tmp_path))
    sig = model.metadata.signature.to_dict()
    assert json.loads(sig["inputs"]) == [{"name": "drawing", "type": "tensor", "tensor-spec": {
        "dtype": "float32", "shape": [-1, 100]}}]
    assert [o["name"] for o in json.loads(sig["outputs"])] == ["probabilities", "letter",
                                                                "recognized"]
    out = model.predict({"drawing": drawings.astype(np.float32)})
    _compare(entry, drawings, out["probabilities"], out["letter"], out["recognized"], FLOAT32)
    example = json.loads((tmp_path / "input_example.json").read_text())["drawing"]
    assert np.array(example).shape == (1, 100)
    assert model.predict({"drawing": np.array(example, np.float32)})["letter"].shape == (1,)


# --- scikit-learn ---------------------------------------------------------------------------


def _unpacked(entry, tmp_path):
    files = export_model(entry, "sklearn").files
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    sys.path.insert(0, str(tmp_path))
    sys.modules.pop("letter_centering", None)
    return tmp_path / "model.skops"


@pytest.fixture
def unpacked(entry, tmp_path):
    yield _unpacked(entry, tmp_path)
    sys.path.remove(str(tmp_path))
    sys.modules.pop("letter_centering", None)


def test_sklearn_export_loads_with_skops_trusting_only_the_centring_step(entry, drawings,
                                                                          unpacked):
    centres = entry["model"]["preprocessing"] == "center"
    untrusted = sio.get_untrusted_types(file=unpacked)
    assert untrusted == (["letter_centering.CenterDrawing"] if centres else [])
    pipe = sio.load(unpacked, trusted=untrusted)
    assert isinstance(pipe, Pipeline) and isinstance(pipe[-1], MLPClassifier)
    assert [str(c) for c in pipe.classes_] == entry["model"]["classes"]
    import letter_centering

    letters, recognized, P = letter_centering.recognize(pipe, drawings)
    _compare(entry, drawings, P, letters, recognized, EXACT)
    if not registry.load_recognizer(entry).can_reject:  # then predict is the app's answer
        assert (pipe.predict(drawings) == letters).all()


def test_the_shipped_centring_is_mlp_cores(drawings, unpacked):
    if not (unpacked.parent / "letter_centering.py").exists():
        pytest.skip("nothing shipped")
    import letter_centering

    assert (letter_centering.center(drawings) == center(drawings)).all()


def _imported(raw: bytes, name: str = "x.skops") -> dict:
    """The registry entry ``import_sklearn`` makes of skops file ``raw``."""
    doc, report = import_sklearn(registry.empty_registry(), raw, name)
    assert report["from"] == "sklearn" and report["skipped"] == []
    return registry.get(doc, report["imported"][0])


def test_sklearn_export_comes_back_identical(entry, drawings):
    imported = _imported(export_model(entry, "sklearn").files["model.skops"])
    assert imported["dataset_info"]["source"] == "imported"
    assert imported["lineage"]["parent"] is None and imported["lineage"]["trained_in"] is None
    # the same probabilities, and the same decisions: the margins came back too
    want_letters, want_recognized, want_P, r = _expected(entry, drawings)
    letters, recognized, P = registry.load_recognizer(imported).predict_many(drawings)
    assert np.abs(P - want_P).max() < 1e-12
    assert (letters == want_letters).all() and (recognized == want_recognized).all()
    margins = {c: m for c, m in r.model.none_margins_.items() if m}
    assert {c: m for c, m in imported["model"]["calibration"]["none_margins"].items()
            if m} == margins
    assert imported["model"]["none_class"] == entry["model"]["none_class"]


def _fitted(pipeline: bool, classes: str = "bdf", activation: str = "relu"):
    X, y = make_dataset(240, seed=8)
    keep = np.isin(y, list(classes))
    clf = MLPClassifier(hidden_layer_sizes=(10,), activation=activation, max_iter=60,
                        random_state=0)
    if not pipeline:
        return clf.fit(X[keep], y[keep]), X
    sys.path.insert(0, str(ROOT / "mlp_core" / "export" / "shipped"))
    try:
        from letter_centering import CenterDrawing
    finally:
        sys.path.pop(0)
    return Pipeline([("center", CenterDrawing()), ("mlp", clf)]).fit(X[keep], y[keep]), X


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(("pipeline", "classes", "activation"), [
    (False, "bdf", "relu"), (True, "bdf", "logistic"), (False, "bd", "tanh")])
def test_a_model_scikit_learn_fitted_imports_from_the_cli(pipeline, classes, activation,
                                                          tmp_path, drawings):
    est, X = _fitted(pipeline, classes, activation)
    sio.dump(est, tmp_path / "mine.skops")
    reg = tmp_path / "r.json"
    code, out, err = run("registry", "import", str(tmp_path / "mine.skops"), registry=reg)
    assert code == 0, err
    version = json.loads(out)["imported"][0]
    entry = registry.get(store.read_registry(reg), version)
    assert entry["model"]["preprocessing"] == ("center" if pipeline else "none")
    assert entry["dataset_info"]["file"] == "mine.skops"
    assert entry["dataset_info"]["estimator"].endswith("MLPClassifier")
    P = registry.load_recognizer(entry).predict_many(drawings)[2]
    assert np.abs(P - est.predict_proba(drawings)).max() < 1e-12
    letters = registry.load_recognizer(entry).predict_many(X)[0]
    assert (letters == est.predict(X)).mean() == 1.0


# --- the dependency-free predictors ---------------------------------------------------------


def _results_as_arrays(results: list[dict], classes: list[str]):
    P = np.array([[r["none_probability"] if c == NONE_LABEL else r["probabilities"][c]
                   for c in classes] for r in results])
    return P, [r["letter"] for r in results], [r["recognized"] for r in results]


def test_python_predictor_alone(entry, drawings, tmp_path):
    path = tmp_path / "letter_predictor.py"
    path.write_bytes(export_model(entry, "py").single())
    spec = importlib.util.spec_from_file_location("letter_predictor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = [module.predict(x.tolist()) for x in drawings]
    _compare(entry, drawings, *_results_as_arrays(results, entry["model"]["classes"]), EXACT)
    # every way to give a drawing reads the same; a NaN is refused
    x = drawings[-1].astype(int)
    rows = ["".join(map(str, r)) for r in x.reshape(10, 10)]
    forms = [x.tolist(), x.reshape(10, 10), rows, "".join(rows), "|".join(rows)]
    assert all(module.predict(f) == results[-1] for f in forms)
    with pytest.raises(ValueError, match="100 finite numbers"):
        module.predict([float("nan")] + [0] * 99)
    # as a script, in a Python that has nothing installed (-I: isolated, no site packages)
    bits = "".join(map(str, as_bits(DRAWINGS["b"][0])))
    p = subprocess.run([sys.executable, "-I", "-S", str(path), bits], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == module.predict(bits)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")
def test_javascript_predictor_in_node(entry, drawings, tmp_path):
    (tmp_path / "letter-predictor.mjs").write_bytes(export_model(entry, "js").single())
    (tmp_path / "drawings.json").write_text(json.dumps(drawings.astype(int).tolist()))
    (tmp_path / "run.mjs").write_text(
        'import { predict } from "./letter-predictor.mjs";\n'
        'import { readFileSync } from "node:fs";\n'
        'const X = JSON.parse(readFileSync(new URL("drawings.json", import.meta.url)));\n'
        # the last drawing as 10 strings, and as one string with separators, reads the same
        "const x = X.at(-1), as = (d) => JSON.stringify(predict(d));\n"
        "const rows = Array.from({ length: 10 }, (_, r) => x.slice(10 * r, 10 * r + 10).join(''))\n"
        "if (as(rows) !== as(x) || as(rows.join('|')) !== as(x)) throw new Error('rows differ');\n"
        "console.log(JSON.stringify(X.map((x) => predict(x))));\n")
    p = subprocess.run(["node", str(tmp_path / "run.mjs")], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    results = json.loads(p.stdout)
    _compare(entry, drawings, *_results_as_arrays(results, entry["model"]["classes"]), EXACT)


def test_predictors_refuse_a_drawing_of_the_wrong_size(tmp_path):
    entry = registry.get_production(store.read_registry(store.DEFAULT_BUNDLE))
    path = tmp_path / "letter_predictor.py"
    path.write_bytes(export_model(entry, "py").single())
    p = subprocess.run([sys.executable, str(path), "0101"], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 1 and "a drawing is 100 finite numbers (a 10x10 grid), got 4" in p.stderr


# --- the CLI --------------------------------------------------------------------------------


@pytest.fixture
def two_models(tmp_path, small_model):
    """A registry file whose production model is its second: the default model first,
    then the small sigmoid model, promoted."""
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    doc, _ = registry.register(doc, small_model, accuracy=0.9, promote=True)
    path = tmp_path / "registry.json"
    store.write_registry(path, doc)
    return path


def test_cli_exports_production_in_every_format(tmp_path, drawings, two_models):
    entry = registry.get_production(store.read_registry(two_models))
    assert store.read_registry(two_models)["models"][0]["version"] != entry["version"]
    for fmt in FORMATS:
        out = tmp_path / (f"m.{fmt}" if fmt in ("onnx", "js", "py") else f"{fmt}-dir")
        code, stdout, err = run("registry", "export", "--format", fmt, "-o", str(out),
                                registry=two_models)
        assert code == 0, err
        report = json.loads(stdout)
        assert report["exported"] == entry["version"] and report["format"] == fmt
    session = ort.InferenceSession(str(tmp_path / "m.onnx"))
    P = session.run(["probabilities"], {"drawing": drawings.astype(np.float32)})[0]
    assert np.abs(P - _expected(entry, drawings)[2]).max() < FLOAT32
    assert sorted(p.name for p in (tmp_path / "sklearn-dir").iterdir()) == [
        "README.txt", "letter_centering.py", "model.skops"]
    assert (tmp_path / "mlflow-dir" / "MLmodel").exists()
    code, _, err = run("registry", "export", "--format", "mlflow", "-o", str(tmp_path / "a.zip"),
                       registry=two_models)
    assert code == 0, err
    assert "MLmodel" in zipfile.ZipFile(tmp_path / "a.zip").namelist()


def test_cli_export_refuses_what_it_cannot_do(tmp_path, two_models):
    def export(*args):
        return run("registry", "export", *args, registry=two_models)

    v = registry.get_production(store.read_registry(two_models))["version"]
    code, _, err = export(v, v, "--format", "onnx")
    assert code == 1 and "--format exports one model; 2 versions" in err
    code, _, err = export("--format", "sklearn")
    assert code == 1 and "give -o FOLDER or -o FILE.zip" in err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    code, _, err = export("--format", "mlflow", "-o", str(tmp_path / "full"))
    assert code == 1 and "is not an empty folder; nothing was written" in err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    code, _, err = export("--format", "tflite")
    assert code == 2 and "invalid choice: 'tflite'" in err
    code, _, err = export("v9_nope", "--format", "onnx")
    assert code == 1 and "no model with version 'v9_nope'" in err


# --- bad files ------------------------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def _valid_skops() -> bytes:
    entry = registry.get_production(store.read_registry(store.DEFAULT_BUNDLE))
    return export_model(entry, "sklearn").files["model.skops"]


_VALID_SKOPS = _valid_skops()


def _edited(edit) -> bytes:
    z = zipfile.ZipFile(io.BytesIO(_valid_skops()))
    files = {n: z.read(n) for n in z.namelist()}
    schema = json.loads(files["schema.json"])
    edit(schema, files)
    files["schema.json"] = json.dumps(schema).encode()
    return _zip(files)


def _npy_header(shape: tuple[int, ...]) -> bytes:
    """A .npy file's header for ``shape`` (float64), with no data after it."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False,
                                                "shape": shape})
    return buf.getvalue()  # the magic string, the version and the header


def _mlp_attrs(schema: dict) -> dict:
    return schema["content"]["content"]["steps"]["content"][-1]["content"][1]["content"][
        "content"]


#: Bad files (made when a test asks: zip entries carry the time) and what each is told.
BAD_FILES = {
    "empty": (lambda: b"", "not a complete skops file"),
    "truncated": (lambda: b"PK\x03\x04 truncated", "not a complete skops file"),
    "no schema": (lambda: _zip({"other.json": b"{}"}), "not a complete skops file"),
    "broken schema": (lambda: _zip({"schema.json": b"[1, 2"}), "not a complete skops file"),
    "protocol 1": (lambda: _edited(lambda s, f: s.update(protocol=1)),
                   "uses protocol 1; the app reads protocol 2"),
    "another estimator": (lambda: _edited(lambda s, f: s.update(__class__="LogisticRegression")),
                          "the file holds sklearn.pipeline.LogisticRegression; the app imports"),
    "not fitted": (lambda: _edited(lambda s, f: _mlp_attrs(s).pop("coefs_")), "is not fitted"),
    "identity": (lambda: _edited(lambda s, f: _mlp_attrs(s)["activation"].update(
        content='"identity"')), "uses activation 'identity'; the app runs logistic, tanh, relu"),
    "output": (lambda: _edited(lambda s, f: _mlp_attrs(s)["out_activation_"].update(
        content='"identity"')), "output is 'identity'"),
    "unpacks to 65 MB": (lambda: _zip({"schema.json": b" " * (65 * 2**20)}),
                         "the file is 68157440 bytes; the limit is 67108864"),
    "an array claims 7 TB": (lambda: _edited(lambda s, f: f.update({
        sorted(n for n in f if n.endswith(".npy"))[0]: _npy_header((100, 10**10))})),
        "this skops file is damaged"),
    "activation is a list": (lambda: _edited(lambda s, f: _mlp_attrs(s)["activation"].update(
        content='["relu"]')), "uses activation ['relu']"),
    "steps is a number": (lambda: _edited(lambda s, f: s["content"]["content"]["steps"].update(
        __loader__="JsonNode", content="5")), "the file holds Pipeline(); the app imports"),
    "deeply nested": (lambda: _edited(lambda s, f: _mlp_attrs(s)["loss_curve_"].update(
        __loader__="JsonNode", content="[" * 100_000)), "this skops file is damaged"),
    "array missing": (lambda: _edited(lambda s, f: f.pop(sorted(n for n in f
                                                                if n.endswith(".npy"))[-1])),
                      "this skops file is damaged"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_skops_file_is_refused_and_nothing_changes(case, tmp_path):
    make, message = BAD_FILES[case]
    raw = make()
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    with pytest.raises(SkopsError, match=re.escape(message)):
        import_sklearn(doc, raw, "bad.skops")
    reg = tmp_path / "r.json"
    store.write_registry(reg, doc)
    before = reg.read_bytes()
    (tmp_path / "bad.skops").write_bytes(raw)
    code, _, err = run("registry", "import", str(tmp_path / "bad.skops"), registry=reg)
    assert code == 1 and message.split(";")[0][:40] in err
    assert reg.read_bytes() == before


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_model_on_other_features_is_refused():
    X, y = make_dataset(90, seed=1)
    clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=5).fit(X[:, :50], y)
    with pytest.raises(SkopsError, match="reads 50 features; the app's drawings are 100"):
        import_sklearn(registry.empty_registry(), sio.dumps(clf), "fifty.skops")


def test_every_truncation_or_flipped_byte_imports_intact_or_is_refused():
    raw = _valid_skops()
    rng = np.random.default_rng(0)
    cuts = [*rng.integers(1, len(raw), 25).tolist(), len(raw) - 1]
    flips = rng.integers(0, len(raw), 25).tolist()
    # bytes 10 and 11: the first member's time in its local header, which changes nothing
    flips = [10, 11, *rng.integers(0, len(raw), 25).tolist()]
    variants = [raw[:c] for c in cuts] + [
        raw[:i] + bytes([raw[i] ^ 0xFF]) + raw[i + 1:] for i in flips]
    want = registry.load_recognizer(_imported(raw)).predict_many(np.eye(100))[2]
    intact = 0
    for bad in variants:
        try:
            e = _imported(bad)
        except SkopsError:
            continue
        assert np.array_equal(registry.load_recognizer(e).predict_many(np.eye(100))[2], want)
        intact += 1
    assert intact >= 2  # the two time bytes at least


def _nodes(node):
    """Every node of a skops schema tree (a node is an object with a ``__loader__``)."""
    yield node
    content = node.get("content")
    if isinstance(content, dict) and "__loader__" in content:  # an object's attributes
        children = [content]
    elif isinstance(content, dict):  # a dict's values
        children = list(content.values())
    else:
        children = content if isinstance(content, list) else []
    for child in [*children, node.get("key_types")]:
        if isinstance(child, dict) and "__loader__" in child:
            yield from _nodes(child)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.text(max_size=3), inner, max_size=3), max_leaves=6)


@settings(max_examples=150)
@given(data=st.data())
def test_any_edit_of_the_schema_imports_or_is_refused_in_words(data):
    z = zipfile.ZipFile(io.BytesIO(_VALID_SKOPS))
    files = {n: z.read(n) for n in z.namelist()}
    schema = json.loads(files["schema.json"])
    # The nodes that hold others or files (JSON leaves are many and alike).
    nodes = [n for n in _nodes(schema) if n["__loader__"] not in ("JsonNode", "TypeNode")]
    node = nodes[data.draw(st.integers(0, len(nodes) - 1), label="node")]
    key = data.draw(st.sampled_from(["content", "content", "__loader__", "__class__", "file"]))
    node[key] = data.draw(_JSON, label="value")
    files["schema.json"] = json.dumps(schema).encode()
    try:
        import_sklearn(registry.empty_registry(), _zip(files), "edited.skops")
    except SkopsError as e:
        assert str(e) and "Traceback" not in str(e)
