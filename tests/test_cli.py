"""``python -m mlp_core`` end to end, as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT
from drawings import DRAWINGS, as_bits

from mlp_core.registry import store


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


@pytest.mark.parametrize("arg, message", [
    ("0101", "pattern must be 100 cells of 0 and 1 (a 10x10 grid as a list of rows, a flat "
     "list, or a string of 100 characters 0 and 1); got a string of 4 characters"),
    ("2" * 100, "pattern character 0 is '2'; a pattern written as text holds only 0 and 1"),
    ("0" * 101, "pattern must be 100 cells of 0 and 1"),
])
def test_predict_bad_input_one_line_error(arg, message):
    code, out, err = run("predict", "0" * 100, arg)
    assert code == 1 and out == ""  # nothing printed for the valid one either
    assert err.startswith(f"error: {message}")
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


#: An "e" written as text, as a person might put it in a JSON file: rows split by "|".
E_TEXT = "|".join(["0000000000", "0001111000", "0010000100", "0100000010", "0111111110",
                   "0100000000", "0100000000", "0010000100", "0001111000", "0000000000"])
#: The same e, smaller and to the left: never a template.
E_SMALL = "".join(["0000000000", "0000000000", "0000000000", "0011100000", "0100010000",
                   "0111110000", "0100000000", "0100010000", "0011100000", "0000000000"])
QUICK = ("--preset", "quick", "--n-samples", "3000", "--max-epochs", "12", "--quiet")


def test_train_learns_a_letter_whose_template_and_samples_are_text(tmp_path):
    """``train --templates`` adds a letter to the default recipe; a template and drawn
    examples written as 100 characters 0/1 (with separators) are read like lists: the
    train drawings are trained on, the test drawings judge the model (the gate)."""
    templates, samples = tmp_path / "letters.json", tmp_path / "samples.json"
    templates.write_text(json.dumps({"e": E_TEXT}))
    samples.write_text(json.dumps(
        [{"label": "e", "pattern": E_SMALL, "split": "train"}] * 3
        + [{"label": "e", "pattern": " ".join(E_SMALL), "split": "test"},
           {"label": "b", "pattern": bits(DRAWINGS["b"][0]), "split": "test"}]))
    reg = tmp_path / "reg.json"
    code, out, err = run("train", *QUICK, "--templates", str(templates), "--samples",
                         str(samples), "--promote", registry=reg)
    assert code == 0, err
    trained = lines(out)[0]
    assert trained["is_production"] and trained["gate"]["evidence"]["n"] == 2
    info = lines(run("info", registry=reg)[1])[0]
    assert sorted(info["classes"]) == ["b", "d", "e", "f"]
    assert info["dataset_info"]["templates"]["e"] == [int(c) for c in E_TEXT if c != "|"]
    assert info["dataset_info"]["user_samples"] == 3
    code, out, err = run("predict", E_TEXT, bits(DRAWINGS["d"][0]), registry=reg)
    assert code == 0, err
    assert [(r["letter"], r["recognized"]) for r in lines(out)] == [("e", True), ("d", True)]


def test_finetune_reads_samples_written_as_text(tmp_path):
    reg = tmp_path / "reg.json"
    reg.write_bytes(store.DEFAULT_BUNDLE.read_bytes())
    samples = tmp_path / "samples.json"
    samples.write_text(json.dumps([{"label": k, "pattern": bits(d), "split": "train"}
                                   for k, ds in DRAWINGS.items() for d in ds]))
    code, out, err = run("finetune", "--samples", str(samples), "--epochs", "1", "--quiet",
                         registry=reg)
    assert code == 0, err
    assert lines(out)[0]["parent"] == lines(run("info", registry=reg)[1])[0]["version"]


@pytest.mark.parametrize("command", ["train", "finetune"])
@pytest.mark.parametrize("templates, samples, message", [
    ({"e": E_TEXT[:-1]}, [], "templates.e: pattern must be 100 cells of 0 and 1 (a 10x10 "
     "grid as a list of rows, a flat list, or a string of 100 characters 0 and 1); got a "
     "string of 99 characters"),
    ({"e": E_TEXT.replace("1", "#", 1)}, [], "templates.e: pattern character 14 is '#'"),
    ({"e": [1] * 99}, [], "templates.e: pattern must have 100 values (10x10), got shape"),
    (["e"], [], "templates must be an object"),
    ({}, [{"label": "b", "pattern": "1" * 101}], "samples[0]: pattern must be 100 cells of "
     "0 and 1 (a 10x10 grid as a list of rows, a flat list, or a string of 100 characters "
     "0 and 1); got a string of 101 characters"),
])
def test_a_bad_text_pattern_is_refused_clearly_and_nothing_is_written(
        tmp_path, command, templates, samples, message):
    reg = tmp_path / "reg.json"
    if command == "finetune":
        reg.write_bytes(store.DEFAULT_BUNDLE.read_bytes())
    before = reg.read_bytes() if reg.exists() else None
    (tmp_path / "t.json").write_text(json.dumps(templates))
    (tmp_path / "s.json").write_text(json.dumps(samples))
    flags = QUICK if command == "train" else ("--epochs", "1", "--quiet")
    code, out, err = run(command, *flags, "--templates", str(tmp_path / "t.json"),
                         "--samples", str(tmp_path / "s.json"), "--promote", registry=reg)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {message}") and len(err.strip().splitlines()) == 1, err
    assert (reg.read_bytes() if reg.exists() else None) == before
