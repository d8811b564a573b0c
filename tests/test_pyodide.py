"""The core unit tests, run again inside Pyodide in Chromium: CPython and wasm agree.

The built site's Pyodide loads the site's own mlp_core wheel, then pytest and
hypothesis (pure-Python wheels from PyPI, cached outside the repo) and runs the same test
modules that run on CPython, including the check that retraining the default model
reproduces the committed weights exactly.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from browser import Server
from conftest import ROOT

from mlp_core import export

pytestmark = pytest.mark.browser

CORE_TESTS = ["tests/test_mlp.py", "tests/test_data.py", "tests/test_metrics.py",
              "tests/test_serialize.py", "tests/test_registry.py", "tests/test_service.py",
              "tests/test_properties.py", "tests/test_webapi.py", "tests/test_rejection.py",
              "tests/test_history.py", "tests/test_finetune.py", "tests/test_monitoring.py",
              "tests/test_model_card.py", "tests/test_project.py"]
# Pure-Python test dependencies for Pyodide, pinned to the versions used on CPython.
TEST_WHEELS = ["pytest==8.3.5", "pluggy==1.5.0", "iniconfig==2.1.0", "packaging==25.0",
               "hypothesis==6.131.0", "attrs==25.3.0", "sortedcontainers==2.4.0"]


# What pytest, hypothesis and pluggy import that the site's trimmed standard library
# leaves out (measured). The core suite may take these from stdlib-extra.zip; anything
# else from there means the site is missing a module that mlp_core or NumPy needs.
TOOLS_ONLY_STDLIB = frozenset({
    "_sysconfigdata__emscripten_wasm32-emscripten", "bdb", "cmd", "code", "codeop",
    "decimal", "difflib", "encodings.unicode_escape", "fractions", "getpass", "glob",
    "gzip", "http", "pdb", "pkgutil", "pprint", "queue", "shlex", "sysconfig", "tomllib",
    "unittest", "uuid", "xml", "zoneinfo"})

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "letter-recognizer"


def _wheels() -> list[Path]:
    cache = CACHE / "pyodide-test-wheels"
    wanted = {spec.split("==")[0].replace("-", "_").lower(): spec for spec in TEST_WHEELS}
    have = {p.name.split("-")[0].lower(): p for p in cache.glob("*.whl")} if cache.exists() \
        else {}
    if set(wanted) - set(have):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--timeout", "60", "--retries", "3",
                        "--only-binary", ":all:", "--python-version", "3.12",
                        "--platform", "any", "-d", str(cache), *TEST_WHEELS], check=True,
                       timeout=600)
        have = {p.name.split("-")[0].lower(): p for p in cache.glob("*.whl")}
    return [have[name] for name in wanted]


def _project_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in [*ROOT.glob("tests/*.py"), ROOT / "pyproject.toml"]:
            z.write(path, path.relative_to(ROOT).as_posix())
    return buf.getvalue()


def _stdlib_extra() -> bytes:
    """The official standard library's modules that the site leaves out (build.py)."""
    import build

    buf = io.BytesIO()
    with zipfile.ZipFile(build.PYODIDE / "python_stdlib.zip") as full, \
            zipfile.ZipFile(buf, "w") as z:
        for info in full.infolist():
            if not build._stdlib_kept(info.filename):
                z.writestr(info, full.read(info))
    return buf.getvalue()


@pytest.fixture(scope="module")
def test_server(dist, tmp_path_factory):
    extra = tmp_path_factory.mktemp("pyodide-tests")
    (extra / "wheels").mkdir()
    names = []
    for wheel in _wheels():
        (extra / "wheels" / wheel.name).write_bytes(wheel.read_bytes())
        names.append(wheel.name)
    (extra / "project.zip").write_bytes(_project_zip())
    (extra / "stdlib-extra.zip").write_bytes(_stdlib_extra())
    for name in ("runner.js", "first-prediction.js"):
        (extra / name).write_text((ROOT / "tests" / "pyodide" / name).read_text())
    (extra / "index.html").write_text("<!doctype html><title>pyodide tests</title>")
    s = Server(dist, extra)
    s.wheels = names
    yield s
    s.close()


def _in_worker(chromium, server: Server, script: str, message) -> dict:
    """What the test worker ``script`` (served under __tests__/) posts back for
    ``message``; ``{"error"}`` if it fails to run."""
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        page.goto(server.url + "__tests__/index.html")
        return page.evaluate("""([script, message]) => new Promise((resolve) => {
            const w = new Worker(script, {type: "module"});
            w.onmessage = (e) => resolve(e.data);
            w.onerror = (e) => resolve({error: e.message});
            w.postMessage(message);
        })""", [script, message])
    finally:
        ctx.close()


def test_core_suite_passes_in_pyodide(chromium, test_server):
    result = _in_worker(chromium, test_server, "runner.js", {"wheels": test_server.wheels, "args": [
        "-q", "-p", "no:cacheprovider", "-W", "ignore", *CORE_TESTS]})
    assert "error" not in result, result.get("error")
    print(result["output"])
    if os.environ.get("PYODIDE_MODULES"):  # where every imported module came from
        Path(os.environ["PYODIDE_MODULES"]).write_text(json.dumps(result["modules"], indent=0))
    assert result["code"] == 0, result["output"][-4000:]
    assert " passed" in result["output"] and " failed" not in result["output"]
    from_extra = {name if name.startswith("encodings.") else name.split(".")[0]
                  for name, file in result["modules"].items()
                  if file and file.startswith("/lib/stdlib-extra/")}
    assert from_extra <= TOOLS_ONLY_STDLIB, from_extra - TOOLS_ONLY_STDLIB
    assert result["modules"]["numpy"].startswith("/lib/python3.12/site-packages/numpy/")


# Every operation the worker runs before the runtime's later parts are installed (all but
# handlers.js NEEDS_LATER), as the App calls behind it: each must work without them.
V = "json.loads(app.list())[0]['version']"
SAMPLE = "{'label': 'b', 'pattern': [1] * 100, 'split': 'test'}"
WITHOUT_LATER = [
    *((m, f"app.{m}()") for m in ("settings", "templates", "model_info", "health", "list",
                                  "production_history")),
    *((m, f"app.{m}({V})") for m in ("get", "weights", "training_history")),
    ("predict", "app.predict(json.dumps([0] * 100))"),
    ("predict_all_bits", "app.predict_all_bits('0' * 100)"),
    ("predict_with_bits", f"app.predict_with_bits({V}, '0' * 100)"),
    ("echo", "app.echo('[1]')"),
    ("monitoring", "app.monitoring_summary('[]', ''); app.monitoring_unsure('[]', '*', 24); "
     "app.monitoring_disagreements('[]', 24)"),
    ("own data", f"app.with_splits(json.dumps([{SAMPLE}])); app.check_split('\"train\"'); "
     f"app.check_sample(json.dumps({SAMPLE}), '[\"b\"]'); "
     "app.check_class(json.dumps({'letter': 'x', 'template': [1] * 50 + [0] * 50}), '[]')"),
    ("evaluate", f"app.evaluate('', json.dumps([{SAMPLE}])); "
     f"app.evaluate_all(json.dumps([{SAMPLE}]))"),
    ("export and project", "app.export('null'); app.project('[]', '[]', '2026-12-07T00:00:00Z')"),
    ("registry changes", f"""
for op, args in [("update", {{"version": {V}, "notes": "n", "tags": ["t"]}}),
                 ("import", {{"bundle": app.export("null")}}),
                 ("restore", {{"project": app.project("[]", "[]", "2026-12-07T00:00:00Z")}}),
                 ("repair", {{}}), ("set_production", {{"version": {V}}})]:
    app.plan(op, json.dumps(args))
    app.adopt()"""),
    ("a coded error", "from mlp_core.messages import explain\ntry:\n"
     "    app.check_sample(json.dumps({'label': 'q', 'pattern': [1] * 99}), '[]')\n"
     "except ValueError as e:\n    explain(e)"),
]
# The operations of NEEDS_LATER: the first fails without the later parts, all work with.
TRAIN = ("while not json.loads(app.train_step()).get('done'):\n    pass\n"
         "app.plan('register', json.dumps({'promote': False})); app.adopt()")
NEEDS_LATER = [
    *((f"export_as {f}", f"app.export_as({V}, '{f}')") for f in export.FORMATS),
    ("model_card", f"app.model_card({V}, '[]')"),
    ("compare", f"app.compare({V}, json.dumps([{SAMPLE}]))"),
    ("train", "app.start_training(json.dumps({'hyperparameters': {'hidden_layer_sizes': [8], "
     "'max_epochs': 2}, 'data': {'n_samples': 300}}))\n" + TRAIN),
    ("fine-tune", "app.start_finetune(json.dumps({'samples': [" + SAMPLE.replace("test", "train")
     + "]}))\n" + TRAIN),
]


def _files(modules: dict, libraries: list[str], under: str) -> set[str]:
    """The files below ``under`` that the modules and libraries came from."""
    return {path.split(under, 1)[1] for path in [*modules.values(), *libraries]
            if path and under in path}


def test_a_first_prediction_imports_exactly_what_ready_ships(chromium, test_server):
    """Starting as the page does, loading the default models and predicting imports every
    standard-library module, NumPy file and mlp_core module shipped before ready, and
    nothing of ``build.LATER`` (not there yet); every operation but handlers.js's
    NEEDS_LATER then runs without it, and those run once the worker installed it."""
    import build

    result = _in_worker(chromium, test_server, "first-prediction.js", {
        "before": [*WITHOUT_LATER, NEEDS_LATER[0]], "after": NEEDS_LATER})
    assert "error" not in result, result.get("error")
    modules, libraries = result["modules"], result["libraries"]
    stdlib = {name.split("/")[0].removesuffix(".pyc")
              for name in _files(modules, libraries, "/python312.zip/")}
    ready = build.STDLIB_KEEP - build.STDLIB_LATER
    assert stdlib == ready, (f"shipped before ready, not imported: {sorted(ready - stdlib)}; "
                             f"imported, shipped later: {sorted(stdlib - ready)}: update "
                             "build.STDLIB_LATER")
    loaded = _files(modules, libraries, "/site-packages/")
    for wheel in (build.DIST / "pyodide").glob("*.whl"):
        with zipfile.ZipFile(wheel) as z:
            code = {n for n in z.namelist() if n.endswith((".pyc", ".so"))}
        used = {f for f in loaded if f.split("/")[0] in {n.split("/")[0] for n in code}}
        assert code == used, (f"{wheel.name}: shipped before ready, not imported: "
                              f"{sorted(code - used)} (add them to build's *_LATER)")
    failed = dict(result["withoutLater"])
    assert "No module named 'mlp_core.export'" in failed.pop(NEEDS_LATER[0][0])
    assert failed == dict.fromkeys(failed), {k: v for k, v in failed.items() if v}
    after = dict(result["withLater"])
    assert after == dict.fromkeys(after), {k: v for k, v in after.items() if v}
