"""``python -m mlp_core`` end to end, as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT
from drawings import DRAWINGS, as_bits


def run(*args, stdin: str = "", registry=None):
    cmd = [sys.executable, "-m", "mlp_core"]
    if registry is not None:
        cmd += ["--registry", str(registry)]
    p = subprocess.run([*cmd, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def bits(rows) -> str:
    return "".join(map(str, as_bits(rows)))


def test_predict_default_registry_reads_drawn_letters():
    letters = [(k, d) for k, ds in DRAWINGS.items() for d in ds]
    code, out, err = run("predict", *(bits(d) for _, d in letters))
    assert code == 0, err
    results = lines(out)
    assert [r["letter"] for r in results] == [k for k, _ in letters]
    assert all(r["recognized"] is True for r in results)
    assert all(set(r) == {"letter", "recognized", "probabilities", "none_probability",
                          "confidence", "model_version"} for r in results)


def test_predict_says_when_a_drawing_is_none_of_the_letters():
    plus = "".join("1" if r == 4 or c == 4 else "0" for r in range(1, 9) for c in range(10))
    code, out, err = run("predict", "0" * 100, "1" * 100, "0" * 10 + plus + "0" * 10)
    assert code == 0, err
    assert [r["recognized"] for r in lines(out)] == [False, False, False]
    assert all(r["none_probability"] > 0.5 for r in lines(out))
    code, out, _ = run("info")
    assert json.loads(out)["rejection"]["can_reject"] is True


def test_predict_from_stdin_accepts_grid_separators():
    rows = DRAWINGS["f"][0]
    spaced = "|".join("".join("1" if c == "#" else "0" for c in r) for r in rows)
    code, out, _ = run("predict", "-", stdin=bits(DRAWINGS["b"][1]) + "\n\n" + spaced + "\n")
    assert code == 0
    assert [r["letter"] for r in lines(out)] == ["b", "f"]


@pytest.mark.parametrize("arg", ["0101", "2" * 100, "0" * 101])
def test_predict_bad_input_one_line_error(arg):
    code, out, err = run("predict", "0" * 100, arg)
    assert code == 1 and out == ""  # nothing printed for the valid one either
    assert err.startswith("error: a pattern must be 100 characters of 0 and 1")
    assert len(err.strip().splitlines()) == 1


def test_train_registry_and_info_flow(tmp_path):
    reg = tmp_path / "reg.json"
    code, out, err = run("train", "--hidden-layer-sizes", "8", "--max-epochs", "3",
                         "--n-samples", "300", registry=reg)
    assert code == 0, err
    first = lines(out)[0]
    assert first["is_production"] and first["epochs"] == 3
    assert err.count("epoch ") == 3 and "val_acc" in err  # progress per epoch
    code, out, err = run("train", "--quiet", "--activation", "tanh", "--max-epochs", "2",
                         "--n-samples", "300", "--promote", registry=reg)
    second = lines(out)[0]
    assert code == 0 and second["is_production"] and err == ""

    listed = lines(run("registry", "list", registry=reg)[1])
    assert [m["version"] for m in listed] == [first["version"], second["version"]]
    assert [m["is_production"] for m in listed] == [False, True]
    assert run("info", registry=reg)[1] and lines(run("info", registry=reg)[1])[0][
        "hyperparameters"]["activation"] == "tanh"
    assert lines(run("health", registry=reg)[1])[0]["status"] == "healthy"

    code, _, err = run("registry", "delete", second["version"], registry=reg)
    assert code == 1 and "promote another model first" in err
    assert run("registry", "promote", first["version"], registry=reg)[0] == 0
    assert run("registry", "delete", second["version"], registry=reg)[0] == 0

    bundle = tmp_path / "bundle.json"
    assert run("registry", "export", "-o", str(bundle), registry=reg)[0] == 0
    other = tmp_path / "other.json"
    code, out, _ = run("registry", "import", str(bundle), registry=other)
    assert code == 0 and lines(out)[0]["imported"] == [first["version"]]
    assert json.loads(other.read_text()) == json.loads(reg.read_text())


def test_import_broken_bundle_leaves_registry_untouched(tmp_path):
    reg = tmp_path / "reg.json"
    run("train", "--quiet", "--max-epochs", "1", "--n-samples", "100", registry=reg)
    before = reg.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "models": [{"version": "x"}]}')
    code, out, err = run("registry", "import", str(broken), registry=reg)
    assert code == 1 and out == ""
    assert err.startswith("error: models[0] must be an object with exactly the keys")
    assert reg.read_bytes() == before


def test_bad_hyperparameter_and_missing_registry(tmp_path):
    code, _, err = run("train", "--learning-rate", "-1", registry=tmp_path / "r.json")
    assert code == 1 and "learning_rate must be a number above 0" in err
    assert not (tmp_path / "r.json").exists()
    code, _, err = run("train", "--preset", "qui", registry=tmp_path / "r.json")  # not "quick"
    assert code == 2 and "invalid choice: 'qui'" in err and not (tmp_path / "r.json").exists()
    code, _, err = run("predict", "0" * 100, registry=tmp_path / "none.json")
    assert code == 1 and "no production model" in err
