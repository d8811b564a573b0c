"""`pip install` the repository into a fresh virtual environment, then use the CLI from
another folder: the default models come with the package, and writes go to the user's
own registry (or ``--registry``), never into site-packages."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT
from drawings import DRAWINGS, as_bits


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("install")
    venv.create(base / "venv", with_pip=True)
    bin_dir = base / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    # numpy pinned to the dev version so pip's cache (filled by `make`) is enough.
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--timeout", "60",
                    "--retries", "3", str(ROOT), "numpy==2.0.2"], check=True, timeout=600)
    home = base / "home"
    home.mkdir()
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_DATA_HOME", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([bin_dir / "mlp-core", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=300)

    site = subprocess.run([bin_dir / "python", "-c",
                           "import mlp_core, pathlib; print(pathlib.Path(mlp_core.__file__)"
                           ".parent)"], capture_output=True, text=True, check=True)
    return cli, home, elsewhere, site.stdout.strip()


def _tree_digest(folder: str) -> str:
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if not name.endswith(".pyc"):
                h.update(name.encode() + Path(root, name).read_bytes())
    return h.hexdigest()


def test_installed_cli_predicts_and_informs_from_any_folder(installed):
    cli, _, _, _ = installed
    bits = "".join(map(str, as_bits(DRAWINGS["b"][0])))
    out = cli("predict", bits)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["letter"] == "b" and result["recognized"] is True
    info = cli("info")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["version"] == result["model_version"]
    assert json.loads(cli("health").stdout)["status"] == "healthy"


def test_installed_cli_writes_to_the_user_registry_never_site_packages(installed, tmp_path):
    cli, home, elsewhere, package = installed
    before = _tree_digest(package)
    trained = cli("train", "--quiet", "--max-epochs", "2", "--n-samples", "300")
    assert trained.returncode == 0, trained.stderr
    mine = home / ".local" / "share" / "mlp-core" / "registry.json"
    assert mine.exists()
    versions = [json.loads(line)["version"] for line in cli("registry", "list").stdout.splitlines()]
    assert len(versions) == 2 and json.loads(trained.stdout)["version"] in versions
    assert _tree_digest(package) == before
    assert not any(elsewhere.iterdir())  # nothing written where the command ran
    other = tmp_path / "team.json"
    assert cli("--registry", str(other), "train", "--quiet", "--max-epochs", "2",
               "--n-samples", "300").returncode == 0
    assert len(cli("--registry", str(other), "registry", "list").stdout.splitlines()) == 1
    assert len(cli("registry", "list").stdout.splitlines()) == 2
