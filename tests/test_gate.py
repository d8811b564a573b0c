"""The promotion gate's rules (``mlp_core.service.gate``): paired evidence on the test
drawings, and what must not be lost (rejection, the gate's own validation set)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from drawings import DRAWINGS, as_bits

from mlp_core import cli, registry
from mlp_core.data.heldout import heldout_set
from mlp_core.limits import NONE_LABEL
from mlp_core.registry import store
from mlp_core.service import gate
from mlp_core.service.gate import compare, drawings_needed, sign_test, wilson
from mlp_core.training.train import train_model

LETTERS = ["b", "d", "f"]


class Scripted:
    """A recognizer whose answer to test drawing i (pixel i inked, nothing else) is
    ``answers[i]`` (a letter, or ``NONE_LABEL`` to reject); every other drawing it
    rejects, so both sides of a comparison tie on everything but the test drawings."""

    can_reject = True
    letters = LETTERS

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers

    def predict_many(self, X):
        X = np.asarray(X)
        letter, recognized = np.full(len(X), "b"), np.zeros(len(X), dtype=bool)
        for row, x in enumerate(X):
            if x.sum() == 1 and int(x.argmax()) < len(self.answers):
                answer = self.answers[int(x.argmax())]
                if answer != NONE_LABEL:
                    letter[row], recognized[row] = answer, True
        return letter, recognized, np.zeros((len(X), 4))


def entry(version: str, accuracy: float = 0.9) -> dict:
    return {"version": version, "accuracy": accuracy, "dataset_info": {"val_samples": 100}}


def judge(truth: list[str], champion: list[str], challenger: list[str]) -> dict:
    X = np.eye(100)[:len(truth)]
    return compare((entry("A"), Scripted(champion)), (entry("B"), Scripted(challenger)),
                   X, np.array(truth, dtype=str))


def scripted(n: int, wins: int, losses: int) -> dict:
    """``n`` test drawings of b: the challenger alone right on ``wins``, production alone
    on ``losses``, both right on the rest."""
    truth = ["b"] * n
    champion = ["d"] * wins + ["b"] * (n - wins)
    challenger = ["b"] * wins + ["d"] * losses + ["b"] * (n - wins - losses)
    return judge(truth, champion, challenger)


def test_statistics():
    assert sign_test(0, 0) == 1.0
    assert sign_test(4, 0) == 1 / 16 and sign_test(5, 0) == 1 / 32
    assert sign_test(0, 4) == 1.0
    assert sign_test(7, 1) == pytest.approx(9 / 256)
    lo, hi = wilson(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-4) and hi == pytest.approx(0.9433, abs=1e-4)
    assert wilson(0, 0) is None and wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0
    assert drawings_needed(4, 4, 0) == 5  # 5 of 5 one way: p = 1/32
    assert drawings_needed(4, 1, 0) == 20  # one disagreement in 4 drawings: 5 needed
    assert drawings_needed(10, 3, 3) is None and drawings_needed(10, 0, 2) is None
    assert drawings_needed(0, 0, 0) is None
    assert drawings_needed(4, 3, 1) == 16  # 17 would not decide it, 16 and 18 would
    # Near ties need thousands of drawings, or more than there can be: found at once.
    assert drawings_needed(40, 11, 10) == 2360
    assert drawings_needed(3000, 201, 199) is None


@pytest.mark.parametrize("n", [0, 1, 4, 40])
def test_no_disagreement_never_promotes(n):
    out = scripted(n, 0, 0)
    assert out["verdict"] == ("untested" if n == 0 else "equal")
    assert out["promote"] is False and out["criteria"][0] == {
        "name": "test", "passed": False, "limit": gate.ALPHA}
    assert out["evidence"]["needed"] is None


@pytest.mark.parametrize("n", [1, 4])
def test_a_handful_of_drawings_all_one_way_is_not_enough(n):
    out = scripted(n, n, 0)  # the challenger alone is right on every drawing
    assert out["verdict"] == "unsure" and out["promote"] is False
    assert out["evidence"] == {"n": n, "challenger_only": n, "champion_only": 0,
                               "p_value": 0.5 ** n, "alpha": gate.ALPHA, "needed": 5}
    assert "too few to tell them apart" in out["reason"] and "about 5 test drawings" in out[
        "reason"]
    assert out["difference"]["test"] == pytest.approx(1.0)


def test_forty_drawings_decide_both_ways():
    better = scripted(40, 8, 1)
    assert better["verdict"] == "better" and better["promote"] is True
    assert better["evidence"]["p_value"] == pytest.approx(10 / 512)
    assert [c["passed"] for c in better["criteria"]] == [True, True, True]
    assert better["challenger"]["test"]["interval"][0] < 1.0 < 1.01
    worse = scripted(40, 1, 8)
    assert worse["verdict"] == "worse" and worse["promote"] is False
    undecided = scripted(40, 6, 2)  # ahead by 4, p = 0.145
    assert undecided["verdict"] == "unsure" and undecided["evidence"]["needed"] > 40


def test_ties_are_unsure_with_no_estimate():
    out = scripted(40, 5, 5)
    assert out["verdict"] == "unsure" and out["difference"]["test"] == 0
    assert out["evidence"]["needed"] is None and out["promote"] is False


def test_none_of_these_drawings_count_for_accuracy_and_rejection():
    truth = [NONE_LABEL] * 6 + ["b"] * 4
    champion = ["b"] * 6 + ["b"] * 4  # reads every non-letter as b
    challenger = [NONE_LABEL] * 6 + ["b"] * 4
    out = judge(truth, champion, challenger)
    assert out["evidence"]["challenger_only"] == 6 and out["verdict"] == "better"
    assert out["challenger"]["rejection"]["rate"] > out["champion"]["rejection"]["rate"]


@pytest.fixture(scope="module")
def models():
    """Production-like, one trained without non-letters and one barely trained."""
    def fit(hp, data):
        r = train_model(hp, data)
        return r.model_dict()
    good = fit({"hidden_layer_sizes": [32], "max_epochs": 40}, {"n_samples": 1500})
    blind = fit({"hidden_layer_sizes": [32], "max_epochs": 40},
                {"n_samples": 1500, "negatives": 0.0})
    weak = fit({"hidden_layer_sizes": [2], "max_epochs": 1}, {"n_samples": 60})
    doc = registry.empty_registry()
    versions = []
    for m in (good, blind, weak):
        doc, e = registry.register(doc, m, accuracy=0.9)
        versions.append(e)
    return [(e, registry.load_recognizer(e)) for e in versions]


def test_a_model_that_stops_rejecting_or_loses_validation_fails_those_criteria(models):
    good, blind, weak = models
    X, y = np.zeros((0, 100)), np.zeros(0, dtype=str)
    out = compare(good, blind, X, y)
    passed = {c["name"]: c["passed"] for c in out["criteria"]}
    assert passed == {"test": False, "rejection": False, "validation": True}
    assert out["challenger"]["rejection"]["rate"] == 0.0  # it cannot say "none of these"
    assert "rejecting non-letters" in out["reason"]
    out = compare(good, weak, X, y)
    assert not {c["name"]: c["passed"] for c in out["criteria"]}["validation"]
    assert out["difference"]["gate_validation"] < -gate.MAX_VALIDATION_DROP
    # The same set for both: the gate draws it itself, whatever the models' own figures.
    again = compare(weak, good, X, y)
    assert again["champion"]["gate_validation"] == out["challenger"]["gate_validation"]


# --- the same gate from the command line ---------------------------------------------


def cli_run(tmp_path, capsys, doc, *args) -> tuple[dict, registry.Document]:
    path = tmp_path / "r.json"
    if not path.exists():
        path.write_text(registry.dumps(doc))
    assert cli.main(["--registry", str(path), *args]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out), store.read_registry(path)


def samples_file(tmp_path, samples) -> str:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(samples))
    return str(path)


def test_finetune_with_four_test_drawings_never_promotes_if_better(tmp_path, capsys):
    doc = store.read_registry(store.DEFAULT_BUNDLE)
    production = registry.get_production(doc)["version"]
    samples = [{"label": k, "pattern": as_bits(d), "split": "train"}
               for k in "bdf" for d in DRAWINGS[k]]
    samples += [{"label": k, "pattern": as_bits(DRAWINGS[k][0]), "split": "test"}
                for k in "bdfb"]
    out, doc = cli_run(tmp_path, capsys, doc, "finetune", "--samples",
                       samples_file(tmp_path, samples), "--epochs", "2", "--quiet",
                       "--promote-if-better")
    assert out["gate"]["evidence"]["n"] == 4
    assert out["gate"]["verdict"] != "better" and out["gate"]["promote"] is False
    assert [c["name"] for c in out["gate"]["criteria"]] == list(gate.CRITERIA)
    assert out["is_production"] is False
    assert registry.get_production(doc)["version"] == production


def test_train_promotes_if_better_and_a_forced_promotion_keeps_a_warning(
        tmp_path, capsys, models):
    weak_entry = models[2][0]
    doc, _ = registry.register(registry.empty_registry(), weak_entry["model"],
                               accuracy=0.3, promote=True)
    X, y, Xo, _ = heldout_set()
    picks = np.random.default_rng(0).choice(len(y), 36, replace=False)
    samples = [{"label": str(y[i]), "pattern": X[i].astype(int).tolist(), "split": "test"}
               for i in picks]
    samples += [{"label": NONE_LABEL, "pattern": Xo[i].astype(int).tolist(), "split": "test"}
                for i in range(4)]
    file = samples_file(tmp_path, samples)
    out, doc = cli_run(tmp_path, capsys, doc, "train", "--preset", "quick", "--samples", file,
                       "--quiet", "--promote-if-better")
    g = out["gate"]
    assert g["evidence"]["n"] == 40 and g["verdict"] == "better" and g["promote"] is True
    assert g["evidence"]["p_value"] < gate.ALPHA and out["is_production"] is True
    assert doc["history"][-1]["note"] == g["reason"]

    # The weak model again, forced: promoted, and the history says what the gate said.
    out, doc = cli_run(tmp_path, capsys, doc, "train", "--hidden-layer-sizes", "2",
                       "--max-epochs", "1", "--n-samples", "60", "--samples", file,
                       "--quiet", "--promote")
    assert out["is_production"] is True and out["gate"]["promote"] is False
    assert doc["history"][-1]["note"].startswith("promoted without passing the gate: ")
