"""One training at a time, run an epoch per call: the state a browser worker keeps
between its turns of the event loop (so predictions and Cancel get in between)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ..messages import coded
from ..registry import Entry
from .finetune import finetune_steps
from .train import TrainResult, train_steps

CONFIG_KEYS = ("hyperparameters", "data", "templates", "samples")
FINETUNE_KEYS = ("finetune", "templates", "samples")


def _check_keys(config: dict[str, Any], keys: tuple[str, ...]) -> None:
    unknown = set(config) - set(keys)
    if unknown:
        raise ValueError(f"unknown training setting(s): {', '.join(sorted(unknown))}; "
                         f"a configuration holds {', '.join(keys)}")


class Trainer:
    """``start`` a training, ``step`` it to the end, then ``result`` until ``take``."""

    def __init__(self) -> None:
        self._steps: Generator[dict[str, Any], None, TrainResult] | None = None
        self._result: TrainResult | None = None

    def start(self, config: dict[str, Any]) -> None:
        """Check a configuration ``{"hyperparameters", "data", "templates": {letter:
        pattern}, "samples": [{"label", "pattern"}]}`` and get ready to train; drops a
        previous result that was never taken."""
        _check_keys(config, CONFIG_KEYS)
        self._steps = train_steps(config.get("hyperparameters"), config.get("data"),
                                  templates=config.get("templates"),
                                  samples=config.get("samples"))
        self._result = None

    def start_finetune(self, parent: Entry, config: dict[str, Any]) -> None:
        """``start`` for a fine-tuning of the registry entry ``parent``: ``config`` is
        ``{"finetune": {settings}, "templates", "samples"}`` (``finetune_steps``)."""
        _check_keys(config, FINETUNE_KEYS)
        self._steps = finetune_steps(parent, config.get("finetune"),
                                     templates=config.get("templates"),
                                     samples=config.get("samples"))
        self._result = None

    def step(self) -> dict[str, Any]:
        """Train one epoch: ``{"epoch", "train_loss", ...}``, or, after the last one,
        ``{"done": true, "accuracy", "metrics", "dataset_info", "history", "epochs",
        "stop_reason"}``."""
        if self._steps is None:
            raise RuntimeError("no training in progress: start one first")
        try:
            return next(self._steps)
        except StopIteration as finished:
            self._steps, self._result = None, finished.value
            r = finished.value
            return {"done": True, "accuracy": r.accuracy, "metrics": r.metrics,
                    "dataset_info": r.dataset_info, "history": r.model.history_,
                    "epochs": len(r.model.history_["train_loss"]),
                    "stop_reason": r.model.stop_reason_}
        except BaseException:
            self._steps = None
            raise

    def cancel(self) -> None:
        """Drop the training in progress, or the result not yet taken."""
        if self._steps is not None:
            self._steps.close()
        self._steps = self._result = None

    @property
    def finished(self) -> bool:
        """A training has finished and its result was not taken yet."""
        return self._result is not None

    @property
    def result(self) -> TrainResult:
        """The finished training's result (kept until ``take``)."""
        if self._result is None:
            raise coded(ValueError, "nothing_to_register")
        return self._result

    def take(self) -> TrainResult:
        """The result, handed over once (after the registry has stored it)."""
        result, self._result = self.result, None
        return result
