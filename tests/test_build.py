"""The build: the vendored NumPy wheel is verified, and dist/ carries every license."""

from __future__ import annotations

import shutil
import zipfile

import pytest

import build


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


def test_the_site_ships_the_official_files_cut_to_what_runs(dist):
    """The site's NumPy and standard library are the official files with parts left out,
    every kept file byte for byte (the wheel's RECORD lists what is kept)."""
    for shipped, official, gone, kept in (
            (dist / "pyodide" / build.NUMPY_WHEEL, build.VENDORED / build.NUMPY_WHEEL,
             ("numpy/f2py/", "numpy/__init__.pyi", "numpy/_core/include/", "numpy/ma/"),
             ("numpy/_core/", "numpy/random/", "numpy/linalg/")),
            (dist / "pyodide" / "python_stdlib.zip", build.PYODIDE / "python_stdlib.zip",
             ("unittest/", "xml/", "encodings/cp1252.py", "pydoc.py"),
             ("json/", "encodings/utf_8.py", "pyodide/"))):
        site, full = _entries(shipped), _entries(official)
        assert len(site) < len(full)
        for name, data in site.items():
            assert name.endswith("RECORD") or data == full[name], name
        assert not any(n.startswith(gone) for n in site), shipped.name
        assert all(any(n.startswith(k) for n in site) for k in kept), shipped.name
    record = next(d for n, d in _entries(dist / "pyodide" / build.NUMPY_WHEEL).items()
                  if n.endswith("RECORD")).decode()
    assert "numpy/f2py" not in record and "numpy/_core/__init__.py" in record
