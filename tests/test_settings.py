"""The settings schema is the one source: the estimator, the checks, the CLI, the docs
and the generated page constants agree with it."""

from __future__ import annotations

import inspect
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from mlp_core import MLP, settings
from mlp_core.cli import build_parser
from mlp_core.model.network import ACTIVATIONS
from mlp_core.settings import GROUPS, PRESETS, SECTIONS, SETTINGS
from mlp_core.training.train import train_model

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_fully_described():
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)  # names are unique
    for s in SETTINGS:
        assert s.section in SECTIONS and s.group in GROUPS, s
        assert s.label and s.help.endswith((".", '"')), s
        assert s.check(s.default) == s.check(s.check(s.default)), s  # defaults are valid
        if s.type in ("int", "float", "int_list"):
            assert s.min is not None and s.max is not None and s.min < s.max, s


def test_the_estimator_takes_exactly_the_hyperparameters_with_their_defaults():
    signature = inspect.signature(MLP.__init__).parameters
    schema = settings.defaults("hyperparameters")
    assert [n for n in signature if n != "self"] == list(schema)
    assert {n: p.default for n, p in signature.items() if n != "self"} == schema
    assert set(ACTIVATIONS) == set(settings.BY_NAME["activation"].choices)


@pytest.mark.parametrize("s", [s for s in SETTINGS if s.type in ("int", "float")],
                         ids=lambda s: s.name)
def test_limits_are_enforced_with_one_message_style(s):
    # The noise range's ends are also checked against each other: keep that rule out.
    room = {k: v for k, v in {"noise_min": 0.0, "noise_max": 0.5}.items() if k != s.name}
    context = room if s.section == "data" else {}

    def check(value):
        return settings.check(s.section, {**context, s.name: value})[s.name]

    assert check(s.max) == s.max
    step = 1 if s.type == "int" else 1e-9 * max(1.0, abs(s.max))
    for bad in (s.max + step, s.min - step, "1", None, True, math.nan):
        with pytest.raises(ValueError, match=f"^{s.name} must be .*, got "):
            check(bad)
    if s.min_exclusive:
        with pytest.raises(ValueError, match="above"):
            check(s.min)
    else:
        assert check(s.min) == s.min
    if s.type == "int":
        with pytest.raises(ValueError, match="an integer"):
            check(s.min + 0.5)


def test_unknown_and_renamed_settings_say_what_to_use():
    with pytest.raises(ValueError, match="seed belongs under hyperparameters"):
        settings.check("data", {"seed": 1})
    with pytest.raises(ValueError, match="validation_fraction is the one name"):
        settings.check("data", {"validation_ratio": 0.5})
    with pytest.raises(ValueError, match="noise_min must not exceed noise_max"):
        settings.check("data", {"noise_min": 0.3, "noise_max": 0.1})


def test_presets_are_valid_and_the_recipe_made_the_default_model():
    for p in PRESETS.values():
        for section, values in p.config().items():
            settings.check(section, values)
    bundle = json.loads((ROOT / "mlp_core" / "registry" / "default_registry.json").read_text())
    entry = bundle["models"][0]
    recipe = PRESETS[settings.DEFAULT_PRESET].config()
    # A setting added after the model was made has its default in the record (which keeps
    # the old behaviour: fonts 0).
    recorded = {**settings.defaults("data"), **entry["hyperparameters"], **entry["dataset_info"]}
    for section in SECTIONS:
        for name, value in settings.check(section, recipe[section]).items():
            assert recorded[name] == (list(value) if isinstance(value, tuple) else value), name


def test_cli_has_one_flag_per_setting_with_its_help_and_default():
    train = build_parser()._subparsers._group_actions[0].choices["train"]
    flags = {a.dest: a for a in train._actions if a.option_strings}
    for s in SETTINGS:
        action = flags[s.name]
        assert action.option_strings == [f"--{s.name.replace('_', '-')}"]
        assert s.help in action.help and s.describe() in action.help
        assert (list(action.choices) if action.choices else []) == list(s.choices)
    help_text = subprocess.run([sys.executable, "-m", "mlp_core", "train", "--help"],
                               capture_output=True, text=True, check=True).stdout
    assert all(f"--{s.name.replace('_', '-')}" in help_text for s in SETTINGS)


def test_cli_flags_reach_the_training_under_their_section(tmp_path):
    from mlp_core.cli import main

    reg = tmp_path / "r.json"
    assert main(["--registry", str(reg), "train", "--quiet", "--preset", "quick",
                 "--max-epochs", "2", "--n-samples", "200", "--validation-fraction", "0.5",
                 "--hidden-layer-sizes", "8", "4", "--activation", "tanh"]) == 0
    entry = json.loads(reg.read_text())["models"][0]
    hp, data = entry["hyperparameters"], entry["dataset_info"]
    assert hp["hidden_layer_sizes"] == [8, 4] and hp["activation"] == "tanh"
    assert hp["max_epochs"] == 2 and hp["validation_fraction"] == 0.5
    assert hp["momentum"] == PRESETS["quick"].hyperparameters["momentum"]  # from the preset
    assert data["n_samples"] == 200 and data["augment"] == PRESETS["quick"].data["augment"]
    assert abs(data["val_samples"] - 100) <= 2  # the share recorded is the share used


def test_validation_share_recorded_is_the_share_used():
    result = train_model({"validation_fraction": 0.5, "max_epochs": 1}, {"n_samples": 400})
    info = result.dataset_info
    assert result.model.hyperparameters["validation_fraction"] == 0.5
    assert info["val_samples"] + info["train_samples"] == 400
    assert abs(info["val_samples"] - 200) <= 4  # stratified: rounded per class


def test_docs_and_page_constants_are_generated_from_the_tables():
    sys.path.insert(0, str(ROOT))
    import build

    assert build.stale_generated() == []
    readme = (ROOT / "docs" / "using.md").read_text()
    assert settings.markdown_table() in readme
    for s in SETTINGS:
        assert f"| `{s.name}` | {s.section} |" in readme
