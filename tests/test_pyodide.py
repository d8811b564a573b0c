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
    (extra / "runner.js").write_text((ROOT / "tests" / "pyodide" / "runner.js").read_text())
    (extra / "index.html").write_text("<!doctype html><title>pyodide tests</title>")
    s = Server(dist, extra)
    s.wheels = names
    yield s
    s.close()


def test_core_suite_passes_in_pyodide(chromium, test_server):
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        page.goto(test_server.url + "__tests__/index.html")
        result = page.evaluate("""([wheels, args]) => new Promise((resolve) => {
            const w = new Worker("runner.js", {type: "module"});
            w.onmessage = (e) => resolve(e.data);
            w.onerror = (e) => resolve({code: -2, output: e.message});
            w.postMessage({wheels, args});
        })""", [test_server.wheels, ["-q", "-p", "no:cacheprovider", "-W", "ignore", *CORE_TESTS]])
    finally:
        ctx.close()
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
