"""The build: the vendored NumPy wheel is verified, dist/ carries every license, the
official files ship cut to what runs with their modules compiled, and the data files
training reads are served beside the site's wheel, not in it."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import marshal
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import build
from mlp_core.data import sources


def test_vendored_numpy_wheel_is_verified_and_needs_no_network(tmp_path, monkeypatch):
    assert build.numpy_wheel() == build.VENDORED / build.NUMPY_WHEEL
    assert "provisa" not in (build.ROOT / "build.py").read_text()
    tampered = tmp_path / build.NUMPY_WHEEL
    shutil.copy2(build.VENDORED / build.NUMPY_WHEEL, tampered)
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 1
    tampered.write_bytes(bytes(data))
    monkeypatch.setattr(build, "VENDORED", tmp_path)
    with pytest.raises(build.BuildError, match="sha256"):
        build.numpy_wheel()
    tampered.unlink()
    with pytest.raises(build.BuildError, match="missing"):
        build.numpy_wheel()


def test_dist_ships_the_license_and_every_third_party_notice(dist):
    assert (dist / "LICENSE.txt").read_text().startswith("MIT License")
    notices = (dist / "THIRD-PARTY-NOTICES.txt").read_text()
    for name, spdx, phrase in (("Pyodide 0.27.7", "MPL-2.0", "Mozilla Public License"),
                               ("CPython", "PSF-2.0", "PYTHON SOFTWARE FOUNDATION"),
                               ("NumPy", "BSD-3-Clause", "NumPy Developers"),
                               ("idb 8.0.3", "ISC", "Jake Archibald"),
                               ("uPlot 1.6.32", "MIT", "Leon Sorokin")):
        assert name in notices and f"({spdx})" in notices and phrase in notices, name


def _entries(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _matches_official(site: dict[str, bytes], official: dict[str, bytes]) -> None:
    """Each of the ``site``'s files is its ``official`` file byte for byte, or, for a
    ``.pyc``, the official module's code as build compiles it, for this Python's bytecode."""
    modules = {n: data for n, data in site.items() if n.endswith(".pyc")}
    code = build._bytecode({n[:-1]: ("<official>", official[n[:-1]]) for n in modules})
    for name, data in modules.items():
        assert data[:4] == importlib.util.MAGIC_NUMBER, name
        assert marshal.loads(data[16:]) == marshal.loads(code[name[:-1]][16:]), name
    for name, data in site.items():
        assert name.endswith((".pyc", "RECORD")) or data == official[name], name


def test_the_site_ships_the_official_files_cut_to_what_runs(dist):
    """The site's NumPy and standard library are the official files with parts left out,
    every kept file byte for byte but Python modules, which go compiled (the wheel's
    RECORD lists what is kept)."""
    for shipped, official, gone, kept in (
            (dist / "pyodide" / build.NUMPY_WHEEL, build.VENDORED / build.NUMPY_WHEEL,
             ("numpy/f2py/", "numpy/__init__.pyi", "numpy/_core/include/", "numpy/ma/"),
             ("numpy/_core/", "numpy/linalg/")),
            (dist / "pyodide" / "python_stdlib.zip", build.PYODIDE / "python_stdlib.zip",
             ("unittest/", "xml/", "encodings/cp1252.py", "pydoc.py"),
             ("json/", "encodings/utf_8.pyc", "pyodide/"))):
        site, full = _entries(shipped), _entries(official)
        assert len(site) < len(full)
        _matches_official(site, full)
        assert not any(n.startswith(gone) for n in site), shipped.name
        assert all(any(n.startswith(k) for n in site) for k in kept), shipped.name
    record = next(d for n, d in _entries(dist / "pyodide" / build.NUMPY_WHEEL).items()
                  if n.endswith("RECORD")).decode()
    assert "numpy/f2py" not in record and "numpy/_core/__init__.pyc,," in record


def test_python_ships_compiled_for_pyodides_python(dist, tmp_path, monkeypatch):
    """The archives hold no Python modules' source, only their bytecode, which is
    smaller deflated than NumPy's source; the build refuses a Python other than Pyodide's
    minor version, whose bytecode Pyodide could not read."""
    for archive in dist.joinpath("pyodide").glob("*.*"):
        if archive.suffix in (".whl", ".zip"):
            names = set(_entries(archive))
            source = {n for n in names if n.endswith(".py")}
            assert source <= {"site-packages/mlp_core/export/shipped/letter_centering.py",
                              "site-packages/mlp_core/export/shipped/letter_predictor.py"}, (
                archive.name, source)  # those two are read as text, for exports
            assert any(n.endswith(".pyc") for n in names), archive.name
    with zipfile.ZipFile(dist / "pyodide" / build.NUMPY_WHEEL) as site, \
            zipfile.ZipFile(build.VENDORED / build.NUMPY_WHEEL) as official:
        def deflated(z, suffix):
            return sum(i.compress_size for i in z.infolist() if i.filename.endswith(suffix))
        assert deflated(site, ".pyc") < 0.8 * deflated(official, ".py")
    lock = tmp_path / "pyodide-lock.json"
    lock.write_text(json.dumps({"info": {"python": "3.13.1"}}))
    monkeypatch.setattr(build, "PYODIDE_LOCK", lock)
    with pytest.raises(build.BuildError, match="Pyodide runs Python 3.13.1"):
        build.build(tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_the_data_files_are_served_precached_and_left_out_of_the_sites_wheel(dist):
    """Every data file training reads (sources.DATA_FILES) is at the site's root, as the
    worker fetches it before a training, in the service worker's precache (its exact
    bytes) and out of the site's mlp_core wheel; the page reads the same list."""
    assert set(build.DATA_FILES) == set(sources.DATA_FILES) == {"fonts.npz", "handwriting.npz"}
    sw = (dist / "sw.js").read_text()
    for name, path in build.DATA_FILES.items():
        served = (dist / name).read_bytes()
        assert served == path.read_bytes(), name
        digest = base64.b64encode(hashlib.sha256(served).digest()).decode()
        assert f'["{name}", "sha256-{digest}"]' in sw, name
    (wheel,) = (dist / "pyodide").glob("mlp_core-*.whl")
    names = set(_entries(wheel))
    assert "mlp_core/data/sources.pyc" in names
    assert not any(n.endswith((".npz", "/default_registry.json")) for n in names), names
    # ... nor the fonts' licence texts, which dist/THIRD-PARTY-NOTICES.txt holds: the wheel
    # is fetched before the first prediction.
    assert not any("/licenses/vendor/" in n for n in names), names
    assert wheel.stat().st_size < 200_000
    generated = (dist / "shared" / "limits.generated.js").read_text()
    assert f"export const DATA_FILES = {list(sources.DATA_FILES)!r};".replace("'", '"') in generated


def test_what_a_first_prediction_does_not_import_is_shipped_apart(dist):
    """build.LATER holds the parts that build's *_LATER tables name, the official files
    byte for byte, below the standard library's folder (the packages' in site-packages/);
    the archives fetched before ready hold none of them. The start's progress leaves
    LATER out, and the service worker precaches it."""
    assert build.STDLIB_LATER <= build.STDLIB_KEEP
    later = _entries(dist / "pyodide" / build.LATER)
    official = {**_entries(build.PYODIDE / "python_stdlib.zip"),
                **_entries(build.VENDORED / build.NUMPY_WHEEL)}
    (wheel,) = (dist / "pyodide").glob("mlp_core-*.whl")
    deferred = {"python_stdlib.zip": build._stdlib_later, build.NUMPY_WHEEL: build._numpy_later,
                wheel.name: build._mlp_core_later}
    for name in later:
        inner = name.removeprefix("site-packages/").removesuffix("c")
        assert any(later_part(inner) for later_part in deferred.values()), name
    _matches_official({n.removeprefix("site-packages/"): data for n, data in later.items()
                       if not n.startswith("site-packages/mlp_core/")}, official)
    assert {n.split("/")[1] for n in later if n.startswith("site-packages/")} == {
        "numpy", "mlp_core"}
    assert any(n.startswith("site-packages/mlp_core/export/") for n in later)
    assert "argparse.pyc" in later and "site-packages/numpy/testing/__init__.pyc" in later
    assert "site-packages/numpy/random/_generator.cpython-312-wasm32-emscripten.so" in later
    for archive, later_part in deferred.items():
        assert not any(later_part(n) for n in _entries(dist / "pyodide" / archive)), archive
    generated = (dist / "shared" / "runtime.generated.js").read_text()
    assert f'export const LATER = "{build.LATER}";' in generated
    boot = next(line for line in generated.splitlines() if "BOOT_BYTES =" in line)
    assert build.LATER not in boot and "python_stdlib.zip" in boot
    assert f'["pyodide/{build.LATER}", "sha256-' in (dist / "sw.js").read_text()


def test_the_server_sends_no_body_for_a_copy_the_browser_has(dist):
    """As GitHub Pages does: a request naming the version it has gets 304, compressed or
    not (the service worker's precache then reuses what the start downloaded)."""
    import urllib.error
    import urllib.request

    from browser import Server

    server = Server(dist)
    try:
        for name in ("locales/en.json", f"pyodide/{build.LATER}"):
            request = urllib.request.Request(server.url + name,
                                             headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200 and response.read()
                modified = response.headers["Last-Modified"]
            request.add_header("If-Modified-Since", modified)
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(request, timeout=30)
            assert answer.value.code == 304, name
    finally:
        server.close()


#: A static import or re-export in an ES module (not ``import()``).
STATIC_IMPORT = re.compile(r'^\s*(?:import|export)\s(?:[^;"]*?\sfrom\s*)?"([^"]+)"', re.M)


def test_the_worker_asks_for_all_its_modules_in_two_rounds(dist):
    """Every module of the worker's static graph is at most two imports from its entry
    (worker/main.js imports the deeper ones itself): the browser asks for a module's
    imports only once it has arrived, and each round through the service worker adds to
    every warm start."""
    depth: dict[Path, int] = {}
    todo = [(dist / "worker" / "main.js", 0)]
    while todo:
        path, d = todo.pop()
        path = path.resolve()
        if depth.get(path, 99) <= d:
            continue
        depth[path] = d
        if path.suffix in (".js", ".mjs"):
            todo += [(path.parent / m, d + 1) for m in STATIC_IMPORT.findall(path.read_text())]
    assert len(depth) > 20 and all(p.exists() for p in depth)
    deep = {p.relative_to(dist).as_posix(): d for p, d in depth.items() if d > 2}
    assert not deep, f"import these in worker/main.js too: {deep}"
