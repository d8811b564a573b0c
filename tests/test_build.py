"""The build: the vendored NumPy wheel is verified, and dist/ carries every license."""

from __future__ import annotations

import shutil

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
    assert (dist / "pyodide" / build.NUMPY_WHEEL).read_bytes() == (
        build.VENDORED / build.NUMPY_WHEEL).read_bytes()
