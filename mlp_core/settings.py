"""The training settings, declared once.

``SETTINGS`` holds every hyperparameter and data setting: its name, the section of a
training configuration it belongs to, the form group it is shown in, its type, default,
limits, unit and one line of help. Everything else is derived from this table: the
checks (``check``, one checker and one message style), the CLI flags, the page's Train
form and URL (through ``mlp.settings()``) and the settings table in the README. The
named ``PRESETS`` are partial overrides of the defaults; ``recipe`` is the pretrained
default model's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .limits import MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE, MAX_SAMPLES, MAX_SEED
from .messages import coded

#: Sections of a training configuration: ``{"hyperparameters": {...}, "data": {...}}``.
#: A fine-tuning's settings (``FINETUNE``) form one more section, ``finetune``.
SECTIONS = ("hyperparameters", "data")
#: What a setting accepts (``Setting.to_json`` keys): a refused value's error carries them,
#: so the page can say ``describe`` in its language.
ACCEPTS = ("type", "min", "max", "min_exclusive", "choices", "max_length")
#: Form groups, in the order the Train form shows them.
GROUPS = ("Network", "Optimizer", "Stopping", "Data")



@dataclass(frozen=True)
class Setting:
    """One setting. ``type`` is ``int``, ``float``, ``choice`` or ``int_list`` (a list
    of 1 to ``max_length`` integers, each within ``min``..``max``)."""

    name: str
    section: str
    group: str
    type: str
    default: Any
    label: str
    help: str
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    unit: str = ""

    def _range(self) -> str:
        if self.min_exclusive:
            return f"above {_number(self.min)} and at most {_number(self.max)}"
        return f"from {_number(self.min)} to {_number(self.max)}"

    def describe(self) -> str:
        """What the setting accepts, in words (the tail of every error message)."""
        if self.type == "choice":
            return f"one of {', '.join(self.choices)}"
        if self.type == "int_list":
            return (f"1 to {self.max_length} integers, each {self._range()} "
                    f"(e.g. 64, 32)")
        return f"{'an integer' if self.type == 'int' else 'a number'} {self._range()}"

    def check(self, value: Any) -> Any:
        """The value normalized (``int``, ``float``, ``str`` or tuple of ``int``), or
        ``ValueError``: "<name> must be <describe()>, got <value>"."""
        if self.type == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
        elif self.type == "int_list":
            values = (value,) if _is_number(value) else value
            if (isinstance(values, list | tuple) and 1 <= len(values) <= self.max_length
                    and all(self._in_range(v, integer=True) for v in values)):
                return tuple(int(v) for v in values)
        elif self._in_range(value, integer=self.type == "int"):
            return int(value) if self.type == "int" else float(value)
        accepts = {k: v for k, v in self.to_json().items() if k in ACCEPTS}
        raise coded(ValueError, "setting", setting=self.name, describe=self.describe(),
                    value=repr(value), accepts=accepts)

    def _in_range(self, v: Any, *, integer: bool) -> bool:
        if not _is_number(v) or not math.isfinite(v) or (integer and not float(v).is_integer()):
            return False
        above = v > self.min if self.min_exclusive else v >= self.min
        return above and v <= self.max

    def to_json(self) -> dict[str, Any]:
        """The form the page gets from ``mlp.settings()``."""
        default = list(self.default) if isinstance(self.default, tuple) else self.default
        return {"name": self.name, "section": self.section, "group": self.group,
                "type": self.type, "default": default, "min": self.min, "max": self.max,
                "min_exclusive": self.min_exclusive, "choices": list(self.choices),
                "max_length": self.max_length, "unit": self.unit, "label": self.label,
                "help": self.help, "describe": self.describe()}


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _hp(name: str, group: str, kind: str, default: Any, label: str, help: str,
        **limits: Any) -> Setting:
    return Setting(name, "hyperparameters", group, kind, default, label, help, **limits)


def _data(name: str, kind: str, default: Any, label: str, help: str,
          **limits: Any) -> Setting:
    return Setting(name, "data", "Data", kind, default, label, help, **limits)


#: Every setting, in form order. Hyperparameter defaults are ``MLP()``'s (the server
#: era's); data defaults make a quick synthetic set.
SETTINGS: tuple[Setting, ...] = (
    _hp("hidden_layer_sizes", "Network", "int_list", (32,), "Hidden layers",
        "Neurons in each hidden layer, first to last.",
        min=1, max=MAX_LAYER_SIZE, max_length=MAX_HIDDEN_LAYERS, unit="neurons"),
    _hp("activation", "Network", "choice", "sigmoid", "Activation",
        "The function each hidden neuron applies to its weighted input.",
        choices=("sigmoid", "tanh", "relu")),
    _hp("learning_rate", "Optimizer", "float", 0.1, "Learning rate",
        "Step size of stochastic gradient descent.", min=0.0, max=10.0, min_exclusive=True),
    _hp("learning_rate_decay", "Optimizer", "float", 1.0, "Learning rate decay",
        "Each epoch's learning rate is the previous one's times this; 1 keeps it constant.",
        min=0.5, max=1.0),
    _hp("momentum", "Optimizer", "float", 0.1, "Momentum",
        "Share of the previous step added to the next one.", min=0.0, max=0.999),
    _hp("batch_size", "Optimizer", "int", 32, "Batch size",
        "Samples per gradient step.", min=1, max=100_000, unit="samples"),
    _hp("l2", "Optimizer", "float", 0.0, "L2",
        "Weight decay: penalty on large weights, against overfitting.", min=0.0, max=100.0),
    _hp("max_epochs", "Stopping", "int", 200, "Max epochs",
        "Passes over the training samples, at most.", min=1, max=MAX_EPOCHS, unit="epochs"),
    _hp("tolerance", "Stopping", "float", 1e-6, "Tolerance",
        "How much the validation loss must fall to count as progress.", min=0.0, max=1.0),
    _hp("patience", "Stopping", "int", 10, "Patience",
        "Epochs without progress before training stops (the best epoch is kept).",
        min=1, max=MAX_EPOCHS, unit="epochs"),
    _hp("validation_fraction", "Data", "float", 0.2, "Validation share",
        "Share of samples held out to measure, stop early and calibrate.",
        min=0.0, max=0.9),
    _hp("seed", "Data", "int", 42, "Seed",
        "Makes a run repeatable: the same seed draws the same data, split and weights.",
        min=0, max=MAX_SEED),
    _data("n_samples", "int", 3000, "Samples",
          "Synthetic drawings generated from the letter templates.",
          min=10, max=MAX_SAMPLES, unit="samples"),
    _data("noise_min", "float", 0.01, "Noise from",
          "Least share of pixels flipped at random in a noisy sample.", min=0.0, max=0.5),
    _data("noise_max", "float", 0.30, "Noise to",
          "Largest share of pixels flipped at random in a noisy sample.", min=0.0, max=0.5),
    _data("clean_fraction", "float", 0.1, "Clean share",
          "Share of letters left exactly as their template.", min=0.0, max=1.0),
    _data("augment", "float", 0.0, "Augmented share",
          "Share of letters moved, resized, slanted or re-stroked before the noise.",
          min=0.0, max=1.0),
    _data("augment_noise_max", "float", 0.05, "Augmented noise",
          "Largest share of pixels flipped in an augmented letter or a non-letter.",
          min=0.0, max=0.5),
    _data("negatives", "float", 0.35, "Non-letter share",
          "Share of samples that are none of the letters (other letters, digits, shapes, "
          "scribbles, noise); 0 makes a model that cannot say \"none of these\".",
          min=0.0, max=0.5),
    _data("fonts", "float", 0.0, "Font share",
          "Share of letters and of non-letters rendered from real fonts (printed and "
          "handwriting-style faces) instead of generated; 0 uses generated drawings only.",
          min=0.0, max=1.0),
    _data("handwriting", "float", 0.0, "Handwriting share",
          "Share of letters and of non-letters drawn from real people's pen strokes "
          "(UNIPEN); font and handwriting shares above 1 in all are scaled to 1, and "
          "generated drawings fill the rest.",
          min=0.0, max=1.0),
)

#: Fine-tuning settings (``finetune.finetune_steps``): how far a model is trained on from
#: its own weights. The defaults fine-tune on 50 drawings in 1.3-1.7 s in the browser
#: once the page has prepared while idle (3-4 s asked at once: docs/benchmarks.md). The
#: rate is a twentieth of the model's starting rate, kept constant (0.004 for the default
#: model); with the 1.0 model, fine-tuning at half its start cost 3-7 points of held-out
#: non-letters rejected.
FINETUNE: tuple[Setting, ...] = (
    Setting("epochs", "finetune", "Fine-tuning", "int", 15, "Epochs",
            "Passes over the examples and the replay, at most (the best is kept).",
            min=1, max=200, unit="epochs"),
    Setting("replay", "finetune", "Fine-tuning", "int", 2000, "Replay",
            "Synthetic samples mixed in, drawn as the model's own were, so that it keeps "
            "what it knew.", min=100, max=MAX_SAMPLES, unit="samples"),
    Setting("repeat", "finetune", "Fine-tuning", "int", 4, "Repeat",
            "Times each of your training drawings is shown per epoch.", min=1, max=100),
    Setting("learning_rate_scale", "finetune", "Fine-tuning", "float", 0.05,
            "Learning rate scale",
            "The model's own learning rate is multiplied by this, and kept constant.",
            min=0.0, max=1.0, min_exclusive=True),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in (*SETTINGS, *FINETUNE)}

#: Checks across settings of one section: (section, test, message code).
RULES = (
    ("data", lambda c: c["noise_min"] <= c["noise_max"], "noise_order"),
)

#: Names that once meant a setting, with what to use now.
RENAMED = {
    "validation_ratio": "validation_fraction is the one name for the share of samples "
                        "held out for validation (a hyperparameter)",
}


def defaults(section: str) -> dict[str, Any]:
    """The default of every setting of ``section``."""
    return {s.name: s.default for s in BY_NAME.values() if s.section == section}


def check(section: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate the settings of one section; returns a normalized copy with defaults
    filled in, or raises ``ValueError`` naming the first bad value and what is allowed."""
    values = dict(values or {})
    names = defaults(section)
    for name in values:
        if name in RENAMED:
            raise ValueError(f"{name} is no longer a setting: {RENAMED[name]}")
        if name not in names:
            where = BY_NAME.get(name)
            hint = f" ({name} belongs under {where.section})" if where else ""
            noun = {"hyperparameters": "hyperparameter", "finetune": "fine-tuning setting"
                    }.get(section, f"{section} setting")
            raise ValueError(f"unknown {noun} {name!r}{hint}; known: "
                             f"{', '.join(names)}")
    out = {**names, **values}
    for name in names:
        out[name] = BY_NAME[name].check(out[name])
    for rule_section, ok, code in RULES:
        if rule_section == section and not ok(out):
            raise coded(ValueError, code)
    return out


@dataclass(frozen=True)
class Preset:
    """A named starting point: settings that differ from the defaults."""

    name: str
    label: str
    hyperparameters: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)

    def config(self) -> dict[str, dict[str, Any]]:
        """``{"hyperparameters", "data"}`` as ``mlp.train`` and ``train_model`` take."""
        return {"hyperparameters": dict(self.hyperparameters), "data": dict(self.data)}

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, **self.config()}


_RECIPE_NETWORK = {"hidden_layer_sizes": [128], "activation": "relu", "learning_rate": 0.05,
                   "momentum": 0.9}
_SYNTHETIC = {"n_samples": 40000, "augment": 0.5, "noise_max": 0.4, "negatives": 0.35}
PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("recipe", "Default model recipe (about 10 s)",
           {**_RECIPE_NETWORK, "l2": 0.03, "learning_rate": 0.08, "batch_size": 64,
            "learning_rate_decay": 0.5, "max_epochs": 5},
           {**_SYNTHETIC, "n_samples": 60000, "negatives": 0.5, "handwriting": 0.6,
            "fonts": 0.15}),
    Preset("fonts", "1.0 recipe, no handwriting (about 30 s)",
           {**_RECIPE_NETWORK, "l2": 0.03}, {**_SYNTHETIC, "n_samples": 60000, "fonts": 0.5}),
    Preset("synthetic", "First recipe, no fonts (about 30 s)",
           {**_RECIPE_NETWORK, "l2": 0.03}, _SYNTHETIC),
    Preset("quick", "Quick (about 3 s)",
           {**_RECIPE_NETWORK, "hidden_layer_sizes": [64], "max_epochs": 30},
           {"n_samples": 5000, "augment": 0.5, "noise_max": 0.4}),
)}
#: The preset the Train form starts from, and the pretrained default model's.
DEFAULT_PRESET = "recipe"


def as_json() -> dict[str, Any]:
    """The schema as the page gets it: ``{"settings": [...], "presets": [...]}``."""
    return {"settings": [s.to_json() for s in SETTINGS],
            "finetune": [s.to_json() for s in FINETUNE],
            "presets": [p.to_json() for p in PRESETS.values()],
            "default_preset": DEFAULT_PRESET}


def markdown_table() -> str:
    """The README's table of settings."""
    rows = ["| setting | section | default | allowed | what it does |",
            "|---|---|---|---|---|"]
    for s in (*SETTINGS, *FINETUNE):
        default = ", ".join(map(str, s.default)) if s.type == "int_list" else s.default
        rows.append(f"| `{s.name}` | {s.section} | `{default}` | {s.describe()} | {s.help} |")
    return "\n".join(rows)
