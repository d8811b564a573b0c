"""What a first training makes, made ahead in small steps (mlp_core.training.preparation,
data.stepwise); the page's side is in test_training_ui.py."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from mlp_core.data.stepwise import stepwise
from mlp_core.service.webapi import App

ROOT = Path(__file__).resolve().parents[1]


def test_a_stepwise_result_is_made_once_whether_in_steps_or_at_once():
    made = []

    @stepwise
    def squares(n: int, power: int = 2):
        """Docstring kept."""
        out = []
        for i in range(n):
            out.append(i ** power)
            yield
        made.append((n, power))
        return out

    steps = list(squares.steps(3))
    assert len(steps) == 3 and made == [(3, 2)]
    assert squares(3) is squares(3, 2) is squares(n=3)  # the steps' result, kept
    assert squares(3) == [0, 1, 4] and made == [(3, 2)]
    assert list(squares.steps(3)) == []  # made already: no steps
    assert squares(3, 3) == [0, 1, 8] and made == [(3, 2), (3, 3)]
    assert squares.__doc__ == "Docstring kept."
    half = squares.steps(4)
    next(half)  # a preparation interrupted by a call: the call makes it all
    assert squares(4) == [0, 1, 4, 9] and made[-1] == (4, 2)


# A fresh interpreter: the test process's caches hold what earlier tests made. Making a
# glyph variant, an evaluation drawing or a held-out drawing fails after the patch, so a
# small training (with fonts, handwriting and its reports) only finishes when all of it
# was made ahead.
TRAIN_AFTER = textwrap.dedent("""
    import sys
    from mlp_core.data import handwriting, heldout, synthetic
    from mlp_core.training.preparation import preparation_steps
    from mlp_core.training.train import train_steps
    if sys.argv[1] == "prepared":
        steps = list(preparation_steps())
        assert "glyph variants of 'b'" in steps and "the held-out drawings" in steps
        assert any("handwriting" in step for step in steps), steps
    def refuse(*args, **kwargs):
        raise RuntimeError("made during the training")
    synthetic.glyph_variants = heldout._render = handwriting.exact_styles = refuse
    run = train_steps({"hidden_layer_sizes": [8], "max_epochs": 2},
                      {"n_samples": 400, "fonts": 0.3, "handwriting": 0.3})
    try:
        while True:
            next(run)
    except StopIteration as done:
        print(done.value.metrics["handwriting"]["role"])
""")


def _train_after(how: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", TRAIN_AFTER, how], cwd=ROOT, text=True,
                          capture_output=True, timeout=300)


def test_after_the_preparation_a_training_makes_none_of_it_again():
    prepared = _train_after("prepared")
    assert prepared.returncode == 0, prepared.stderr
    assert prepared.stdout.strip() == "evaluation"
    unprepared = _train_after("unprepared")  # the check can fail
    assert unprepared.returncode != 0
    assert "made during the training" in unprepared.stderr


def test_the_app_prepares_a_step_per_call_and_health_says_when_done():
    """(Through the worker's App; what the steps make is checked in a fresh process
    above: this one's caches hold what earlier tests made.)"""
    app = App()
    assert json.loads(app.health())["training_prepared"] is False
    made = []
    for _ in range(1000):
        step = json.loads(app.prepare_step())
        if step["done"]:
            break
        made.append(step["made"])
    assert step == {"made": None, "done": True}
    assert json.loads(app.health())["training_prepared"] is True
    assert "glyph variants of 'b'" in made  # what earlier tests made is not made again
    assert json.loads(app.prepare_step())["done"] is True  # done stays done
